import type { RecordedEvent } from '@app/event-store';
import { readModelsOf, type ReadSide } from './read-side';

/** Streams read from the store at a time while a page of recent events is gathered. */
const STREAM_BATCH = 20;

/** A learner stream one of the issuers holds, with the position of its last event (from the stream summary). */
interface HeldStream {
  stream: string;
  learnerId: string;
  lastPosition: bigint;
}

export interface RecentActivityOptions {
  /** Events strictly before this position (the previous page's last). */
  readonly before?: bigint;
  readonly limit: number;
}

/** A page of recent activity: each event with the learner its stream is about, and whether older ones follow. */
export interface RecentActivityPage {
  readonly events: ReadonlyArray<{ readonly event: RecordedEvent; readonly learnerId: string | undefined }>;
  readonly more: boolean;
}

const newestFirst = (a: bigint, b: bigint) => (a < b ? 1 : a > b ? -1 : 0);

/**
 * The ledger's recent activity as the issuers' auditors see it, newest first: what `GET /audit/events` answers. It is
 * scoped as the learner history is — the streams about learners that the issuers hold (learner-issuers read model) —
 * and found through the stream summary, newest first, so a page reads the streams that last changed, not the whole log.
 */
export async function recentActivity(
  read: ReadSide,
  issuerIds: readonly string[],
  options: RecentActivityOptions,
): Promise<RecentActivityPage> {
  const { limit, before } = options;
  const held = await heldStreams(read, issuerIds);
  const found: RecordedEvent[] = [];
  for (let index = 0; index < held.length; index += STREAM_BATCH) {
    // Streams come by their last position, newest first: once `limit + 1` events are newer than every event the
    // remaining streams hold, those cannot reach the page.
    if (found.length > limit && found[limit].position > held[index].lastPosition) break;
    const batch = held.slice(index, index + STREAM_BATCH).map((entry) => entry.stream);
    for (const events of (await read.store.readStreams(batch)).values())
      found.push(...events.filter((event) => before === undefined || event.position < before));
    found.sort((a, b) => newestFirst(a.position, b.position));
  }
  const learnerOf = new Map(held.map((entry) => [entry.stream, entry.learnerId]));
  return {
    events: found.slice(0, limit).map((event) => ({ event, learnerId: learnerOf.get(event.stream) })),
    more: found.length > limit,
  };
}

/** The learner streams the issuers hold, the one whose last event is newest first. */
async function heldStreams(read: ReadSide, issuerIds: readonly string[]): Promise<HeldStream[]> {
  if (issuerIds.length === 0) return [];
  // The learner-issuers and stream-summary read models (libs/read-models), joined on the stream name.
  const rows = await readModelsOf(read).query<{ stream_name: string; learner_id: string; last_position: string }>(
    `SELECT DISTINCT held.stream_name, held.learner_id, summary.last_position::text AS last_position
     FROM tessera_learner_streams held
     JOIN tessera_stream_summary summary ON summary.stream_name = held.stream_name
     WHERE held.issuer_id IN (SELECT jsonb_array_elements_text($1::jsonb))`,
    [JSON.stringify(issuerIds)],
  );
  return rows
    .map((row) => ({ stream: row.stream_name, learnerId: row.learner_id, lastPosition: BigInt(row.last_position) }))
    .sort((a, b) => newestFirst(a.lastPosition, b.lastPosition));
}

/** The events the stream summary counts: an estimate of the whole log, for an audit's progress. */
export async function ledgerEventTotal(read: ReadSide): Promise<number> {
  const [{ total }] = await readModelsOf(read).query<{ total: string }>(
    'SELECT COALESCE(SUM(event_count), 0)::text AS total FROM tessera_stream_summary',
  );
  return Number(total);
}

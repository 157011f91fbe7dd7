import {
  activeQualification,
  foldQualifications,
  foldRecord,
  type LearnerRecord,
  parseQualificationStream,
  parseRecordStream,
  type QualificationEvent,
  type Qualifications,
  RECORD_SEPARATOR,
  type RecordEvent,
  STREAM_PREFIX,
} from '@app/domain';
import { byPosition, type EventStore, groupByStream, readAllEvents, type RecordedEvent } from '@app/event-store';
import { type SqlQuery, streamsUnderPrefixes } from '@app/read-models';

/** Everything the ledger holds about one learner's achievements and qualifications, folded per stream. */
export interface LearnerLedger {
  readonly learnerId: string;
  readonly records: ReadonlyArray<{ achievementId: string; record: LearnerRecord }>;
  readonly qualifications: ReadonlyArray<{ pathwayId: string; state: Qualifications }>;
  /** The events folded, in global order. */
  readonly events: readonly RecordedEvent[];
}

/** Where a learner's streams are found: the store, and the database whose stream summary lists them. */
export interface LedgerSource {
  readonly store: EventStore;
  readonly query: SqlQuery;
}

/**
 * Every event of the streams whose names start with one of `prefixes`, in global order. Given the read-model database:
 * the streams the stream summary lists, read by name, and those it has not projected yet, found in the store's tail past
 * its checkpoint (the whole log only before the summary's first batch), so nothing appended but not yet projected is
 * missed. Given the store alone: a filtered read of the whole log, which on EventStoreDB scans $all in the client, so
 * callers on a request path pass the database.
 */
export async function readStreamsUnder(
  source: EventStore | LedgerSource,
  prefixes: readonly string[],
): Promise<RecordedEvent[]> {
  const filter = { streamPrefix: [...prefixes] };
  if (!('query' in source)) return readAllEvents(source, { filter, visibility: 'committed' });
  const known = await streamsUnderPrefixes(source.query, prefixes);
  const tail = await readAllEvents(source.store, { from: known.completeTo, filter, visibility: 'committed' });
  const streams = new Set([...known.streams, ...tail.map((event) => event.stream)]);
  const read = await source.store.readStreams([...streams]);
  return [...read.values()].flat().sort(byPosition);
}

const ledgerPrefixes = (learnerId: string) =>
  [STREAM_PREFIX.record, STREAM_PREFIX.qualification].map((prefix) => `${prefix}${learnerId}${RECORD_SEPARATOR}`);

/**
 * Reads a learner's record and qualification streams, as they stand now or as they stood at `asOf` (events recorded
 * after it are left out; given a global position, events after that position are: several events can share an
 * instant, never a position): the one fold serves the live answer and the point-in-time replay. Request paths pass the
 * read-model database with the store (see readStreamsUnder).
 */
export async function readLearnerLedger(
  source: EventStore | LedgerSource,
  learnerId: string,
  asOf?: Date | bigint,
): Promise<LearnerLedger> {
  const all = await readStreamsUnder(source, ledgerPrefixes(learnerId));
  const events =
    asOf === undefined
      ? all
      : typeof asOf === 'bigint'
        ? all.filter((event) => event.position <= asOf)
        : all.filter((event) => event.recordedAt <= asOf);
  const byStream = groupByStream(events);
  const records: Array<{ achievementId: string; record: LearnerRecord }> = [];
  const qualifications: Array<{ pathwayId: string; state: Qualifications }> = [];
  for (const [stream, streamEvents] of byStream) {
    const domainEvents = streamEvents.map(({ type, data }) => ({ type, data }));
    const record = parseRecordStream(stream);
    if (record)
      records.push({ achievementId: record.achievementId, record: foldRecord(domainEvents as RecordEvent[]) });
    const qualification = parseQualificationStream(stream);
    if (qualification)
      qualifications.push({
        pathwayId: qualification.pathwayId,
        state: foldQualifications(domainEvents as QualificationEvent[]),
      });
  }
  return { learnerId, records, qualifications, events };
}

/** One page of a learner's history: events strictly after `after`, at most `limit`, and whether more follow. */
export interface LearnerHistoryPage {
  readonly events: readonly RecordedEvent[];
  readonly more: boolean;
}

/**
 * Every event about a learner (record, qualification and the learner's own stream), in global order, paged by
 * position: what GET /learners/:id/history shows, read from the learner's streams and not from a scan of the log.
 */
export async function readLearnerHistory(
  source: EventStore | LedgerSource,
  learnerId: string,
  page: { readonly after?: bigint; readonly limit: number },
): Promise<LearnerHistoryPage> {
  const own = `${STREAM_PREFIX.learner}${learnerId}`;
  const events = (await readStreamsUnder(source, [...ledgerPrefixes(learnerId), own])).filter(
    // `learner-{id}` is also a prefix of other learners' streams: those are dropped.
    (event) =>
      (!event.stream.startsWith(STREAM_PREFIX.learner) || event.stream === own) &&
      (page.after === undefined || event.position > page.after),
  );
  return { events: events.slice(0, page.limit), more: events.length > page.limit };
}

/** The pathways conferred on the learner and still in force. */
export function completedPathways(ledger: LearnerLedger): string[] {
  return ledger.qualifications
    .filter(({ state }) => activeQualification(state) !== undefined)
    .map(({ pathwayId }) => pathwayId);
}

/** An event of a learner's history as the api and the CLI show it: positions and revisions as strings, times ISO. */
export function historyEntry(event: RecordedEvent) {
  return {
    type: event.type,
    stream: event.stream,
    revision: event.revision.toString(),
    position: event.position.toString(),
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
}

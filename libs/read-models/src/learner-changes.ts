import { transcriptLearnerOf } from '@app/domain';
import type { Listening, RecordedEvent, SqlClient } from '@app/event-store';
import { learnerIssuersProjection } from './learner-issuers.projection';
import type { SqlQuery } from './projection';
import { pause } from './projection-runner';
import { transcriptProjection } from './transcript.projection';

/**
 * Which learners' answers just changed in the read models that answers are cached from (the transcript, and the
 * learner-issuers holdings behind every staff member's access check): said with pg_notify on this channel inside each
 * batch's transaction, so it is heard when the batch commits, by every process listening (PostgreSQL or PGlite).
 */
export const LEARNER_CHANGES_CHANNEL = 'tessera_learner_changes';

/** Every learner: a rebuild, or more learners than one notification holds. */
export const EVERY_LEARNER = '*';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7900;

const CACHED_FROM = new Set([transcriptProjection.name, learnerIssuersProjection.name]);

/** The learners a batch of a projection changed: none for a projection no cache reads, every one after a rebuild. */
export function learnersChangedBy(
  projection: string,
  events: readonly RecordedEvent[] | 'rebuilt',
): readonly string[] | 'all' {
  if (!CACHED_FROM.has(projection)) return [];
  if (events === 'rebuilt') return 'all';
  const learners = new Set<string>();
  for (const event of events) {
    // The transcript folds by transcriptLearnerOf, learner-issuers by the data's learnerId: both are taken.
    const named = (event.data as { learnerId?: unknown }).learnerId;
    const learnerId = transcriptLearnerOf(event) ?? (typeof named === 'string' ? named : undefined);
    if (learnerId !== undefined) learners.add(learnerId);
  }
  return [...learners];
}

/** The notification's payload: the learners as a JSON array, or `*` when they do not fit. */
export function learnerChangesPayload(learners: readonly string[] | 'all'): string {
  if (learners === 'all') return EVERY_LEARNER;
  const payload = JSON.stringify(learners);
  return Buffer.byteLength(payload) < MAX_PAYLOAD_BYTES ? payload : EVERY_LEARNER;
}

/**
 * Says which learners a projection's batch (or rebuild: `rebuilt`) changed, on `query` — inside the batch's transaction,
 * so it is heard at commit and never before the rows can be read. No statement when no cached answer changed.
 */
export async function notifyLearnerChanges(
  query: SqlQuery,
  projection: string,
  events: readonly RecordedEvent[] | 'rebuilt',
): Promise<void> {
  const learners = learnersChangedBy(projection, events);
  if (learners !== 'all' && learners.length === 0) return;
  await query('SELECT pg_notify($1, $2)', [LEARNER_CHANGES_CHANNEL, learnerChangesPayload(learners)]);
}

/** Says every learner changed: after the read models were rebuilt and swapped in outside a runner (the CLI). */
export async function notifyEveryLearnerChanged(query: SqlQuery): Promise<void> {
  await query('SELECT pg_notify($1, $2)', [LEARNER_CHANGES_CHANNEL, EVERY_LEARNER]);
}

function parsePayload(payload: string): readonly string[] | 'all' {
  if (payload === EVERY_LEARNER) return 'all';
  try {
    const learners: unknown = JSON.parse(payload);
    if (Array.isArray(learners) && learners.every((id) => typeof id === 'string')) return learners;
  } catch {
    // An unreadable payload is taken as every learner: forgetting too much is only slower.
  }
  return 'all';
}

export interface LearnerChangesOptions {
  /** How long to wait before listening again after the listening connection was lost or could not be opened. */
  readonly retryMs?: number;
  /** How often the listening connection is asked whether it lives (one that died silently hears nothing). */
  readonly heartbeatMs?: number;
  readonly onError?: (error: unknown) => void;
}

/**
 * Hears which learners changed (`LEARNER_CHANGES_CHANNEL`) for the caches of this process, on a connection of its own.
 * A cache keeps answers only while `hearing`: when the connection drops, every cache forgets everything and keeps
 * nothing until listening again (what was said meanwhile was not heard), and forgets everything once more then.
 */
export class LearnerChanges {
  private readonly caches = new Set<LearnerCache<unknown>>();
  private readonly controller = new AbortController();
  private listening: Promise<void> = Promise.resolve();
  private heard = false;

  constructor(
    private readonly sql: SqlClient,
    private readonly options: LearnerChangesOptions = {},
  ) {}

  /** Whether a change made anywhere is heard here now: caches keep answers only then. */
  get hearing(): boolean {
    return this.heard;
  }

  /** Keeps listening until `stop` (nothing, where the SQL client cannot listen: then nothing is ever cached). */
  start(): void {
    if (this.sql.listen) this.listening = this.keepListening();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.listening;
    this.setHearing(false);
  }

  /** A cache of answers about learners, forgotten as they change; at most `max` learners, least recently read out. */
  cache<V>(max: number): LearnerCache<V> {
    const cache = new LearnerCache<V>(this, max);
    this.caches.add(cache as LearnerCache<unknown>);
    return cache;
  }

  /** Forgets what every cache keeps of these learners (`all`: of every learner). */
  changed(learners: readonly string[] | 'all'): void {
    for (const cache of this.caches) cache.forget(learners);
  }

  private setHearing(hearing: boolean): void {
    // Before and after a gap in listening alike, what was kept (or is being read) may miss a change said in the gap.
    this.heard = hearing;
    this.changed('all');
  }

  private async keepListening(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      let listening: Listening | undefined;
      try {
        listening = await this.sql.listen!(LEARNER_CHANGES_CHANNEL, (payload) => this.changed(parsePayload(payload)));
        if (signal.aborted) return;
        this.setHearing(true);
        const lost = await this.untilLost(listening, signal);
        if (lost) this.options.onError?.(lost);
      } catch (error) {
        if (!signal.aborted) this.options.onError?.(error);
      } finally {
        this.setHearing(false);
        await listening?.close().catch(() => undefined);
      }
      if (!signal.aborted) await pause(this.options.retryMs ?? 1000, signal);
    }
  }

  /** Answers why the connection was lost, or undefined when stopped. */
  private untilLost(listening: Listening, signal: AbortSignal): Promise<Error | undefined> {
    return new Promise((resolve) => {
      const done = (error: Error | undefined) => {
        clearInterval(heartbeat);
        signal.removeEventListener('abort', stopped);
        resolve(error);
      };
      const stopped = () => done(undefined);
      const heartbeat = setInterval(
        () =>
          listening.ping().catch((error: unknown) => done(error instanceof Error ? error : new Error(String(error)))),
        this.options.heartbeatMs ?? 5000,
      );
      heartbeat.unref();
      signal.addEventListener('abort', stopped, { once: true });
      void listening.lost.then(done);
    });
  }
}

/**
 * Answers about learners that only events change, kept by learner until a change to that learner is heard (a bounded
 * LRU). A read that a change overtook (heard while it was reading) is answered but not kept.
 */
export class LearnerCache<V> {
  private readonly entries = new Map<string, V>();
  /** Reads in flight, by learner: a change heard meanwhile marks them stale. */
  private readonly reading = new Map<string, Set<{ stale: boolean }>>();

  constructor(
    private readonly changes: LearnerChanges,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** What is kept of the learner, or undefined (nothing is kept while changes are not heard). */
  get(learnerId: string): V | undefined {
    if (!this.changes.hearing) return undefined;
    const value = this.entries.get(learnerId);
    if (value !== undefined) {
      // Most recently read last: the first in the map is the next to go.
      this.entries.delete(learnerId);
      this.entries.set(learnerId, value);
    }
    return value;
  }

  /** Reads the learner's answer and keeps it, unless a change to the learner is heard before the read is done. */
  async load(learnerId: string, read: () => Promise<V>): Promise<V> {
    const ticket = { stale: !this.changes.hearing || this.max === 0 };
    let tickets = this.reading.get(learnerId);
    if (!tickets) this.reading.set(learnerId, (tickets = new Set()));
    tickets.add(ticket);
    try {
      const value = await read();
      if (!ticket.stale && this.changes.hearing) {
        this.entries.delete(learnerId);
        this.entries.set(learnerId, value);
        if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
      }
      return value;
    } finally {
      tickets.delete(ticket);
      if (tickets.size === 0) this.reading.delete(learnerId);
    }
  }

  forget(learners: readonly string[] | 'all'): void {
    if (learners === 'all') {
      this.entries.clear();
      for (const tickets of this.reading.values()) for (const ticket of tickets) ticket.stale = true;
      return;
    }
    for (const learnerId of learners) {
      this.entries.delete(learnerId);
      for (const ticket of this.reading.get(learnerId) ?? []) ticket.stale = true;
    }
  }
}

import { randomUUID } from 'node:crypto';
import {
  type EventStore,
  type JsonObject,
  PostgresEventStore,
  pgliteSqlClient,
  pgSqlClient,
  type RecordedEvent,
  type SqlClient,
  type SubscribeOptions,
} from '@app/event-store';
import { createThrowawayDatabase } from '../../../../test/support/postgres-server';
import { loadCheckpoint } from '../checkpoints';
import { isReactor, type SqlQuery, type Subscriber } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { rebuildProjections } from '../rebuild';
import { migrateReadSide } from '../typeorm/read-side';

/**
 * Given events → expected rows, for a projection (Emmett's `postgresProjectionSpec` is the model):
 *
 *     const given = projectionSpec(analyticsProjection, backend);
 *     await given(inStream(achievementStream('sql'), achievementDefined()))
 *       .when(inStream(recordStream('ada', 'sql'), evidenceSubmitted(), achievementAwarded()))
 *       .then(expectRows('SELECT … ORDER BY …').toEqual([…]));
 *
 * Each `then` opens a fresh store (embedded PGlite in memory, or a throwaway PostgreSQL database), makes the schema,
 * appends the given events and lets a `ProjectionRunner` project them, then appends the `when` events and runs the
 * runner again, so the second run continues from the rows and checkpoint the first left. The expected rows are read
 * three times: after that live run; after a runner is fed every event again from the start (a redelivering feed: the
 * checkpoint claimed in the batch's transaction must keep each event from counting twice); and after
 * `rebuildProjections` replayed the whole log into fresh tables. A reactor (the conferral process manager) is specified
 * the same way: its effects are events, its expectations read them from the store's table, and it is not rebuilt.
 */

export type SpecBackend = 'pglite' | 'postgres';

/** For `describe.each`: every spec runs on both. */
export const SPEC_BACKENDS: ReadonlyArray<readonly [string, SpecBackend]> = [
  ['embedded PGlite', 'pglite'],
  ['PostgreSQL', 'postgres'],
];

/** A domain event (from the domain's fixtures) and the stream it is appended to. */
export interface SpecEvent {
  readonly stream: string;
  readonly type: string;
  readonly data: object;
}

/** Events of one stream, in order (Emmett's `eventsInStream`). */
export const inStream = (stream: string, ...events: ReadonlyArray<{ type: string; data: object }>): SpecEvent[] =>
  events.map((event) => ({ stream, type: event.type, data: event.data }));

/** What `then` checks, against the projection's tables. */
export interface RowsExpectation {
  readonly describe: string;
  check(query: SqlQuery): Promise<void>;
}

/** The rows a query answers, compared whole (order included: say ORDER BY). */
export const expectRows = (sql: string, params: unknown[] = []) => ({
  toEqual: (rows: readonly object[]): RowsExpectation => ({
    describe: sql,
    async check(query) {
      expect(await query(sql, params)).toEqual(rows);
    },
  }),
});

/** What a read function of the read model answers (for rows kept as folded jsonb, read back as the api does). */
export const expectRead = <T>(describe: string, read: (query: SqlQuery) => Promise<T>) => ({
  toEqual: (expected: T): RowsExpectation => ({
    describe,
    async check(query) {
      expect(await read(query)).toEqual(expected);
    },
  }),
});

export interface WhenOptions {
  /** The runner's batch size for the `when` events (the given ones go in batches of the runner's default). */
  readonly batchSize?: number;
}

/** How the read side's tables are made: the one place that knows. */
export async function prepareSchema(sql: SqlClient): Promise<void> {
  await migrateReadSide(sql);
}

/** `subject` may be made from the store (a reactor appends to it). */
export function projectionSpec(
  subject: Subscriber | ((store: PostgresEventStore) => Subscriber),
  backend: SpecBackend,
) {
  return (...given: SpecEvent[][]) => ({
    when: (events: SpecEvent[], options: WhenOptions = {}) => ({
      then: (...expectations: RowsExpectation[]) =>
        withStore(backend, async (store) => {
          const subscriber = typeof subject === 'function' ? subject(store) : subject;
          await prepareSchema(store.sql);
          await appendAll(store, given.flat());
          await project(store, subscriber, {});
          await appendAll(store, events);
          await project(store, subscriber, options);
          await checkAll(store, expectations, 'after the live run');

          await projectRedelivered(store, subscriber);
          await checkAll(store, expectations, 'after every event was delivered again');

          if (isReactor(subscriber)) return;
          await rebuildProjections(store, store.sql, [subscriber]);
          await checkAll(store, expectations, 'after a rebuild');
        }),
    }),
  });
}

async function withStore(backend: SpecBackend, work: (store: PostgresEventStore) => Promise<void>): Promise<void> {
  const database = backend === 'postgres' ? await createThrowawayDatabase() : undefined;
  const sql = database ? pgSqlClient(database.url, { max: 4 }) : await pgliteSqlClient();
  const store = await PostgresEventStore.open(sql, { pollIntervalMs: 10 });
  try {
    await work(store);
  } finally {
    await store.close();
    await database?.drop();
  }
}

async function appendAll(store: EventStore, events: readonly SpecEvent[]): Promise<void> {
  for (const event of events)
    await store.appendToStream(event.stream, [{ id: randomUUID(), type: event.type, data: event.data as JsonObject }]);
}

/** The store's subscription reads history in pages of this many (catch-up-subscription.ts). */
const HISTORY_PAGE = 500;

/**
 * Every committed event the projection reads, in order (a specification holds fewer than a page of them). Committed,
 * not settled: on a shared server another database's transaction in flight holds back what counts as settled, and the
 * runner is waited for until it has them all.
 */
async function eventsOf(store: EventStore, projection: Subscriber): Promise<RecordedEvent[]> {
  const events = await store.readAll({
    filter: projection.filter,
    maxCount: HISTORY_PAGE + 1,
    visibility: 'committed',
  });
  if (events.length > HISTORY_PAGE) throw new Error(`a specification of more than ${HISTORY_PAGE} events`);
  return events;
}

/**
 * Runs the projection until its checkpoint reaches the last event it reads, including any it appended meanwhile (a
 * process manager's own events may trigger it again); a failing batch fails the spec.
 */
async function project(store: PostgresEventStore, projection: Subscriber, options: WhenOptions): Promise<void> {
  const lastPosition = async () => (await eventsOf(store, projection)).at(-1)?.position;
  let target = await lastPosition();
  if (target === undefined) return;
  let failure: string | undefined;
  const runner = new ProjectionRunner(store, store.sql, [projection], {
    batchSize: options.batchSize,
    onStateChange: (change) => (failure ??= change.error),
  });
  runner.start();
  try {
    await until(async () => {
      if (failure !== undefined) throw new Error(`${projection.name} failed: ${failure}`);
      const checkpoint = await loadCheckpoint(store.sql.query, projection.name);
      if (checkpoint === undefined || target === undefined || checkpoint < target) return false;
      target = await lastPosition();
      return target !== undefined && checkpoint >= target;
    }, `${projection.name} to reach its last event`);
  } finally {
    await runner.stop();
  }
}

/**
 * Runs the projection once more over a feed that ignores the checkpoint and delivers every event from the start, in
 * one batch (they come from one read of the history, so no quiet gap splits it); the feed is asked for the event after
 * the last only once that batch has been applied.
 */
async function projectRedelivered(store: PostgresEventStore, projection: Subscriber): Promise<void> {
  const all = await eventsOf(store, projection);
  if (all.length === 0) return;
  let drained = false;
  const redelivering = Object.create(store, {
    subscribe: {
      value: (options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> => ({
        [Symbol.asyncIterator]() {
          const feed = store.subscribe({ ...options, from: undefined })[Symbol.asyncIterator]();
          let asked = 0;
          return {
            next: () => {
              if (++asked > all.length) drained = true;
              return feed.next();
            },
            return: (value?: unknown) => feed.return?.(value) ?? Promise.resolve({ done: true, value }),
          };
        },
      }),
    },
  }) as PostgresEventStore;
  const runner = new ProjectionRunner(redelivering, store.sql, [projection], {
    batchSize: all.length,
    quietMs: 100,
  });
  const before = await loadCheckpoint(store.sql.query, projection.name);
  runner.start();
  try {
    await until(async () => drained, `${projection.name} to take every event again`);
  } finally {
    await runner.stop();
  }
  expect(await loadCheckpoint(store.sql.query, projection.name)).toBe(before);
}

async function checkAll(store: PostgresEventStore, expectations: readonly RowsExpectation[], when: string) {
  for (const expectation of expectations) {
    try {
      await expectation.check(store.sql.query);
    } catch (error) {
      if (error instanceof Error) error.message = `${when}, ${expectation.describe}:\n${error.message}`;
      throw error;
    }
  }
}

async function until(done: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !(await done());) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

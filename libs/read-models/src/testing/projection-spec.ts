import { randomUUID } from 'node:crypto';
import {
  type EventStore,
  type GlobalPosition,
  type JsonObject,
  matchesFilter,
  PostgresEventStore,
  pgliteSqlClient,
  pgSqlClient,
  type RecordedEvent,
  type SubscribeOptions,
} from '@app/event-store';
import { createThrowawayDatabase } from '../../../../test/support/postgres-server';
import { loadCheckpoint } from '../checkpoints';
import type { Projection, SqlQuery } from '../projection';
import { ProjectionRunner } from '../projection-runner';
import { rebuildProjections } from '../rebuild';

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
 * `rebuildProjections` replayed the whole log into fresh tables.
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

/** How the read model's tables are made: the one place that knows. */
export async function prepareSchema(store: PostgresEventStore, projection: Projection): Promise<void> {
  await new ProjectionRunner(store, store.sql, [projection]).migrate();
}

export function projectionSpec(projection: Projection, backend: SpecBackend) {
  return (...given: SpecEvent[][]) => ({
    when: (events: SpecEvent[], options: WhenOptions = {}) => ({
      then: (...expectations: RowsExpectation[]) =>
        withStore(backend, async (store) => {
          await prepareSchema(store, projection);
          await project(store, projection, await appendAll(store, given.flat()), {});
          await project(store, projection, await appendAll(store, events), options);
          await checkAll(store, expectations, 'after the live run');

          await projectRedelivered(store, projection);
          await checkAll(store, expectations, 'after every event was delivered again');

          await rebuildProjections(store, store.sql, [projection]);
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

type Appended = SpecEvent & { readonly position: GlobalPosition };

async function appendAll(store: EventStore, events: readonly SpecEvent[]): Promise<Appended[]> {
  const appended: Appended[] = [];
  for (const event of events) {
    const { position } = await store.appendToStream(event.stream, [
      { id: randomUUID(), type: event.type, data: event.data as JsonObject },
    ]);
    appended.push({ ...event, position });
  }
  return appended;
}

const matching = <E extends Pick<RecordedEvent, 'stream' | 'type'>>(projection: Projection, events: readonly E[]) =>
  events.filter((event) => !projection.filter || matchesFilter(event.stream, event.type, projection.filter));

/** Runs the projection until its checkpoint reaches the last of the events it reads; a failing batch fails the spec. */
async function project(
  store: PostgresEventStore,
  projection: Projection,
  appended: readonly Appended[],
  options: WhenOptions,
): Promise<void> {
  const mine = matching(projection, appended);
  if (mine.length === 0) return;
  const target = mine[mine.length - 1].position;
  let failure: string | undefined;
  const runner = new ProjectionRunner(store, store.sql, [projection], {
    batchSize: options.batchSize,
    onStateChange: (change) => (failure ??= change.error),
  });
  await runner.start();
  try {
    await until(async () => {
      if (failure !== undefined) throw new Error(`${projection.name} failed: ${failure}`);
      const checkpoint = await loadCheckpoint(store.sql.query, projection.name);
      return checkpoint !== undefined && checkpoint >= target;
    }, `${projection.name} to reach ${target}`);
  } finally {
    await runner.stop();
  }
}

/** The store's subscription reads history in pages of this many (catch-up-subscription.ts). */
const HISTORY_PAGE = 500;

/**
 * Runs the projection once more over a feed that ignores the checkpoint and delivers every event from the start, in
 * one batch (they come from one read of the history, so no quiet gap splits it); the feed is asked for the event after
 * the last only once that batch has been applied.
 */
async function projectRedelivered(store: PostgresEventStore, projection: Projection): Promise<void> {
  const all = matching(projection, await store.readAll({ maxCount: HISTORY_PAGE + 1 }));
  if (all.length === 0) return;
  if (all.length > HISTORY_PAGE) throw new Error(`a specification of more than ${HISTORY_PAGE} events`);
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
  await runner.start();
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

import { randomUUID } from 'node:crypto';
import { type JsonObject, PostgresEventStore, pgliteSqlClient, pgSqlClient, type SqlClient } from '@app/event-store';
import { Client } from 'pg';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { awardIndexProjection } from './award-index.projection';
import type { SqlQuery } from './projection';
import { type RebuildOptions, rebuildProjections } from './rebuild';
import {
  foldStreamSummaries,
  listStreamSummaries,
  type StreamSummary,
  streamSummaryProjection,
} from './stream-summary.projection';
import { SPEC_BACKENDS } from './testing/projection-spec';
import { migrateReadSide } from './typeorm/read-side';

/**
 * A rebuild on a PostgreSQL server where a transaction is in flight: the events committed after that transaction
 * took its id are not settled (no subscriber may checkpoint past them), yet they are in the ledger. A rebuild that
 * took the end of the settled events for the end of the log swapped in tables without them.
 */
describe('rebuild while a transaction is in flight on the server', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;
  let blocker: Client;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = await PostgresEventStore.open(pgSqlClient(database.url), { pollIntervalMs: 10 });
    await migrateReadSide(store.sql);
    blocker = new Client({ connectionString: database.url });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker.end();
    await store.close();
    await database.drop();
  });

  const append = (stream: string) =>
    store.appendToStream(stream, [{ id: randomUUID(), type: 'Stepped', data: { stream } }]);

  it('waits for the committed events to settle and rebuilds them all', async () => {
    await append('record-early~x');
    await blocker.query('BEGIN');
    await blocker.query('SELECT pg_current_xact_id()');
    for (const stream of ['record-a~x', 'record-b~x', 'issuer-c']) await append(stream);
    expect(await store.readAll({ visibility: 'committed' })).toHaveLength(4);
    // Settled: at most the first (another test's transaction on the shared server may hold it back too)
    expect((await store.readAll()).length).toBeLessThanOrEqual(1);

    let finished = false;
    const rebuild = rebuildProjections(store, store.sql, [streamSummaryProjection]).finally(() => (finished = true));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(finished).toBe(false);
    await blocker.query('COMMIT');

    expect((await rebuild).events).toBe(4);
    expect((await listStreamSummaries(store.sql.query)).map((summary) => summary.stream).sort()).toEqual([
      'issuer-c',
      'record-a~x',
      'record-b~x',
      'record-early~x',
    ]);
  });
});

/**
 * A rebuild writes into empty tables, so it folds its pages in memory and writes each row once per flush: the
 * statements it sends grow with the rows it writes (a few per table and flush), not with the pages it reads. Counted on
 * the SqlClient the rebuild writes through (the store reads through its own).
 */
describe.each(SPEC_BACKENDS)('rebuild statements on %s', (_name, backend) => {
  const STREAMS = 400;
  const ROUNDS = 5;
  let database: ThrowawayDatabase | undefined;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = backend === 'postgres' ? await createThrowawayDatabase() : undefined;
    store = await PostgresEventStore.open(database ? pgSqlClient(database.url, { max: 4 }) : await pgliteSqlClient());
    await migrateReadSide(store.sql);
    // Round by round, so every page touches streams that earlier pages touched too.
    for (let round = 0; round < ROUNDS; round++)
      await store.appendToStreams(
        Array.from({ length: STREAMS }, (_, n) => ({
          stream: `record-ln${n}~ach`,
          expectedRevision: round === 0 ? ('no_stream' as const) : BigInt(round - 1),
          events: [
            round === ROUNDS - 1
              ? {
                  id: randomUUID(),
                  type: 'AchievementAwarded',
                  data: { awardId: `award-${n}`, learnerId: `ln${n}`, achievementId: 'ach' } as JsonObject,
                }
              : { id: randomUUID(), type: 'Stepped', data: { round } as JsonObject },
          ],
        })),
      );
  });
  afterAll(async () => {
    await store.close();
    await database?.drop();
  });

  /** The rebuild's statements through a counting client, by the table they write or read. */
  async function rebuildCounted(options: RebuildOptions) {
    const statements: string[] = [];
    const counted = (query: SqlQuery): SqlQuery =>
      ((text: string, params?: readonly unknown[]) => {
        statements.push(text);
        return query(text, params);
      }) as SqlQuery;
    const sql: SqlClient = {
      ...store.sql,
      kind: store.sql.kind,
      query: counted(store.sql.query.bind(store.sql)),
      transaction: (work) => store.sql.transaction((query) => work(counted(query))),
    };
    const result = await rebuildProjections(
      store,
      sql,
      [streamSummaryProjection, awardIndexProjection],
      undefined,
      options,
    );
    const matching = (pattern: RegExp) => statements.filter((text) => pattern.test(text)).length;
    return {
      result,
      total: statements.length,
      summaryWrites: matching(/^\s*INSERT INTO tessera_stream_summary/),
      awardWrites: matching(/^\s*INSERT INTO tessera_award_index/),
      summaryReads: matching(/FROM tessera_stream_summary WHERE stream_name IN/),
    };
  }

  const expected = async () =>
    [...foldStreamSummaries(await store.readAll({ maxCount: STREAMS * ROUNDS + 1 })).values()].sort((a, b) =>
      a.stream < b.stream ? -1 : 1,
    );
  const sorted = (summaries: StreamSummary[]) => [...summaries].sort((a, b) => (a.stream < b.stream ? -1 : 1));

  it('writes each table once however many pages it reads', async () => {
    const fewPages = await rebuildCounted({ pageSize: STREAMS * ROUNDS });
    const manyPages = await rebuildCounted({ pageSize: 50 });
    expect(manyPages.result.events).toBe(STREAMS * ROUNDS);
    expect([manyPages.summaryWrites, manyPages.awardWrites, manyPages.summaryReads]).toEqual([1, 1, 0]);
    // 40 pages send what one page does: the rows are written once, and nothing is read back.
    expect(manyPages.total).toBe(fewPages.total);
    expect(sorted(await listStreamSummaries(store.sql.query))).toEqual(await expected());
    expect(await store.sql.query('SELECT count(*)::int AS n FROM tessera_award_index')).toEqual([{ n: STREAMS }]);
  });

  it('writes a flush per so many rows, and reads back only the rows it let go', async () => {
    const small = await rebuildCounted({ pageSize: 50, flushRows: 100, cachedRows: 150 });
    // 2,000 row changes over 400 streams, 100 a flush; the rows let go are read back when touched again.
    expect(small.summaryWrites).toBeGreaterThanOrEqual(STREAMS / 100);
    expect(small.summaryWrites).toBeLessThanOrEqual((STREAMS * ROUNDS) / 100 + 1);
    expect(small.summaryReads).toBeGreaterThan(0);
    expect(sorted(await listStreamSummaries(store.sql.query))).toEqual(await expected());
    expect(await store.sql.query('SELECT count(*)::int AS n FROM tessera_award_index')).toEqual([{ n: STREAMS }]);
  });
});

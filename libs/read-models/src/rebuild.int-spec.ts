import { randomUUID } from 'node:crypto';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { Client } from 'pg';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { rebuildProjections } from './rebuild';
import { listStreamSummaries, streamSummaryProjection } from './stream-summary.projection';
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

import { randomUUID } from 'node:crypto';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../../test/support/postgres-server';
import { PostgresEventStore } from './postgres.event-store';
import { pgSqlClient } from './sql-client';

/** The session's named prepared statements, asked on the pool's one connection. */
const preparedOnSession = async (store: PostgresEventStore) =>
  (await store.sql.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name')).map(
    (row) => row.name,
  );

const event = () => ({ id: randomUUID(), type: 'Noted', data: { n: 1 }, metadata: {} });

describe('named prepared statements on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  beforeAll(async () => {
    database = await createThrowawayDatabase();
  });
  afterAll(() => database.drop());

  it('prepares the append and the stream reads once per connection, and reuses them', async () => {
    const store = await PostgresEventStore.open(pgSqlClient(database.url, { max: 1 }));
    try {
      await store.appendToStream('prepared-a', [event()], { expectedRevision: 'no_stream' });
      await store.appendToStream('prepared-b', [event()], { expectedRevision: 'no_stream' });
      await store.appendToStream('prepared-a', [event()], { expectedRevision: 0n });
      const read = await store.readStreams(['prepared-a', 'prepared-b']);
      expect(read.get('prepared-a')!.map((recorded) => recorded.revision)).toEqual([0n, 1n]);
      const names = await preparedOnSession(store);
      // 'no_stream' and an exact revision: two append statements, and the read, whatever the streams.
      expect(names.filter((name) => name.startsWith('tessera_'))).toHaveLength(3);
    } finally {
      await store.close();
    }
  });

  it('prepares nothing when turned off (PgBouncer in transaction mode), and works the same', async () => {
    const store = await PostgresEventStore.open(pgSqlClient(database.url, { max: 1, prepared: false }));
    try {
      await store.appendToStream('unprepared', [event()], { expectedRevision: 'no_stream' });
      await store.appendToStream('unprepared', [event()], { expectedRevision: 0n });
      expect((await store.readStreams(['unprepared'])).get('unprepared')).toHaveLength(2);
      expect(await preparedOnSession(store)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

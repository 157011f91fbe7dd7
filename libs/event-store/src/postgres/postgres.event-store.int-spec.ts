import { createThrowawayDatabase } from '../../../../test/support/postgres-server';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { pgSqlClient } from './sql-client';

describeEventStoreContract('postgres (pg, real PostgreSQL server)', async () => {
  const database = await createThrowawayDatabase();
  const opened: PostgresEventStore[] = [];
  const open = async () => {
    const store = await PostgresEventStore.open(pgSqlClient(database.url, { max: 60 }), { pollIntervalMs: 20 });
    opened.push(store);
    return store;
  };
  const store = await open();
  return {
    store,
    reopen: open,
    dispose: async () => {
      await Promise.all(opened.map((each) => each.close()));
      await database.drop();
    },
  };
});

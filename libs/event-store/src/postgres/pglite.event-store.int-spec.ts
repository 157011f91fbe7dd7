import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEventStoreContract } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { pgliteSqlClient } from './sql-client';

describeEventStoreContract('postgres (embedded PGlite, on disk)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-pglite-'));
  let current = await PostgresEventStore.open(await pgliteSqlClient(dataDir));
  return {
    store: current,
    // PGlite allows one instance per folder: a restart closes the first before opening the second.
    reopen: async () => {
      await current.close();
      current = await PostgresEventStore.open(await pgliteSqlClient(dataDir));
      return current;
    },
    dispose: async () => {
      await current.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import {
  type OpenedEventStore,
  pgliteSqlClient,
  pgSqlClient,
  PostgresEventStore,
  type SqlClient,
} from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../../test/support/postgres-server';
import { CheckpointEntity, READ_SIDE_MIGRATIONS, openReadSide, type OpenedStorage } from '..';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');

async function openEvents(sql: SqlClient): Promise<OpenedEventStore> {
  const store = await PostgresEventStore.open(sql);
  return { store, sql, close: () => store.close() };
}

/** The schema TypeORM would still change to match the entities: nothing, when migrations and entities agree. */
async function pendingSchemaChanges(storage: OpenedStorage): Promise<string[]> {
  const log = await storage.dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}

const migrationNames = READ_SIDE_MIGRATIONS.map((Migration) => new Migration().name);

let databases: ThrowawayDatabase[] = [];
const database = async () => {
  const made = await createThrowawayDatabase();
  databases.push(made);
  return made;
};
afterEach(async () => {
  await Promise.all(databases.map((made) => made.drop()));
  databases = [];
});

describe.each([
  ['PostgreSQL', async () => pgSqlClient((await database()).url)],
  ['PGlite', () => pgliteSqlClient()],
])('the read side on TypeORM (%s)', (_kind, openSql) => {
  it('is made by the migrations, recorded in the migrations table, exactly as the entities describe it', async () => {
    const storage = await openReadSide(await openEvents(await openSql()));
    try {
      const applied = await storage.sql.query<{ name: string }>('SELECT name FROM tessera_migrations ORDER BY id');
      expect(applied.map((row) => row.name)).toEqual(migrationNames);
      expect(await pendingSchemaChanges(storage)).toEqual([]);
      // Entities read and write through TypeORM's repositories.
      await storage.dataSource.getRepository(CheckpointEntity).insert({ projection: 'spec', position: '42' });
      const row = await storage.dataSource.getRepository(CheckpointEntity).findOneByOrFail({ projection: 'spec' });
      expect({ position: String(row.position), version: row.version, failedPosition: row.failedPosition }).toEqual({
        position: '42',
        version: 1,
        failedPosition: null,
      });
    } finally {
      await storage.close();
    }
  });

  it('reverts the last migration and runs it again', async () => {
    const storage = await openReadSide(await openEvents(await openSql()));
    try {
      // The last migration numbers the xAPI statements in the order they were stored (the statement query's cursor).
      await storage.dataSource.undoLastMigration({ transaction: 'all' });
      const columns = await storage.sql.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'tessera_xapi_statements' AND column_name = 'seq'",
      );
      expect(columns).toEqual([]);
      expect(await pendingSchemaChanges(storage)).toEqual(
        expect.arrayContaining([expect.stringContaining('ADD "seq" bigint')]),
      );
      await storage.dataSource.runMigrations({ transaction: 'all' });
      expect(await pendingSchemaChanges(storage)).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('rolls back a transaction that fails, and writes nothing of it', async () => {
    const storage = await openReadSide(await openEvents(await openSql()));
    try {
      await expect(
        storage.sql.transaction(async (query) => {
          await query("INSERT INTO tessera_checkpoints (projection, position) VALUES ('doomed', 1)");
          throw new Error('the batch failed');
        }),
      ).rejects.toThrow('the batch failed');
      expect(await storage.sql.query("SELECT * FROM tessera_checkpoints WHERE projection = 'doomed'")).toEqual([]);
      // UPDATE … RETURNING answers its rows, as every other statement does.
      await storage.sql.query("INSERT INTO tessera_checkpoints (projection, position) VALUES ('kept', 1)");
      const updated = await storage.sql.query<{ position: string | number }>(
        "UPDATE tessera_checkpoints SET position = 2 WHERE projection = 'kept' RETURNING position",
      );
      expect(updated.map((row) => Number(row.position))).toEqual([2]);
    } finally {
      await storage.close();
    }
  });
});

describe('the read side on TypeORM, embedded', () => {
  it('keeps a TypeORM transaction apart from the store: its statements wait, and never land inside it', async () => {
    const storage = await openReadSide(await openEvents(await pgliteSqlClient()));
    try {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const order: string[] = [];
      const transaction = storage.sql.transaction(async (query) => {
        await query("INSERT INTO tessera_checkpoints (projection, position) VALUES ('inside', 1)");
        order.push('transaction wrote');
        await held;
        throw new Error('rolled back');
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      // The store's own statement on the same instance, while the transaction is open.
      const append = storage.store
        .appendToStream('record-x', [{ id: '00000000-0000-4000-8000-000000000001', type: 'Seeded', data: {} }])
        .then(() => order.push('store appended'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(order).toEqual(['transaction wrote']);
      release();
      await expect(transaction).rejects.toThrow('rolled back');
      await append;
      expect(order).toEqual(['transaction wrote', 'store appended']);
      // The rollback took the transaction's row and nothing of the store's.
      expect(await storage.sql.query("SELECT * FROM tessera_checkpoints WHERE projection = 'inside'")).toEqual([]);
      expect(await storage.store.readStream('record-x')).toHaveLength(1);
    } finally {
      await storage.close();
    }
  });
});

describe('a database made before the read side moved to TypeORM', () => {
  let made: ThrowawayDatabase;
  beforeAll(async () => {
    made = await createThrowawayDatabase();
    const restore = spawnSync(
      'psql',
      [made.url, '--quiet', '--set', 'ON_ERROR_STOP=1', '-f', join(FIXTURES, 'database-before-typeorm.sql')],
      { encoding: 'utf8' },
    );
    if (restore.status !== 0) throw new Error(`restoring the dump failed: ${restore.stderr}`);
  });
  afterAll(() => made.drop());

  it('upgrades itself on open, keeping its rows, and a second process finds nothing left to do', async () => {
    const [first, second] = await Promise.all([
      openReadSide(await openEvents(pgSqlClient(made.url))),
      openReadSide(await openEvents(pgSqlClient(made.url))),
    ]);
    try {
      const applied = await first.sql.query<{ name: string }>('SELECT name FROM tessera_migrations ORDER BY id');
      expect(applied.map((row) => row.name)).toEqual(migrationNames);
      expect(await pendingSchemaChanges(first)).toEqual([]);
      const [{ transcripts }] = await first.sql.query<{ transcripts: number }>(
        'SELECT count(*)::int AS transcripts FROM tessera_transcripts',
      );
      expect(transcripts).toBe(4);
      const checkpoints = await first.sql.query<{ projection: string; version: number }>(
        'SELECT projection, version FROM tessera_checkpoints ORDER BY projection',
      );
      expect(checkpoints).toHaveLength(8);
      expect(checkpoints.every((row) => row.version === 1)).toBe(true);
      const [{ keys }] = await second.sql.query<{ keys: number }>(
        'SELECT count(*)::int AS keys FROM tessera_issuer_keys',
      );
      expect(keys).toBe(1);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

import type { PGlite } from '@electric-sql/pglite';
import { openEventStore, type OpenedEventStore, type SqlClient, type StorageLocation } from '@app/event-store';
import type { Pool } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { READ_SIDE_MIGRATIONS } from '../migrations';
import { pgliteDriver, sharedPoolDriver } from './drivers';
import { READ_SIDE_ENTITIES } from './entities';

/** The stores opened, with the read side on TypeORM: `sql` runs through the DataSource, over the store's connections. */
export interface OpenedStorage extends OpenedEventStore {
  readonly dataSource: DataSource;
}

export interface ReadSideOptions {
  /** Run the pending migrations (the default); `false` leaves them to `tessera migrations`. */
  readonly migrate?: boolean;
}

/** Connects to the configured stores, migrates the events schema and then the read side's (TypeORM migrations). */
export async function openStorage(location: StorageLocation, options?: ReadSideOptions): Promise<OpenedStorage> {
  return openReadSide(await openEventStore(location), options);
}

/** Puts the read side on TypeORM over opened stores, and migrates it; closing it closes the stores too. */
export async function openReadSide(events: OpenedEventStore, options: ReadSideOptions = {}): Promise<OpenedStorage> {
  let dataSource: DataSource | undefined;
  try {
    dataSource = await openReadDataSource(events.sql);
    if (options.migrate !== false) await runMigrationsLocked(dataSource, events.sql);
  } catch (error) {
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
    await events.close().catch(() => undefined);
    throw error;
  }
  const opened = dataSource;
  return {
    store: events.store,
    sql: typeormSqlClient(opened, events.sql),
    dataSource: opened,
    close: async () => {
      if (opened.isInitialized) await opened.destroy();
      await events.close();
    },
  };
}

/** A DataSource of the read side's entities and migrations over the store's own pool or PGlite instance. */
export async function openReadDataSource(sql: SqlClient): Promise<DataSource> {
  const dataSource = new DataSource({
    type: 'postgres',
    driver: driverOf(sql),
    entities: READ_SIDE_ENTITIES,
    migrations: READ_SIDE_MIGRATIONS,
    migrationsTableName: 'tessera_migrations',
    migrationsTransactionMode: 'all',
    installExtensions: false,
    synchronize: false,
    logging: false,
  });
  return dataSource.initialize();
}

function driverOf(sql: SqlClient) {
  if (sql.kind === 'pg' && 'pool' in sql) return sharedPoolDriver(sql.pool as Pool);
  if (sql.kind === 'pglite' && 'db' in sql) return pgliteDriver(sql.db as PGlite);
  throw new Error('the read side needs the store’s pg pool or PGlite instance');
}

/** Runs the read side's migrations over a store's own connections, for tools and tests that hold just the store. */
export async function migrateReadSide(sql: SqlClient): Promise<string[]> {
  const dataSource = await openReadDataSource(sql);
  try {
    return await runMigrationsLocked(dataSource, sql);
  } finally {
    await dataSource.destroy();
  }
}

/** Serialises the migrations of processes starting at once (the events schema has its own key). */
const MIGRATIONS_LOCK = 7355610;

/** Runs pending migrations in one transaction, holding an advisory lock on a session of its own meanwhile. */
export async function runMigrationsLocked(dataSource: DataSource, sql: SqlClient): Promise<string[]> {
  return underMigrationsLock(sql, async () => {
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((migration) => migration.name);
  });
}

/** Reverts the last migration run, under the same lock; answers its name, or undefined when none has run. */
export async function revertLastMigration(dataSource: DataSource, sql: SqlClient): Promise<string | undefined> {
  return underMigrationsLock(sql, async () => {
    const [last] = (await migrationStates(dataSource)).filter((state) => state.applied).slice(-1);
    if (!last) return undefined;
    await dataSource.undoLastMigration({ transaction: 'all' });
    return last.name;
  });
}

/** Every migration, oldest first, and whether it has run on this database. */
export async function migrationStates(dataSource: DataSource): Promise<Array<{ name: string; applied: boolean }>> {
  const [table] = await dataSource.query<Array<{ exists: boolean }>>(
    "SELECT to_regclass('tessera_migrations') IS NOT NULL AS exists",
  );
  const applied = new Set(
    table.exists
      ? (await dataSource.query<Array<{ name: string }>>('SELECT name FROM tessera_migrations')).map((row) => row.name)
      : [],
  );
  return dataSource.migrations.map((migration) => ({
    name: migration.name ?? migration.constructor.name,
    applied: applied.has(migration.name ?? migration.constructor.name),
  }));
}

async function underMigrationsLock<T>(sql: SqlClient, work: () => Promise<T>): Promise<T> {
  return sql.session(async (session) => {
    await session('SELECT pg_advisory_lock($1)', [MIGRATIONS_LOCK]);
    try {
      return await work();
    } finally {
      await session('SELECT pg_advisory_unlock($1)', [MIGRATIONS_LOCK]);
    }
  });
}

/**
 * The read models' SqlClient on TypeORM: statements run on the DataSource's query runners and transactions are
 * EntityManager transactions; a session (advisory locks) is held on the store's own client.
 */
export function typeormSqlClient(dataSource: DataSource, sql: SqlClient): SqlClient {
  const records = async <Row>(runner: QueryRunner, text: string, params?: readonly unknown[]) =>
    (await runner.query(text, params as unknown[], true)).records as Row[];
  return {
    kind: sql.kind,
    async query(text, params) {
      const runner = dataSource.createQueryRunner();
      try {
        return await records(runner, text, params);
      } finally {
        await runner.release();
      }
    },
    transaction: (work) =>
      dataSource.transaction((manager) => work((text, params) => records(manager.queryRunner!, text, params))),
    session: (work) => sql.session(work),
    ...(sql.listen ? { listen: sql.listen.bind(sql) } : {}),
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

import type { EventStore } from './event-store.port';
import { EventStoreDbEventStore } from './eventstoredb/eventstoredb.event-store';
import { PostgresEventStore } from './postgres/postgres.event-store';
import { pgliteSqlClient, pgSqlClient, type SqlClient } from './postgres/sql-client';

/** Where the relational data lives: a PostgreSQL server, or embedded PGlite in a folder. */
export type DatabaseLocation =
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Named prepared statements for the hot statements; false behind PgBouncer in transaction mode. */
      readonly prepared?: boolean;
    }
  | { readonly kind: 'pglite'; readonly dataDir: string };

export interface StorageLocation {
  readonly database: DatabaseLocation;
  /** When set, events live in EventStoreDB and the database holds only checkpoints and read models. */
  readonly eventStoreUrl?: string;
}

export interface OpenedEventStore {
  readonly store: EventStore;
  /** The PostgreSQL or PGlite connection, for checkpoints and read models (and the events, unless in EventStoreDB). */
  readonly sql: SqlClient;
  /** Closes the event store and the database connection. */
  close(): Promise<void>;
}

/** Connects to the configured stores and migrates them; throws the driver's error when it cannot. */
export async function openEventStore(location: StorageLocation): Promise<OpenedEventStore> {
  const sql =
    location.database.kind === 'postgres'
      ? pgSqlClient(location.database.url, { prepared: location.database.prepared })
      : await pgliteSqlClient(location.database.dataDir);
  try {
    if (!location.eventStoreUrl) {
      const store = await PostgresEventStore.open(sql);
      return { store, sql, close: () => store.close() };
    }
    const store = await EventStoreDbEventStore.connect(location.eventStoreUrl);
    return { store, sql, close: () => Promise.all([store.close(), sql.close()]).then(() => undefined) };
  } catch (error) {
    await sql.close().catch(() => undefined);
    throw error;
  }
}

export * from './event-store.port';
export * from './event-store.errors';
export { checkAppend, assertValidStreamName, assertValidFilter } from './append-validation';
export { InMemoryEventStore } from './memory/memory.event-store';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
  translate as translateConnectionError,
} from './postgres/postgres.event-store';
export {
  pgSqlClient,
  pgliteSqlClient,
  wrapPGlite,
  type Listening,
  type PgSqlClientOptions,
  type QueryOptions,
  type SqlClient,
} from './postgres/sql-client';
export { IDEMPOTENCY_TABLE } from './postgres/postgres.schema';
export { openEventStore, type OpenedEventStore, type DatabaseLocation, type StorageLocation } from './open-event-store';
export { migrate } from './postgres/migrate';
export { matchesFilter } from './catch-up-subscription';
export { readAllEvents, groupByStream, byPosition } from './read-all-events';

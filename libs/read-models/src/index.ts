export * from './projection';
export { applyRows, type RowModel, rowProjection } from './row-model';
export * from './checkpoints';
export { ProjectionRunner, type ProjectionRunnerOptions, type ProjectionStateChange } from './projection-runner';
export * from './stream-summary.projection';
export { PROJECTIONS } from './all-projections';
export * from './award-index.projection';
export * from './achievement-catalogue.projection';
export * from './pathway-catalogue.projection';
export { type CatalogueFilter } from './definition-catalogue';
export * from './transcript.projection';
export * from './learner-issuers.projection';
export * from './analytics.projection';
export * from './rebuild';
export * from './learner-changes';
export * from './typeorm/entities';
export {
  migrateReadSide,
  migrationStates,
  openReadSide,
  openStorage,
  revertLastMigration,
  runMigrationsLocked,
  type OpenedStorage,
  type ReadSideOptions,
} from './typeorm/read-side';
export { READ_SIDE_MIGRATIONS } from './migrations';

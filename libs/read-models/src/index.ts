export * from './projection';
export * from './checkpoints';
export { ProjectionRunner, type ProjectionRunnerOptions } from './projection-runner';
export * from './stream-summary.projection';
export { PROJECTIONS } from './all-projections';
export * from './award-index.projection';
export * from './achievement-catalogue.projection';
export * from './pathway-catalogue.projection';
export { type CatalogueFilter } from './definition-catalogue';

import { achievementCatalogueProjection } from './achievement-catalogue.projection';
import { analyticsProjection } from './analytics.projection';
import { awardIndexProjection } from './award-index.projection';
import { learnerIssuersProjection } from './learner-issuers.projection';
import { pathwayCatalogueProjection } from './pathway-catalogue.projection';
import type { Projection } from './projection';
import { streamSummaryProjection } from './stream-summary.projection';
import { transcriptProjection } from './transcript.projection';

/** Every projection the api (inline) or the projector runs. */
export const PROJECTIONS: readonly Projection[] = [
  streamSummaryProjection,
  achievementCatalogueProjection,
  pathwayCatalogueProjection,
  awardIndexProjection,
  transcriptProjection,
  learnerIssuersProjection,
  analyticsProjection,
];

import {
  evolvePathway,
  initialPathway,
  isPathwayEvent,
  latestPathwayVersion,
  type Pathway,
  type PathwayEvent,
  STREAM_PREFIX,
} from '@app/domain';
import { type CatalogueFilter, definitionCatalogueProjection, listCatalogue } from './definition-catalogue';
import { PathwayCatalogueEntity, tableOf } from './typeorm/entities';
import type { SqlQuery } from './projection';

const TABLE = tableOf(PathwayCatalogueEntity);

export const pathwayCatalogueProjection = definitionCatalogueProjection<Pathway, PathwayEvent>({
  name: 'pathway-catalogue',
  entity: PathwayCatalogueEntity,
  streamPrefix: STREAM_PREFIX.pathway,
  idOf: (event) => (isPathwayEvent(event as PathwayEvent) ? (event as PathwayEvent).data.pathwayId : undefined),
  initialState: initialPathway,
  evolve: evolvePathway,
  row: (state) => {
    const latest = latestPathwayVersion(state);
    if (state.status === 'none' || !latest) return undefined;
    return {
      id: state.pathwayId,
      issuerId: state.issuerId,
      status: state.status,
      category: latest.definition.award.type,
      title: latest.definition.title,
    };
  },
});

/** Pathways by issuer, award type (`category`) and status. */
export const listPathways = (query: SqlQuery, filter: CatalogueFilter) => listCatalogue<Pathway>(query, TABLE, filter);

import {
  type Achievement,
  type AchievementEvent,
  evolveAchievement,
  initialAchievement,
  isAchievementEvent,
  latestVersion,
  STREAM_PREFIX,
} from '@app/domain';
import { type CatalogueFilter, definitionCatalogueProjection, listCatalogue } from './definition-catalogue';
import { AchievementCatalogueEntity, tableOf } from './typeorm/entities';
import type { SqlQuery } from './projection';

const TABLE = tableOf(AchievementCatalogueEntity);

export const achievementCatalogueProjection = definitionCatalogueProjection<Achievement, AchievementEvent>({
  name: 'achievement-catalogue',
  entity: AchievementCatalogueEntity,
  streamPrefix: STREAM_PREFIX.achievement,
  idOf: (event) =>
    isAchievementEvent(event as AchievementEvent) ? (event as AchievementEvent).data.achievementId : undefined,
  initialState: initialAchievement,
  evolve: evolveAchievement,
  row: (state) => {
    const latest = latestVersion(state);
    if (state.status === 'none' || !latest) return undefined;
    return {
      id: state.achievementId,
      issuerId: state.issuerId,
      status: state.status,
      category: latest.definition.kind,
      title: latest.definition.title,
    };
  },
});

/** Achievements by issuer, kind (`category`) and status. */
export const listAchievements = (query: SqlQuery, filter: CatalogueFilter) =>
  listCatalogue<Achievement>(query, TABLE, filter);

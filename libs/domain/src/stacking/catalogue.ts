import type { AchievementKind, Credit, Level } from '../achievement/achievement.definition';
import type { Rule } from './rule';

/**
 * What the stacking engine needs of an achievement: its kind (for `count`), credits and level (fallbacks), and its
 * issuer (whose awards a pathway of another issuer counts only under a recognition).
 */
export type CatalogueAchievement = {
  kind: AchievementKind;
  credits?: readonly Credit[];
  level?: Level;
  issuerId?: string;
};
/** What it needs of a nested pathway: the rule of the version that applies (the caller's choice). */
export type CataloguePathway = { rule: Rule; version?: number };

/**
 * Lookups by id. A `StackingCatalogue` is also the `RuleLookups` of `validateRule`: a definition that exists is known.
 */
export type StackingCatalogue = {
  achievement: (achievementId: string) => CatalogueAchievement | undefined;
  pathway: (pathwayId: string) => CataloguePathway | undefined;
};

/** A catalogue over plain records of achievements and pathways by id. */
export function catalogueOf(entries: {
  achievements?: { readonly [achievementId: string]: CatalogueAchievement };
  pathways?: { readonly [pathwayId: string]: CataloguePathway };
}): StackingCatalogue {
  const achievements = new Map(Object.entries(entries.achievements ?? {}));
  const pathways = new Map(Object.entries(entries.pathways ?? {}));
  return { achievement: (id) => achievements.get(id), pathway: (id) => pathways.get(id) };
}

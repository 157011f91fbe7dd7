import {
  type Achievement,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  isId,
  latestPathwayVersion,
  latestVersion,
  type Pathway,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  type Rule,
  ruleReferences,
  type StackingCatalogue,
} from '@app/domain';
import type { StreamLoader } from './stream-commands';

/** The definitions a rule reaches, directly or through nested pathways, as read from their streams. */
export interface RuleCatalogue {
  readonly achievements: ReadonlyMap<string, Achievement>;
  readonly pathways: ReadonlyMap<string, Pathway>;
  /** Lookups for validation and the stacking engine: defined achievements and pathways (their latest versions). */
  readonly stacking: StackingCatalogue;
  /** The latest rule of a known pathway. */
  ruleOf(pathwayId: string): Rule | undefined;
}

/** How many pathways one load may reach: a guard against a runaway catalogue, far above real pathways. */
const MAX_PATHWAYS = 500;

/**
 * Loads every achievement and pathway the rules name, following nested pathways to the bottom, and the achievements
 * listed besides (those a learner holds, whose kind a `count` rule reads). Through StreamCommands, each definition's
 * fold is cached and only its new events are read; through a command's loader, what it read beside its stream.
 */
export async function loadRuleCatalogue(
  streams: StreamLoader,
  rules: readonly unknown[],
  alsoAchievements: readonly string[] = [],
): Promise<RuleCatalogue> {
  const achievements = new Map<string, Achievement>();
  const pathways = new Map<string, Pathway>();
  let pending: readonly unknown[] = [...rules, { allOf: alsoAchievements.map((achievement) => ({ achievement })) }];
  while (pending.length > 0 && pathways.size < MAX_PATHWAYS) {
    const references = pending.map(ruleReferences);
    const achievementIds = unique(references.flatMap((reference) => reference.achievements)).filter(
      (id) => !achievements.has(id),
    );
    const pathwayIds = unique(references.flatMap((reference) => reference.pathways)).filter((id) => !pathways.has(id));
    await Promise.all([
      ...achievementIds.map(async (id) =>
        achievements.set(
          id,
          await streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider),
        ),
      ),
      ...pathwayIds.map(async (id) =>
        pathways.set(id, await streams.load<Pathway, PathwayEvent>(pathwayStream(id), pathwayDecider)),
      ),
    ]);
    pending = pathwayIds
      .map((id) => latestPathwayVersion(pathways.get(id)!)?.definition.rule)
      .filter((rule) => rule !== undefined);
  }
  const ruleOf = (pathwayId: string) => {
    const pathway = pathways.get(pathwayId);
    return pathway ? latestPathwayVersion(pathway)?.definition.rule : undefined;
  };
  return {
    achievements,
    pathways,
    ruleOf,
    stacking: {
      achievement: (id) => {
        const achievement = achievements.get(id);
        const latest = achievement && latestVersion(achievement);
        if (!latest || achievement.status === 'none') return undefined;
        const { kind, credits, level } = latest.definition;
        return { kind, credits, level, issuerId: achievement.issuerId };
      },
      pathway: (id) => {
        const latest = pathways.get(id) && latestPathwayVersion(pathways.get(id)!);
        return latest && { rule: latest.definition.rule, version: latest.version };
      },
    },
  };
}

/** Valid ids only: anything else is left for rule validation to report. */
function unique(ids: readonly string[]): string[] {
  return [...new Set(ids.filter((id) => isId(id)))];
}

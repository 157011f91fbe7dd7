import type { Event } from '../shared/decider';
import type { AchievementDefinition } from './achievement.definition';

/** Stream `achievement-{achievementId}`. Version 1 is defined; each revision is the next version, in full. */
export type AchievementDefined = Event<
  'AchievementDefined',
  {
    schemaVersion: 1;
    achievementId: string;
    issuerId: string;
    version: 1;
    definition: AchievementDefinition;
    definedAt: string;
    definedBy: string;
  }
>;

export type AchievementRevised = Event<
  'AchievementRevised',
  {
    schemaVersion: 1;
    achievementId: string;
    issuerId: string;
    version: number;
    /** The whole new definition, not a patch. */
    definition: AchievementDefinition;
    revisedAt: string;
    revisedBy: string;
  }
>;

/** Every version is retired: no more evidence, assessments or awards; awards already made stand. */
export type AchievementRetired = Event<
  'AchievementRetired',
  {
    schemaVersion: 1;
    achievementId: string;
    issuerId: string;
    reason?: string;
    retiredAt: string;
    retiredBy: string;
  }
>;

export type AchievementEvent = AchievementDefined | AchievementRevised | AchievementRetired;

export const ACHIEVEMENT_EVENT_TYPES: readonly AchievementEvent['type'][] = [
  'AchievementDefined',
  'AchievementRevised',
  'AchievementRetired',
];

export const isAchievementEvent = (event: { type: string }): event is AchievementEvent =>
  (ACHIEVEMENT_EVENT_TYPES as readonly string[]).includes(event.type);

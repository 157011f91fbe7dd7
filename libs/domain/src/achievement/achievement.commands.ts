import type { Command } from '../shared/decider';
import type { AchievementDefinitionInput } from './achievement.definition';

export type DefineAchievement = Command<
  'DefineAchievement',
  { achievementId: string; issuerId: string; definition: AchievementDefinitionInput }
>;

/** The full new definition; it becomes the next version. */
export type ReviseAchievement = Command<
  'ReviseAchievement',
  { achievementId: string; definition: AchievementDefinitionInput }
>;

export type RetireAchievement = Command<'RetireAchievement', { achievementId: string; reason?: string }>;

export type AchievementCommand = DefineAchievement | ReviseAchievement | RetireAchievement;

import type { Achievement, AchievementVersion } from '../achievement/achievement.state';
import { findVersion, latestVersion } from '../achievement/achievement.state';
import { DomainError } from '../shared/domain-error';
import { latestAssessment, type LearnerRecord } from './record.state';

/**
 * State from other streams the handler loads and passes to the record decider: the achievement (every command), and
 * for AwardAchievement the learner's records on the prerequisites of the version to be awarded, keyed by achievement id
 * (`prerequisitesToLoad` names them; a missing one counts as not held).
 */
export type RecordContext = {
  achievement: Achievement;
  prerequisites?: { [achievementId: string]: LearnerRecord };
};

export type DefinedAchievement = Exclude<Achievement, { status: 'none' }>;

/** The achievement the command is about; unknown-achievement when it was never defined. */
export function achievementOf(context: RecordContext, achievementId: string): DefinedAchievement {
  const { achievement } = context;
  if (achievement.status === 'none')
    throw new DomainError('unknown-achievement', `No achievement ${achievementId} is defined`);
  if (achievement.achievementId !== achievementId)
    throw new Error(`The context holds the achievement ${achievement.achievementId}, not ${achievementId}`);
  return achievement;
}

export function requirePublished(achievement: DefinedAchievement, action: string): void {
  if (achievement.status === 'retired')
    throw new DomainError(
      'achievement-retired',
      `The achievement ${achievement.achievementId} was retired at ${achievement.retiredAt}: cannot ${action}`,
    );
}

/** A version of a published achievement: the one named, or the latest. */
export function usableVersion(
  achievement: DefinedAchievement,
  version: number | undefined,
  action: string,
): AchievementVersion {
  requirePublished(achievement, action);
  const found = version === undefined ? latestVersion(achievement) : findVersion(achievement, version);
  if (found === undefined)
    throw new DomainError('unknown-version', `The achievement ${achievement.achievementId} has no version ${version}`);
  return found;
}

/** The achievements whose records AwardAchievement needs in its context: the prerequisites of the version to award. */
export function prerequisitesToLoad(record: LearnerRecord, achievement: Achievement): string[] {
  const assessment = latestAssessment(record);
  if (assessment === undefined) return [];
  return findVersion(achievement, assessment.version)?.definition.prerequisites ?? [];
}

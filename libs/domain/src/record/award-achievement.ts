import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { compareInstants } from '../shared/instant';
import { addDuration } from '../shared/iso-duration';
import { checkMetadata, Validation } from '../shared/validation';
import type { AwardAchievement } from './record.commands';
import { achievementOf, type RecordContext, requirePublished, usableVersion } from './record.context';
import type { AchievementAwarded } from './record.events';
import { activeAwardAt, awardStatusAt, latestAssessment, type LearnerRecord, validAwardAt } from './record.state';

/**
 * Awards the achievement on the record's latest assessment. Refused unless that assessment passed and backs no earlier
 * award (after a revocation or expiry, a new assessment is needed), no award stands (valid or suspended), and every
 * prerequisite of the version assessed is held by a valid award at this instant.
 */
export function awardAchievement(
  command: AwardAchievement,
  record: LearnerRecord,
  context: RecordContext,
): AchievementAwarded {
  const { data, metadata } = command;
  const { actor } = metadata;
  requireRole(actor, ['issuer-admin', 'assessor'], 'award an achievement');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const awardId = v.id('awardId', data.awardId);
  // When it was awarded: what validity, prerequisites and the award standing before it are judged at. Only a date
  // given (a record moved from another system) is held to the order of the record: instances' clocks may differ.
  const backdated = v.optionalPastInstant('awardedAt', data.awardedAt, now);
  const awardedAt = backdated ?? now;
  v.done();

  const achievement = achievementOf(context, achievementId);
  requireIssuer(actor, achievement.issuerId, 'award an achievement');
  requirePublished(achievement, 'award it');
  if (record.awards.some((award) => award.awardId === awardId))
    throw new DomainError('duplicate-id', `The record already holds the award ${awardId}`);
  const later = backdated && record.awards.find((award) => compareInstants(award.issuedAt, backdated) > 0);
  if (later)
    throw new DomainError(
      'award-out-of-order',
      `The record holds an award made after ${awardedAt} (award ${later.awardId}, ${later.issuedAt}): awards are recorded in the order they were made`,
    );
  const standing = activeAwardAt(record, awardedAt);
  if (standing !== undefined)
    throw new DomainError(
      'already-awarded',
      `The learner ${learnerId} already holds ${achievementId} (award ${standing.awardId}, ${awardStatusAt(standing, awardedAt)})`,
    );
  const assessment = latestAssessment(record);
  if (assessment === undefined)
    throw new DomainError('no-passing-assessment', `The learner ${learnerId} has no assessment on ${achievementId}`);
  if (assessment.outcome !== 'passed')
    throw new DomainError(
      'no-passing-assessment',
      `The latest assessment, ${assessment.assessmentId}, is not yet a pass`,
    );
  if (backdated && compareInstants(backdated, assessment.assessedAt) < 0)
    throw new DomainError(
      'awarded-before-assessment',
      `awardedAt ${awardedAt} is before the assessment it rests on (${assessment.assessmentId}, assessed ${assessment.assessedAt})`,
    );
  const used = record.awards.find((award) => award.assessmentId === assessment.assessmentId);
  if (used !== undefined)
    throw new DomainError(
      'no-passing-assessment',
      `The latest assessment, ${assessment.assessmentId}, already backs the award ${used.awardId}: a new assessment is needed`,
    );
  const { version, definition } = usableVersion(achievement, assessment.version, 'award it');
  const missing = definition.prerequisites.filter((id) => {
    const prerequisite = context.prerequisites?.[id];
    const held = prerequisite && validAwardAt(prerequisite, awardedAt);
    return !held || (backdated !== undefined && compareInstants(held.issuedAt, backdated) > 0);
  });
  if (missing.length > 0)
    throw new DomainError(
      'prerequisite-missing',
      `Version ${version} of ${achievementId} needs a valid award of ${missing.join(', ')}, which the learner does not hold`,
    );

  return {
    type: 'AchievementAwarded',
    data: {
      schemaVersion: 1,
      learnerId,
      achievementId,
      issuerId: achievement.issuerId,
      version,
      awardId,
      assessmentId: assessment.assessmentId,
      issuedAt: awardedAt,
      ...(definition.validity === undefined ? {} : { validUntil: addDuration(awardedAt, definition.validity) }),
      credits: definition.credits,
      level: definition.level,
      notionalHours: definition.notionalHours,
      awardedBy: actor.sub,
    },
  };
}

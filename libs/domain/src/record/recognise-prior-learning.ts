import { checkCredits, checkLevel } from '../achievement/achievement.definition';
import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import type { RecognisePriorLearning } from './record.commands';
import { achievementOf, type RecordContext, requirePublished } from './record.context';
import type { PriorLearningRecognised } from './record.events';
import type { LearnerRecord } from './record.state';
import { checkArtifact } from './submit-evidence';

/** A registrar of the achievement's issuer recognises an external credential for credit towards it. */
export function recognisePriorLearning(
  command: RecognisePriorLearning,
  record: LearnerRecord,
  context: RecordContext,
): PriorLearningRecognised {
  const { data, metadata } = command;
  const { actor } = metadata;
  requireRole(actor, ['registrar'], 'recognise prior learning');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const recognitionId = v.id('recognitionId', data.recognitionId);
  const issuer = v.text('issuer', data.issuer);
  const title = v.text('title', data.title);
  const url = v.optionalUrl('url', data.url);
  const awardedAt = v.optionalPastInstant('awardedAt', data.awardedAt, now);
  const credits = checkCredits(v, 'credits', data.credits, 1);
  const level = data.level === undefined ? undefined : checkLevel(v, 'level', data.level);
  const evidenceInput = v.object('evidence', data.evidence);
  const description = v.text('evidence.description', evidenceInput.description, LONG_TEXT);
  const artifact =
    evidenceInput.artifact === undefined ? undefined : checkArtifact(v, 'evidence.artifact', evidenceInput.artifact);
  v.done();

  const achievement = achievementOf(context, achievementId);
  requireIssuer(actor, achievement.issuerId, 'recognise prior learning');
  requirePublished(achievement, 'recognise prior learning towards it');
  if (record.recognitions.some((recognition) => recognition.recognitionId === recognitionId))
    throw new DomainError('duplicate-id', `The record already holds the recognition ${recognitionId}`);

  return {
    type: 'PriorLearningRecognised',
    data: {
      schemaVersion: 1,
      learnerId,
      achievementId,
      recognitionId,
      issuer,
      title,
      ...(url === undefined ? {} : { url }),
      ...(awardedAt === undefined ? {} : { awardedAt }),
      credits,
      ...(level === undefined ? {} : { level }),
      evidence: { description, ...(artifact === undefined ? {} : { artifact }) },
      recognisedBy: actor.sub,
      recognisedAt: now,
    },
  };
}

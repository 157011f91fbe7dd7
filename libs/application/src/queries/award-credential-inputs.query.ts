import {
  type Achievement,
  achievementDecider,
  type AchievementAwarded,
  type AchievementEvent,
  achievementStream,
  type AchievementVersion,
  type AssessmentRecorded,
  type EvidenceSubmitted,
  findVersion,
  type Issuer,
  issuerDecider,
  type IssuerEvent,
  issuerStream,
  recordStream,
} from '@app/domain';
import { StreamCommands } from '../stream-commands';
import { awardLocation } from './award-location.query';
import type { ReadSide } from './read-side';

/** What an award's Open Badges 3.0 credential is built from, all of it from the ledger. */
export interface AwardCredentialInputs {
  readonly award: AchievementAwarded['data'];
  readonly assessment?: AssessmentRecorded['data'];
  readonly evidence: ReadonlyArray<EvidenceSubmitted['data']>;
  readonly definition: AchievementVersion['definition'];
  readonly issuer: Extract<Issuer, { status: 'registered' }>;
}

/**
 * The award (found by its id), the assessment it rests on and that assessment's evidence, from its record stream; the
 * achievement version and the issuer it names, from theirs. Undefined for an unknown award.
 */
export async function awardCredentialInputs(
  read: ReadSide,
  awardId: string,
): Promise<AwardCredentialInputs | undefined> {
  const location = await awardLocation(read, awardId);
  if (!location) return undefined;
  const streams = new StreamCommands(read.store);
  const events = await streams.readStream(recordStream(location.learnerId, location.achievementId));
  const awarded = events.find(
    (event) => event.type === 'AchievementAwarded' && (event.data as { awardId?: string }).awardId === awardId,
  );
  if (!awarded) return undefined;
  const award = awarded.data as unknown as AchievementAwarded['data'];
  const assessment = events
    .filter((event) => event.type === 'AssessmentRecorded')
    .map((event) => event.data as unknown as AssessmentRecorded['data'])
    .find((data) => data.assessmentId === award.assessmentId);
  const evidenceIds = new Set(assessment?.evidenceIds ?? []);
  const evidence = events
    .filter((event) => event.type === 'EvidenceSubmitted')
    .map((event) => event.data as unknown as EvidenceSubmitted['data'])
    .filter((data) => evidenceIds.has(data.evidenceId));
  const achievement = await streams.load<Achievement, AchievementEvent>(
    achievementStream(award.achievementId),
    achievementDecider,
  );
  const version = findVersion(achievement, award.version);
  const issuer = await streams.load<Issuer, IssuerEvent>(issuerStream(award.issuerId), issuerDecider);
  if (!version || issuer.status !== 'registered')
    throw new Error(`award ${awardId} names an achievement version or issuer the store does not hold`);
  return {
    award,
    ...(assessment === undefined ? {} : { assessment }),
    evidence,
    definition: version.definition,
    issuer,
  };
}

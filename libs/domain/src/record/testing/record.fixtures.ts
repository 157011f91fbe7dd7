import { foldAchievement } from '../../achievement/achievement.decider';
import type { AchievementEvent } from '../../achievement/achievement.events';
import { ACHIEVEMENT_ID, achievementDefined } from '../../achievement/testing/achievement.fixtures';
import type { Actor } from '../../shared/actor';
import { assessor, issuerAdmin, ISSUER_ID, registrar } from '../../shared/testing/actors';
import { withoutUndefined } from '../../shared/testing/without-undefined';
import type {
  AwardAchievement,
  RecognisePriorLearning,
  RecordAssessment,
  ReinstateAward,
  RevokeAward,
  SubmitEvidence,
  SuspendAward,
} from '../record.commands';
import type { RecordContext } from '../record.context';
import type {
  AchievementAwarded,
  AssessmentRecorded,
  AwardReinstated,
  AwardRevoked,
  AwardSuspended,
  EvidenceSubmitted,
  EvidenceWithdrawn,
  PriorLearningRecognised,
} from '../record.events';

export const LEARNER_ID = '7f3c2a10-5b4e-4c1d-9a8f-0e6d5c4b3a21';
export const EVIDENCE_ID = 'ev-1';
export const ASSESSMENT_ID = 'as-1';
export const AWARD_ID = 'aw-1';

export const OBSERVED_AT = '2026-03-01T15:00:00.000Z';
export const SUBMITTED_AT = '2026-03-02T10:00:00.000Z';
export const ASSESSED_AT = '2026-03-05T11:00:00.000Z';
export const AWARDED_AT = '2026-03-10T14:00:00.000Z';
/** AWARDED_AT plus the fixture's validity, P2Y. */
export const VALID_UNTIL = '2028-03-10T14:00:00.000Z';
export const SUSPENDED_AT = '2026-04-01T09:00:00.000Z';
export const REINSTATED_AT = '2026-04-15T09:00:00.000Z';
export const REVOKED_AT = '2026-05-01T09:00:00.000Z';

type Metadata = { now?: string; actor?: Actor };
const key = { learnerId: LEARNER_ID, achievementId: ACHIEVEMENT_ID };
const meta = (now: string, actor: Actor, metadata: Metadata) => ({ now, actor, ...metadata });

/** The context of a record command: the achievement as these events leave it (by default, defined once). */
export const contextWith = (
  achievementEvents: AchievementEvent[] = [achievementDefined()],
  prerequisites?: RecordContext['prerequisites'],
): RecordContext => ({
  achievement: foldAchievement(achievementEvents),
  ...(prerequisites === undefined ? {} : { prerequisites }),
});

export const submitEvidence = (
  data: Partial<SubmitEvidence['data']> = {},
  metadata: Metadata = {},
): SubmitEvidence => ({
  type: 'SubmitEvidence',
  data: {
    ...key,
    evidenceId: EVIDENCE_ID,
    kind: 'accomplishment',
    criterionIds: ['unit-tests', 'debugging'],
    description: 'Wrote a pytest suite for the parser module and fixed the two defects it exposed.',
    observedAt: OBSERVED_AT,
    ...data,
  },
  metadata: meta(SUBMITTED_AT, assessor, metadata),
});

export const evidenceSubmitted = (data: Partial<EvidenceSubmitted['data']> = {}): EvidenceSubmitted => ({
  type: 'EvidenceSubmitted',
  data: {
    schemaVersion: 1,
    ...key,
    version: 1,
    evidenceId: EVIDENCE_ID,
    kind: 'accomplishment',
    criterionIds: ['unit-tests', 'debugging'],
    description: 'Wrote a pytest suite for the parser module and fixed the two defects it exposed.',
    observedBy: assessor.sub,
    observedAt: OBSERVED_AT,
    submittedBy: assessor.sub,
    submittedAt: SUBMITTED_AT,
    ...data,
  },
});

export const allMet = [
  { criterionId: 'unit-tests', met: true },
  { criterionId: 'debugging', met: true },
  { criterionId: 'coverage', met: true },
];

export const recordAssessment = (
  data: Partial<RecordAssessment['data']> = {},
  metadata: Metadata = {},
): RecordAssessment => ({
  type: 'RecordAssessment',
  data: { ...key, assessmentId: ASSESSMENT_ID, evidenceIds: [EVIDENCE_ID], results: allMet, ...data },
  metadata: meta(ASSESSED_AT, assessor, metadata),
});

export const assessmentRecorded = (data: Partial<AssessmentRecorded['data']> = {}): AssessmentRecorded => ({
  type: 'AssessmentRecorded',
  data: {
    schemaVersion: 1,
    ...key,
    version: 1,
    assessmentId: ASSESSMENT_ID,
    assessor: assessor.sub,
    evidenceIds: [EVIDENCE_ID],
    results: allMet,
    outcome: 'passed',
    assessedAt: ASSESSED_AT,
    ...data,
  },
});

export const assessmentNotYet = (data: Partial<AssessmentRecorded['data']> = {}): AssessmentRecorded =>
  assessmentRecorded({
    assessmentId: 'as-not-yet',
    results: [
      { criterionId: 'unit-tests', met: true },
      { criterionId: 'debugging', met: false },
    ],
    outcome: 'not-yet',
    ...data,
  });

export const awardAchievement = (
  data: Partial<AwardAchievement['data']> = {},
  metadata: Metadata = {},
): AwardAchievement => ({
  type: 'AwardAchievement',
  data: { ...key, awardId: AWARD_ID, ...data },
  metadata: meta(AWARDED_AT, issuerAdmin, metadata),
});

/** `{ validUntil: undefined }` leaves validUntil out. */
export const achievementAwarded = (data: Partial<AchievementAwarded['data']> = {}): AchievementAwarded => ({
  type: 'AchievementAwarded',
  data: withoutUndefined({
    schemaVersion: 1,
    ...key,
    issuerId: ISSUER_ID,
    version: 1,
    awardId: AWARD_ID,
    assessmentId: ASSESSMENT_ID,
    issuedAt: AWARDED_AT,
    validUntil: VALID_UNTIL,
    credits: [{ framework: 'ECTS', value: 2 }],
    level: { framework: 'EQF', level: 5 },
    notionalHours: 50,
    awardedBy: issuerAdmin.sub,
    ...data,
  }),
});

export const suspendAward = (data: Partial<SuspendAward['data']> = {}, metadata: Metadata = {}): SuspendAward => ({
  type: 'SuspendAward',
  data: { ...key, awardId: AWARD_ID, reason: 'Plagiarism under investigation', ...data },
  metadata: meta(SUSPENDED_AT, issuerAdmin, metadata),
});

export const awardSuspended = (data: Partial<AwardSuspended['data']> = {}): AwardSuspended => ({
  type: 'AwardSuspended',
  data: {
    schemaVersion: 1,
    ...key,
    awardId: AWARD_ID,
    reason: 'Plagiarism under investigation',
    by: issuerAdmin.sub,
    at: SUSPENDED_AT,
    ...data,
  },
});

export const reinstateAward = (
  data: Partial<ReinstateAward['data']> = {},
  metadata: Metadata = {},
): ReinstateAward => ({
  type: 'ReinstateAward',
  data: { ...key, awardId: AWARD_ID, ...data },
  metadata: meta(REINSTATED_AT, issuerAdmin, metadata),
});

export const awardReinstated = (data: Partial<AwardReinstated['data']> = {}): AwardReinstated => ({
  type: 'AwardReinstated',
  data: { schemaVersion: 1, ...key, awardId: AWARD_ID, by: issuerAdmin.sub, at: REINSTATED_AT, ...data },
});

export const revokeAward = (data: Partial<RevokeAward['data']> = {}, metadata: Metadata = {}): RevokeAward => ({
  type: 'RevokeAward',
  data: { ...key, awardId: AWARD_ID, reason: 'Plagiarism confirmed', ...data },
  metadata: meta(REVOKED_AT, issuerAdmin, metadata),
});

export const awardRevoked = (data: Partial<AwardRevoked['data']> = {}): AwardRevoked => ({
  type: 'AwardRevoked',
  data: {
    schemaVersion: 1,
    ...key,
    awardId: AWARD_ID,
    reason: 'Plagiarism confirmed',
    by: issuerAdmin.sub,
    at: REVOKED_AT,
    ...data,
  },
});

export const RECOGNISED_AT = '2026-02-20T12:00:00.000Z';

export const recognisePriorLearning = (
  data: Partial<RecognisePriorLearning['data']> = {},
  metadata: Metadata = {},
): RecognisePriorLearning => ({
  type: 'RecognisePriorLearning',
  data: {
    ...key,
    recognitionId: 'rpl-1',
    issuer: 'University of Porto',
    title: 'Software Testing',
    credits: [{ framework: 'ECTS', value: 3 }],
    evidence: { description: 'Certificate and transcript extract checked by the registry' },
    ...data,
  },
  metadata: meta(RECOGNISED_AT, registrar, metadata),
});

export const priorLearningRecognised = (
  data: Partial<PriorLearningRecognised['data']> = {},
): PriorLearningRecognised => ({
  type: 'PriorLearningRecognised',
  data: {
    schemaVersion: 1,
    ...key,
    recognitionId: 'rpl-1',
    issuer: 'University of Porto',
    title: 'Software Testing',
    credits: [{ framework: 'ECTS', value: 3 }],
    evidence: { description: 'Certificate and transcript extract checked by the registry' },
    recognisedBy: registrar.sub,
    recognisedAt: RECOGNISED_AT,
    ...data,
  },
});

export const evidenceWithdrawn = (data: Partial<EvidenceWithdrawn['data']> = {}): EvidenceWithdrawn => ({
  type: 'EvidenceWithdrawn',
  data: {
    schemaVersion: 1,
    ...key,
    evidenceId: EVIDENCE_ID,
    reason: 'statement voided',
    withdrawnBy: assessor.sub,
    withdrawnAt: SUBMITTED_AT,
    ...data,
  },
});

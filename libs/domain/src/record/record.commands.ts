import type { Credit, Level } from '../achievement/achievement.definition';
import type { Command } from '../shared/decider';
import type { Artifact, CriterionResult, EvidenceKind } from './record.events';

/** Every record command names the learner and the achievement, i.e. the stream. */
type RecordKey = { learnerId: string; achievementId: string };

export type SubmitEvidence = Command<
  'SubmitEvidence',
  RecordKey & {
    evidenceId: string;
    /** Absent: the achievement's latest version. */
    version?: number;
    kind: EvidenceKind;
    criterionIds: string[];
    description: string;
    artifact?: Artifact;
    /** Absent: the actor. */
    observedBy?: string;
    observedAt: string;
  }
>;

/** Withdraws evidence whose basis is gone (a voided xAPI statement); the evidence stays in the record, marked. */
export type WithdrawEvidence = Command<'WithdrawEvidence', RecordKey & { evidenceId: string; reason: string }>;

export type RecordAssessment = Command<
  'RecordAssessment',
  RecordKey & {
    assessmentId: string;
    evidenceIds: string[];
    results: CriterionResult[];
    /** Absent: the version of the evidence; present, it must be that version. */
    version?: number;
    /** When it was assessed, for records moved from another system; absent: now. Never before its evidence. */
    assessedAt?: string;
  }
>;

/**
 * Awards on the latest assessment of the record, which must have passed and back no earlier award. `awardedAt`: when
 * it was awarded, for records moved from another system (absent: now); never before its assessment.
 */
export type AwardAchievement = Command<'AwardAchievement', RecordKey & { awardId: string; awardedAt?: string }>;

export type SuspendAward = Command<'SuspendAward', RecordKey & { awardId: string; reason: string }>;
export type ReinstateAward = Command<'ReinstateAward', RecordKey & { awardId: string; reason?: string }>;
export type RevokeAward = Command<'RevokeAward', RecordKey & { awardId: string; reason: string }>;

export type RecognisePriorLearning = Command<
  'RecognisePriorLearning',
  RecordKey & {
    recognitionId: string;
    issuer: string;
    title: string;
    url?: string;
    awardedAt?: string;
    credits: Credit[];
    level?: Level;
    evidence: { description: string; artifact?: Artifact };
  }
>;

export type RecordCommand =
  | SubmitEvidence
  | WithdrawEvidence
  | RecordAssessment
  | AwardAchievement
  | SuspendAward
  | ReinstateAward
  | RevokeAward
  | RecognisePriorLearning;

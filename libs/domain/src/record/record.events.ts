import type { Credit, Level } from '../achievement/achievement.definition';
import type { Event } from '../shared/decider';

/**
 * Stream `record-{learnerId}~{achievementId}`: one learner's progress on one achievement, the consistency boundary
 * for "one active award per learner and achievement". Every event names the learner and the achievement, so a
 * projection needs no stream name to place it.
 */
type RecordData = { schemaVersion: 1; learnerId: string; achievementId: string };

/** A file or page behind a piece of evidence, with the SHA-256 of its content (lower-case hex). */
export type Artifact = { url: string; sha256: string };

export type EvidenceKind = 'accomplishment' | 'challenge';
export type AssessmentOutcome = 'passed' | 'not-yet';
export type CriterionResult = { criterionId: string; met: boolean };

export type EvidenceSubmitted = Event<
  'EvidenceSubmitted',
  RecordData & {
    /** The achievement version the evidence is against. */
    version: number;
    evidenceId: string;
    /** Both kinds count as evidence: an accomplishment (work done) or a challenge (a task set and met). */
    kind: EvidenceKind;
    /** Rubric criteria of that version the evidence speaks to. */
    criterionIds: string[];
    description: string;
    artifact?: Artifact;
    observedBy: string;
    observedAt: string;
    submittedBy: string;
    submittedAt: string;
  }
>;

/**
 * The evidence no longer stands: what it rested on was withdrawn (an xAPI statement voided by its platform). The
 * evidence stays in the record, marked; an assessment that cited it is not rewritten but flagged where the record is
 * shown.
 */
export type EvidenceWithdrawn = Event<
  'EvidenceWithdrawn',
  RecordData & { evidenceId: string; reason: string; withdrawnBy: string; withdrawnAt: string }
>;

export type AssessmentRecorded = Event<
  'AssessmentRecorded',
  RecordData & {
    /** The version assessed: that of all the evidence it rests on. */
    version: number;
    assessmentId: string;
    assessor: string;
    evidenceIds: string[];
    results: CriterionResult[];
    /** `passed` when every required criterion of that version's rubric is met. */
    outcome: AssessmentOutcome;
    assessedAt: string;
  }
>;

export type AchievementAwarded = Event<
  'AchievementAwarded',
  RecordData & {
    issuerId: string;
    version: number;
    awardId: string;
    /** The passing assessment the award rests on. */
    assessmentId: string;
    issuedAt: string;
    /** `issuedAt` plus the version's validity; absent when awards of that version do not expire. */
    validUntil?: string;
    /** Snapshots of the version awarded. */
    credits: Credit[];
    level: Level;
    notionalHours: number;
    awardedBy: string;
  }
>;

export type AwardSuspended = Event<
  'AwardSuspended',
  RecordData & { awardId: string; reason: string; by: string; at: string }
>;

export type AwardReinstated = Event<
  'AwardReinstated',
  RecordData & { awardId: string; reason?: string; by: string; at: string }
>;

export type AwardRevoked = Event<
  'AwardRevoked',
  RecordData & { awardId: string; reason: string; by: string; at: string }
>;

/** Credit transfer: an external credential recognised towards this achievement. It is credit, not an award. */
export type PriorLearningRecognised = Event<
  'PriorLearningRecognised',
  RecordData & {
    recognitionId: string;
    /** The external awarding body, as named on the credential. */
    issuer: string;
    title: string;
    url?: string;
    awardedAt?: string;
    credits: Credit[];
    level?: Level;
    evidence: { description: string; artifact?: Artifact };
    recognisedBy: string;
    recognisedAt: string;
  }
>;

export type RecordEvent =
  | EvidenceSubmitted
  | EvidenceWithdrawn
  | AssessmentRecorded
  | AchievementAwarded
  | AwardSuspended
  | AwardReinstated
  | AwardRevoked
  | PriorLearningRecognised;

export const RECORD_EVENT_TYPES: readonly RecordEvent['type'][] = [
  'EvidenceSubmitted',
  'EvidenceWithdrawn',
  'AssessmentRecorded',
  'AchievementAwarded',
  'AwardSuspended',
  'AwardReinstated',
  'AwardRevoked',
  'PriorLearningRecognised',
];

export const isRecordEvent = (event: { type: string }): event is RecordEvent =>
  (RECORD_EVENT_TYPES as readonly string[]).includes(event.type);

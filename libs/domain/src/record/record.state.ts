import type { Credit, Level } from '../achievement/achievement.definition';
import { compareInstants } from '../shared/instant';
import type { AssessmentOutcome, EvidenceKind, RecordEvent } from './record.events';

export type EvidenceEntry = {
  evidenceId: string;
  version: number;
  kind: EvidenceKind;
  criterionIds: string[];
  observedAt: string;
};

export type AssessmentEntry = {
  assessmentId: string;
  version: number;
  evidenceIds: string[];
  outcome: AssessmentOutcome;
  assessedAt: string;
};

/** What was last done to an award; whether it has expired depends on the instant asked about. */
export type AwardStanding = 'active' | 'suspended' | 'revoked';

/** The status of an award at an instant, as transcripts show it. Only `valid` counts toward anything. */
export type AwardStatus = 'valid' | 'expired' | 'suspended' | 'revoked';

export type AwardEntry = {
  awardId: string;
  version: number;
  assessmentId: string;
  issuedAt: string;
  validUntil?: string;
  credits: Credit[];
  level: Level;
  standing: AwardStanding;
};

export type RecognitionEntry = { recognitionId: string; credits: Credit[]; level?: Level; recognisedAt: string };

/** One learner's record on one achievement; every list in the order of its events. */
export type LearnerRecord = {
  evidence: EvidenceEntry[];
  assessments: AssessmentEntry[];
  awards: AwardEntry[];
  recognitions: RecognitionEntry[];
};

export const initialRecord = (): LearnerRecord => ({ evidence: [], assessments: [], awards: [], recognitions: [] });

const withStanding = (record: LearnerRecord, awardId: string, standing: AwardStanding): LearnerRecord => ({
  ...record,
  awards: record.awards.map((award) => (award.awardId === awardId ? { ...award, standing } : award)),
});

export function evolveRecord(record: LearnerRecord, event: RecordEvent): LearnerRecord {
  switch (event.type) {
    case 'EvidenceSubmitted': {
      const { evidenceId, version, kind, criterionIds, observedAt } = event.data;
      return { ...record, evidence: [...record.evidence, { evidenceId, version, kind, criterionIds, observedAt }] };
    }
    case 'AssessmentRecorded': {
      const { assessmentId, version, evidenceIds, outcome, assessedAt } = event.data;
      return {
        ...record,
        assessments: [...record.assessments, { assessmentId, version, evidenceIds, outcome, assessedAt }],
      };
    }
    case 'AchievementAwarded': {
      const { awardId, version, assessmentId, issuedAt, validUntil, credits, level } = event.data;
      const award: AwardEntry = {
        awardId,
        version,
        assessmentId,
        issuedAt,
        ...(validUntil === undefined ? {} : { validUntil }),
        credits,
        level,
        standing: 'active',
      };
      return { ...record, awards: [...record.awards, award] };
    }
    case 'AwardSuspended':
      return withStanding(record, event.data.awardId, 'suspended');
    case 'AwardReinstated':
      return withStanding(record, event.data.awardId, 'active');
    case 'AwardRevoked':
      return withStanding(record, event.data.awardId, 'revoked');
    case 'PriorLearningRecognised': {
      const { recognitionId, credits, level, recognisedAt } = event.data;
      const recognition: RecognitionEntry = {
        recognitionId,
        credits,
        ...(level === undefined ? {} : { level }),
        recognisedAt,
      };
      return { ...record, recognitions: [...record.recognitions, recognition] };
    }
    default:
      return record;
  }
}

/**
 * An award's status at an instant: revoked and suspended as last decided; otherwise expired from `validUntil` on
 * (the instant itself included), else valid.
 */
export function awardStatusAt(award: AwardEntry, at: string): AwardStatus {
  if (award.standing === 'revoked') return 'revoked';
  if (award.standing === 'suspended') return 'suspended';
  if (award.validUntil !== undefined && compareInstants(at, award.validUntil) >= 0) return 'expired';
  return 'valid';
}

/** The award that stands at an instant (valid or suspended): at most one per learner and achievement. */
export const activeAwardAt = (record: LearnerRecord, at: string): AwardEntry | undefined =>
  record.awards.find((award) => ['valid', 'suspended'].includes(awardStatusAt(award, at)));

/** The award that is valid at an instant, if any: what prerequisites and pathways count. */
export const validAwardAt = (record: LearnerRecord, at: string): AwardEntry | undefined =>
  record.awards.find((award) => awardStatusAt(award, at) === 'valid');

/** The most recent assessment: an award rests on it, and only if it passed. */
export const latestAssessment = (record: LearnerRecord): AssessmentEntry | undefined =>
  record.assessments[record.assessments.length - 1];

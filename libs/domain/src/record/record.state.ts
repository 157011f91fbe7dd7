import type { Credit, Level } from '../achievement/achievement.definition';
import { compareInstants } from '../shared/instant';
import type { AchievementAwarded, AssessmentOutcome, EvidenceKind, RecordEvent } from './record.events';

export type EvidenceEntry = {
  evidenceId: string;
  version: number;
  kind: EvidenceKind;
  criterionIds: string[];
  observedAt: string;
  /** Set once the evidence was withdrawn: it backs no new assessment. */
  withdrawnAt?: string;
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

/** An award as its AchievementAwarded event states it: active until a later event says otherwise. */
export function awardEntryOf(data: AchievementAwarded['data']): AwardEntry {
  const { awardId, version, assessmentId, issuedAt, validUntil, credits, level } = data;
  return {
    awardId,
    version,
    assessmentId,
    issuedAt,
    ...(validUntil === undefined ? {} : { validUntil }),
    credits,
    level,
    standing: 'active',
  };
}

/** The standing each suspension, reinstatement or revocation leaves its award in. */
export const STANDING_AFTER = {
  AwardSuspended: 'suspended',
  AwardReinstated: 'active',
  AwardRevoked: 'revoked',
} as const satisfies Record<string, AwardStanding>;

/** The awards with one award's standing changed; the record and the transcript fold keep standing alike. */
export const withAwardStanding = <Award extends AwardEntry>(
  awards: readonly Award[],
  awardId: string,
  standing: AwardStanding,
): Award[] => awards.map((award) => (award.awardId === awardId ? { ...award, standing } : award));

export function evolveRecord(record: LearnerRecord, event: RecordEvent): LearnerRecord {
  switch (event.type) {
    case 'EvidenceSubmitted': {
      const { evidenceId, version, kind, criterionIds, observedAt } = event.data;
      return { ...record, evidence: [...record.evidence, { evidenceId, version, kind, criterionIds, observedAt }] };
    }
    case 'EvidenceWithdrawn': {
      const { evidenceId, withdrawnAt } = event.data;
      return {
        ...record,
        evidence: record.evidence.map((item) => (item.evidenceId === evidenceId ? { ...item, withdrawnAt } : item)),
      };
    }
    case 'AssessmentRecorded': {
      const { assessmentId, version, evidenceIds, outcome, assessedAt } = event.data;
      return {
        ...record,
        assessments: [...record.assessments, { assessmentId, version, evidenceIds, outcome, assessedAt }],
      };
    }
    case 'AchievementAwarded':
      return { ...record, awards: [...record.awards, awardEntryOf(event.data)] };
    case 'AwardSuspended':
    case 'AwardReinstated':
    case 'AwardRevoked':
      return {
        ...record,
        awards: withAwardStanding(record.awards, event.data.awardId, STANDING_AFTER[event.type]),
      };
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

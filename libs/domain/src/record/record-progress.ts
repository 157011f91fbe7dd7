import type { Criterion } from '../achievement/achievement.definition';
import type { AssessmentOutcome, CriterionResult, EvidenceKind, RecordEvent } from './record.events';
import { STANDING_AFTER, type AwardStanding } from './record.state';

/**
 * Where a learner stands on one achievement, for people to read: the evidence with who observed it and whether it was
 * assessed, each assessment with its assessor and outcome, each rubric criterion with the evidence that speaks to it
 * and whether the latest assessment found it met, and what is still pending or missing. One pure fold over the
 * record stream's events, in stream order.
 */
export type RecordStage = 'awaiting-assessment' | 'not-yet' | 'passed' | 'awarded' | 'revoked';

export type CriterionProgress = {
  criterionId: string;
  description: string;
  required: boolean;
  /** The evidence naming this criterion. */
  evidenceIds: string[];
  /** As the latest assessment found it; null before any assessment. */
  met: boolean | null;
};

export type RecordProgress = {
  achievementId: string;
  /** The version the latest evidence is against (its rubric is the one shown); null without evidence. */
  version: number | null;
  stage: RecordStage;
  criteria: CriterionProgress[];
  evidence: Array<{
    evidenceId: string;
    kind: EvidenceKind;
    criterionIds: string[];
    description: string;
    observedBy: string;
    observedAt: string;
    assessed: boolean;
    /** Set when the evidence was withdrawn (its xAPI statement voided): it backs nothing new. */
    withdrawn?: { at: string; reason: string };
  }>;
  assessments: Array<{
    assessmentId: string;
    assessor: string;
    outcome: AssessmentOutcome;
    assessedAt: string;
    evidenceIds: string[];
    results: CriterionResult[];
    /** The cited evidence withdrawn since: the assessment stands as recorded, flagged for a person to look at. */
    flagged?: { withdrawnEvidenceIds: string[] };
  }>;
  awards: Array<{ awardId: string; issuedAt: string; standing: AwardStanding }>;
  /** Evidence no assessment has looked at yet. */
  pending: string[];
  /** Required criteria not yet met: by the latest assessment, or, before one, without any evidence naming them. */
  missing: string[];
};

/** `criteriaOf(version)`: the rubric of that version of the achievement, when known. */
export function recordProgress(
  achievementId: string,
  events: readonly RecordEvent[],
  criteriaOf: (version: number) => readonly Criterion[] | undefined,
): RecordProgress {
  const evidence: RecordProgress['evidence'] = [];
  const assessments: RecordProgress['assessments'] = [];
  const awards: RecordProgress['awards'] = [];
  let version: number | null = null;
  for (const event of events)
    switch (event.type) {
      case 'EvidenceSubmitted': {
        const { evidenceId, kind, criterionIds, description, observedBy, observedAt } = event.data;
        version = event.data.version;
        evidence.push({ evidenceId, kind, criterionIds, description, observedBy, observedAt, assessed: false });
        break;
      }
      case 'EvidenceWithdrawn': {
        const { evidenceId, withdrawnAt, reason } = event.data;
        const item = evidence.find((entry) => entry.evidenceId === evidenceId);
        if (item) item.withdrawn = { at: withdrawnAt, reason };
        for (const assessment of assessments)
          if (assessment.evidenceIds.includes(evidenceId))
            assessment.flagged = {
              withdrawnEvidenceIds: [...(assessment.flagged?.withdrawnEvidenceIds ?? []), evidenceId],
            };
        break;
      }
      case 'AssessmentRecorded': {
        const { assessmentId, assessor, outcome, assessedAt, evidenceIds, results } = event.data;
        assessments.push({ assessmentId, assessor, outcome, assessedAt, evidenceIds, results });
        for (const item of evidence) if (evidenceIds.includes(item.evidenceId)) item.assessed = true;
        break;
      }
      case 'AchievementAwarded':
        awards.push({ awardId: event.data.awardId, issuedAt: event.data.issuedAt, standing: 'active' });
        break;
      case 'AwardSuspended':
      case 'AwardReinstated':
      case 'AwardRevoked': {
        const award = awards.find((entry) => entry.awardId === event.data.awardId);
        if (award) award.standing = STANDING_AFTER[event.type];
        break;
      }
    }
  const latest = assessments.at(-1);
  const criteria = (version === null ? [] : (criteriaOf(version) ?? [])).map((criterion) => ({
    criterionId: criterion.id,
    description: criterion.description,
    required: criterion.required,
    evidenceIds: evidence
      .filter((item) => item.criterionIds.includes(criterion.id) && !item.withdrawn)
      .map((item) => item.evidenceId),
    met: latest ? (latest.results.find((result) => result.criterionId === criterion.id)?.met ?? false) : null,
  }));
  const pending = evidence.filter((item) => !item.assessed && !item.withdrawn).map((item) => item.evidenceId);
  const stage = awards.some((award) => award.standing !== 'revoked')
    ? 'awarded'
    : awards.length > 0 && pending.length === 0
      ? 'revoked'
      : pending.length > 0 || latest === undefined
        ? 'awaiting-assessment'
        : latest.outcome === 'passed'
          ? 'passed'
          : 'not-yet';
  return {
    achievementId,
    version,
    stage,
    criteria,
    evidence,
    assessments,
    awards,
    pending,
    missing:
      stage === 'awarded'
        ? []
        : criteria
            .filter((criterion) => criterion.required && (latest ? !criterion.met : criterion.evidenceIds.length === 0))
            .map((criterion) => criterion.criterionId),
  };
}

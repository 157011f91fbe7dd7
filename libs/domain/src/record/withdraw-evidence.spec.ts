import { achievementDefined, achievementRetired } from '../achievement/testing/achievement.fixtures';
import { otherAssessor } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { recordDecider } from './record.decider';
import { recordProgress } from './record-progress';
import type { WithdrawEvidence } from './record.commands';
import {
  assessmentRecorded,
  contextWith,
  EVIDENCE_ID,
  evidenceSubmitted,
  evidenceWithdrawn,
  LEARNER_ID,
  recordAssessment,
  SUBMITTED_AT,
} from './testing/record.fixtures';
import { ACHIEVEMENT_ID, definition } from '../achievement/testing/achievement.fixtures';
import { assessor } from '../shared/testing/actors';

const given = specFor(recordDecider);
const context = contextWith();
const withdraw = (metadata = { now: SUBMITTED_AT, actor: assessor }): WithdrawEvidence => ({
  type: 'WithdrawEvidence',
  data: { learnerId: LEARNER_ID, achievementId: ACHIEVEMENT_ID, evidenceId: EVIDENCE_ID, reason: 'statement voided' },
  metadata,
});
const withdrawn = evidenceWithdrawn();

describe('WithdrawEvidence', () => {
  it('withdraws evidence the record holds, once, also on a retired achievement', () => {
    given(evidenceSubmitted()).when(withdraw(), context).then([withdrawn]);
    given(evidenceSubmitted())
      .when(withdraw(), contextWith([achievementDefined(), achievementRetired()]))
      .then([withdrawn]);
    given(evidenceSubmitted(), withdrawn).when(withdraw(), context).thenThrows('evidence-withdrawn');
    given().when(withdraw(), context).thenThrows('unknown-evidence');
    given(evidenceSubmitted())
      .when(withdraw({ now: SUBMITTED_AT, actor: otherAssessor }), context)
      .thenThrows('not-your-issuer');
  });

  it('leaves withdrawn evidence out of new assessments', () => {
    given(evidenceSubmitted(), withdrawn).when(recordAssessment(), context).thenThrows('evidence-withdrawn');
  });

  it('flags on the record an assessment that cited it, without rewriting it', () => {
    const progress = recordProgress(
      ACHIEVEMENT_ID,
      [evidenceSubmitted(), assessmentRecorded(), withdrawn],
      () => definition().criteria,
    );
    expect(progress.evidence[0].withdrawn).toEqual({ at: SUBMITTED_AT, reason: 'statement voided' });
    expect(progress.assessments[0]).toMatchObject({
      outcome: 'passed',
      flagged: { withdrawnEvidenceIds: [EVIDENCE_ID] },
    });
    expect(progress.pending).toEqual([]);
  });
});

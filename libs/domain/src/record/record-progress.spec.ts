import type { Criterion } from '../achievement/achievement.definition';
import type { RecordEvent } from './record.events';
import { recordProgress } from './record-progress';

const base = { schemaVersion: 1, learnerId: 'ada', achievementId: 'sql' };
const rubric: Criterion[] = [
  { id: 'joins', description: 'Writes a join', required: true },
  { id: 'aggregates', description: 'Aggregates', required: true },
  { id: 'plans', description: 'Reads a plan', required: false },
];
const criteriaOf = (version: number) => (version === 2 ? rubric : undefined);

const evidence = (evidenceId: string, criterionIds: string[], version = 2) =>
  ({
    type: 'EvidenceSubmitted',
    data: {
      ...base,
      version,
      evidenceId,
      kind: 'accomplishment',
      criterionIds,
      description: `work ${evidenceId}`,
      observedBy: 'assessor-1',
      observedAt: '2026-03-01T00:00:00.000Z',
      submittedBy: 'assessor-1',
      submittedAt: '2026-03-02T00:00:00.000Z',
    },
  }) as RecordEvent;
const assessment = (assessmentId: string, evidenceIds: string[], met: Record<string, boolean>) =>
  ({
    type: 'AssessmentRecorded',
    data: {
      ...base,
      version: 2,
      assessmentId,
      assessor: 'assessor-2',
      evidenceIds,
      results: Object.entries(met).map(([criterionId, value]) => ({ criterionId, met: value })),
      outcome: Object.values(met).every(Boolean) ? 'passed' : 'not-yet',
      assessedAt: '2026-03-03T00:00:00.000Z',
    },
  }) as RecordEvent;
const awarded = {
  type: 'AchievementAwarded',
  data: { ...base, awardId: 'w1', issuedAt: '2026-03-04T00:00:00.000Z' },
} as RecordEvent;
const revoked = { type: 'AwardRevoked', data: { ...base, awardId: 'w1', reason: 'x' } } as RecordEvent;

describe('recordProgress', () => {
  it('before any assessment: the evidence pending, the required criteria without evidence missing', () => {
    const progress = recordProgress('sql', [evidence('e1', ['joins'])], criteriaOf);
    expect(progress).toMatchObject({
      stage: 'awaiting-assessment',
      version: 2,
      pending: ['e1'],
      missing: ['aggregates'],
    });
    expect(progress.criteria).toEqual([
      { criterionId: 'joins', description: 'Writes a join', required: true, evidenceIds: ['e1'], met: null },
      { criterionId: 'aggregates', description: 'Aggregates', required: true, evidenceIds: [], met: null },
      { criterionId: 'plans', description: 'Reads a plan', required: false, evidenceIds: [], met: null },
    ]);
  });

  it('after a not-yet: what the latest assessment did not find met is missing, the evidence it read no longer pending', () => {
    const events = [
      evidence('e1', ['joins', 'aggregates']),
      assessment('a1', ['e1'], { joins: true, aggregates: false }),
    ];
    const progress = recordProgress('sql', events, criteriaOf);
    expect(progress).toMatchObject({ stage: 'not-yet', pending: [], missing: ['aggregates'] });
    expect(progress.criteria.map((criterion) => criterion.met)).toEqual([true, false, false]);
    expect(progress.assessments).toEqual([
      expect.objectContaining({ assessmentId: 'a1', assessor: 'assessor-2', outcome: 'not-yet', evidenceIds: ['e1'] }),
    ]);
    // New evidence after it awaits the next assessment.
    expect(recordProgress('sql', [...events, evidence('e2', ['aggregates'])], criteriaOf)).toMatchObject({
      stage: 'awaiting-assessment',
      pending: ['e2'],
      missing: ['aggregates'],
    });
  });

  it('passed, awarded, revoked', () => {
    const passed = [
      evidence('e1', ['joins', 'aggregates']),
      assessment('a1', ['e1'], { joins: true, aggregates: true }),
    ];
    expect(recordProgress('sql', passed, criteriaOf)).toMatchObject({ stage: 'passed', missing: [] });
    expect(recordProgress('sql', [...passed, awarded], criteriaOf)).toMatchObject({
      stage: 'awarded',
      awards: [{ awardId: 'w1', issuedAt: '2026-03-04T00:00:00.000Z', standing: 'active' }],
    });
    expect(recordProgress('sql', [...passed, awarded, revoked], criteriaOf)).toMatchObject({
      stage: 'revoked',
      awards: [{ awardId: 'w1', standing: 'revoked' }],
    });
  });

  it('shows no rubric for a version it does not know', () => {
    expect(recordProgress('sql', [evidence('e1', ['joins'], 9)], criteriaOf)).toMatchObject({
      version: 9,
      criteria: [],
      missing: [],
    });
  });
});

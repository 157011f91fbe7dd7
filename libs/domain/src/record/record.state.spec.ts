import { achievementDefined, PREREQUISITE_ID } from '../achievement/testing/achievement.fixtures';
import { withoutUndefined } from '../shared/testing/without-undefined';
import { foldRecord } from './record.decider';
import { isRecordEvent, RECORD_EVENT_TYPES } from './record.events';
import { activeAwardAt, type AwardEntry, awardStatusAt, latestAssessment, validAwardAt } from './record.state';
import {
  achievementAwarded,
  assessmentNotYet,
  assessmentRecorded,
  AWARD_ID,
  awardReinstated,
  awardRevoked,
  awardSuspended,
  evidenceSubmitted,
  priorLearningRecognised,
  VALID_UNTIL,
} from './testing/record.fixtures';

const award: AwardEntry = {
  awardId: AWARD_ID,
  version: 1,
  assessmentId: 'as-1',
  issuedAt: '2026-03-10T14:00:00.000Z',
  validUntil: VALID_UNTIL,
  credits: [{ framework: 'ECTS', value: 2 }],
  level: { framework: 'EQF', level: 5 },
  standing: 'active',
};

describe('learner record', () => {
  it('folds every event of the record', () => {
    const record = foldRecord([
      evidenceSubmitted(),
      assessmentNotYet(),
      assessmentRecorded(),
      achievementAwarded(),
      awardSuspended(),
      awardReinstated(),
      priorLearningRecognised({ level: { framework: 'EQF', level: 6 } }),
    ]);
    expect(record).toEqual({
      evidence: [
        {
          evidenceId: 'ev-1',
          version: 1,
          kind: 'accomplishment',
          criterionIds: ['unit-tests', 'debugging'],
          observedAt: '2026-03-01T15:00:00.000Z',
        },
      ],
      assessments: [
        {
          assessmentId: 'as-not-yet',
          version: 1,
          evidenceIds: ['ev-1'],
          outcome: 'not-yet',
          assessedAt: '2026-03-05T11:00:00.000Z',
        },
        {
          assessmentId: 'as-1',
          version: 1,
          evidenceIds: ['ev-1'],
          outcome: 'passed',
          assessedAt: '2026-03-05T11:00:00.000Z',
        },
      ],
      awards: [award],
      recognitions: [
        {
          recognitionId: 'rpl-1',
          credits: [{ framework: 'ECTS', value: 3 }],
          level: { framework: 'EQF', level: 6 },
          recognisedAt: '2026-02-20T12:00:00.000Z',
        },
      ],
    });
    expect(latestAssessment(record)?.assessmentId).toBe('as-1');
  });

  it('tracks suspension, reinstatement and revocation of one award among several', () => {
    const second = achievementAwarded({ awardId: 'aw-2', assessmentId: 'as-2' });
    const record = foldRecord([achievementAwarded(), awardRevoked(), second, awardSuspended({ awardId: 'aw-2' })]);
    expect(record.awards.map((entry) => [entry.awardId, entry.standing])).toEqual([
      [AWARD_ID, 'revoked'],
      ['aw-2', 'suspended'],
    ]);
  });

  it('ignores events of other types', () => {
    const stranger = achievementDefined() as never;
    expect(foldRecord([stranger])).toEqual(foldRecord([]));
    expect(isRecordEvent(achievementDefined())).toBe(false);
    expect(RECORD_EVENT_TYPES.every((type) => isRecordEvent({ type }))).toBe(true);
  });
});

describe('awardStatusAt', () => {
  it('is valid from issue until just before validUntil, then expired', () => {
    expect(awardStatusAt(award, award.issuedAt)).toBe('valid');
    expect(awardStatusAt(award, '2028-03-10T13:59:59.999Z')).toBe('valid');
    expect(awardStatusAt(award, VALID_UNTIL)).toBe('expired');
    expect(awardStatusAt(award, '2028-03-10T15:00:00+01:00')).toBe('expired');
  });

  it('never expires without validUntil', () => {
    const forever = withoutUndefined({ ...award, validUntil: undefined });
    expect(awardStatusAt(forever, '9999-12-31T23:59:59Z')).toBe('valid');
  });

  it('is suspended or revoked as last decided, expired or not', () => {
    expect(awardStatusAt({ ...award, standing: 'suspended' }, '2030-01-01T00:00:00Z')).toBe('suspended');
    expect(awardStatusAt({ ...award, standing: 'revoked' }, '2026-04-01T00:00:00Z')).toBe('revoked');
  });

  it('counts valid and suspended awards as active, only valid ones as held', () => {
    const record = foldRecord([achievementAwarded(), awardSuspended()]);
    expect(activeAwardAt(record, '2026-05-01T00:00:00Z')?.awardId).toBe(AWARD_ID);
    expect(validAwardAt(record, '2026-05-01T00:00:00Z')).toBeUndefined();
    const valid = foldRecord([achievementAwarded()]);
    expect(validAwardAt(valid, '2026-05-01T00:00:00Z')?.awardId).toBe(AWARD_ID);
    expect(activeAwardAt(valid, VALID_UNTIL)).toBeUndefined();
    expect(
      validAwardAt(foldRecord([achievementAwarded({ achievementId: PREREQUISITE_ID })]), VALID_UNTIL),
    ).toBeUndefined();
  });
});

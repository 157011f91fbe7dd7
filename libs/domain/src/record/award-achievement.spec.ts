import {
  achievementDefined,
  achievementRetired,
  achievementRevised,
  PREREQUISITE_ID,
} from '../achievement/testing/achievement.fixtures';
import { assessor, otherAssessor, registrar } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { prerequisitesToLoad } from './record.context';
import { foldRecord, recordDecider } from './record.decider';
import type { RecordEvent } from './record.events';
import {
  achievementAwarded,
  assessmentNotYet,
  assessmentRecorded,
  awardAchievement,
  awardRevoked,
  awardSuspended,
  contextWith,
  evidenceSubmitted,
  VALID_UNTIL,
} from './testing/record.fixtures';

const given = specFor(recordDecider);
const context = contextWith();
const passed = [evidenceSubmitted(), assessmentRecorded()];

describe('AwardAchievement', () => {
  it('awards on a passing assessment, valid for the validity period, with a snapshot of credits and level', () => {
    given(...passed)
      .when(awardAchievement(), context)
      .then([achievementAwarded()]);
  });

  it('may be awarded by an assessor of the issuer', () => {
    given(...passed)
      .when(awardAchievement({}, { actor: assessor }), context)
      .then([achievementAwarded({ awardedBy: assessor.sub })]);
  });

  it('never expires when the version has no validity period', () => {
    given(...passed)
      .when(awardAchievement(), contextWith([achievementDefined({ validity: undefined })]))
      .then([achievementAwarded({ validUntil: undefined })]);
  });

  it('computes validUntil with calendar arithmetic (month end clamped)', () => {
    given(...passed)
      .when(
        awardAchievement({}, { now: '2026-01-31T12:00:00Z' }),
        contextWith([achievementDefined({ validity: 'P1M' })]),
      )
      .then([achievementAwarded({ issuedAt: '2026-01-31T12:00:00.000Z', validUntil: '2026-02-28T12:00:00.000Z' })]);
  });

  it('snapshots the version assessed, not the latest', () => {
    const revised = contextWith([
      achievementDefined(),
      achievementRevised(2, { credits: [{ framework: 'ECTS', value: 3 }], notionalHours: 75, validity: 'P1Y' }),
    ]);
    given(...passed)
      .when(awardAchievement(), revised)
      .then([achievementAwarded()]);
  });

  describe('needs a passing assessment', () => {
    it('and there is none', () => {
      given(evidenceSubmitted()).when(awardAchievement(), context).thenThrows('no-passing-assessment');
      given().when(awardAchievement(), context).thenThrows('no-passing-assessment');
    });

    it('and the latest assessment is not yet a pass, though an earlier one passed', () => {
      given(...passed, assessmentNotYet())
        .when(awardAchievement(), context)
        .thenThrows('no-passing-assessment');
    });

    it('that backs no earlier award: after a revocation, a new assessment is needed', () => {
      const revoked = [...passed, achievementAwarded(), awardRevoked()];
      given(...revoked)
        .when(awardAchievement({ awardId: 'aw-2' }, { now: '2026-06-01T00:00:00Z' }), context)
        .thenThrows('no-passing-assessment');
      given(...revoked, assessmentRecorded({ assessmentId: 'as-2' }))
        .when(awardAchievement({ awardId: 'aw-2' }, { now: '2026-06-01T00:00:00Z' }), context)
        .then([
          achievementAwarded({
            awardId: 'aw-2',
            assessmentId: 'as-2',
            issuedAt: '2026-06-01T00:00:00.000Z',
            validUntil: '2028-06-01T00:00:00.000Z',
          }),
        ]);
    });
  });

  describe('one active award per learner and achievement', () => {
    const reassessed = assessmentRecorded({ assessmentId: 'as-2' });

    it('refuses a second award while the first is valid', () => {
      given(...passed, achievementAwarded(), reassessed)
        .when(awardAchievement({ awardId: 'aw-2' }, { now: '2026-09-01T00:00:00Z' }), context)
        .thenThrows('already-awarded');
    });

    it('refuses a second award while the first is suspended', () => {
      given(...passed, achievementAwarded(), awardSuspended(), reassessed)
        .when(awardAchievement({ awardId: 'aw-2' }, { now: '2026-09-01T00:00:00Z' }), context)
        .thenThrows('already-awarded');
    });

    it('allows a new award once the first has expired (an expired award is not active)', () => {
      given(...passed, achievementAwarded(), reassessed)
        .when(awardAchievement({ awardId: 'aw-2' }, { now: VALID_UNTIL }), context)
        .then([
          achievementAwarded({
            awardId: 'aw-2',
            assessmentId: 'as-2',
            issuedAt: VALID_UNTIL,
            validUntil: '2030-03-10T14:00:00.000Z',
          }),
        ]);
    });

    it('refuses an award id already in the record', () => {
      given(...passed, achievementAwarded(), awardRevoked(), assessmentRecorded({ assessmentId: 'as-2' }))
        .when(awardAchievement({}, { now: '2026-06-01T00:00:00Z' }), context)
        .thenThrows('duplicate-id');
    });
  });

  describe('prerequisites must be held, valid, at the award instant', () => {
    const requiring = [achievementDefined({ prerequisites: [PREREQUISITE_ID] })];
    const held: RecordEvent[] = [
      evidenceSubmitted({ achievementId: PREREQUISITE_ID }),
      assessmentRecorded({ achievementId: PREREQUISITE_ID }),
      achievementAwarded({
        achievementId: PREREQUISITE_ID,
        awardId: 'aw-pre',
        issuedAt: '2026-01-01T00:00:00.000Z',
        validUntil: '2027-01-01T00:00:00.000Z',
      }),
    ];
    const withPrerequisite = (...events: RecordEvent[]) =>
      contextWith(requiring, { [PREREQUISITE_ID]: foldRecord([...held, ...events]) });

    it('awards when the prerequisite is held and valid', () => {
      given(...passed)
        .when(awardAchievement(), withPrerequisite())
        .then([achievementAwarded()]);
    });

    it('refuses when the learner has no record of the prerequisite', () => {
      given(...passed)
        .when(awardAchievement(), contextWith(requiring))
        .thenThrows('prerequisite-missing');
      given(...passed)
        .when(awardAchievement(), contextWith(requiring, {}))
        .thenThrows('prerequisite-missing');
    });

    it('refuses when the prerequisite was assessed but never awarded', () => {
      given(...passed)
        .when(awardAchievement(), contextWith(requiring, { [PREREQUISITE_ID]: foldRecord(held.slice(0, 2)) }))
        .thenThrows('prerequisite-missing');
    });

    it('refuses when the prerequisite award is suspended', () => {
      given(...passed)
        .when(
          awardAchievement(),
          withPrerequisite(awardSuspended({ achievementId: PREREQUISITE_ID, awardId: 'aw-pre' })),
        )
        .thenThrows('prerequisite-missing');
    });

    it('refuses when the prerequisite award is revoked', () => {
      given(...passed)
        .when(awardAchievement(), withPrerequisite(awardRevoked({ achievementId: PREREQUISITE_ID, awardId: 'aw-pre' })))
        .thenThrows('prerequisite-missing');
    });

    it('refuses when the prerequisite award has expired at the award instant', () => {
      given(...passed)
        .when(awardAchievement({}, { now: '2027-01-01T00:00:00Z' }), withPrerequisite())
        .thenThrows('prerequisite-missing');
    });

    it('follows the prerequisites of the version assessed', () => {
      const addedLater = [achievementDefined(), achievementRevised(2, { prerequisites: [PREREQUISITE_ID] })];
      given(...passed)
        .when(awardAchievement(), contextWith(addedLater))
        .then([achievementAwarded()]);
      expect(prerequisitesToLoad(foldRecord(passed), contextWith(addedLater).achievement)).toEqual([]);
      const onVersion2 = [evidenceSubmitted({ version: 2 }), assessmentRecorded({ version: 2 })];
      given(...onVersion2)
        .when(awardAchievement(), contextWith(addedLater))
        .thenThrows('prerequisite-missing');
      expect(prerequisitesToLoad(foldRecord(onVersion2), contextWith(addedLater).achievement)).toEqual([
        PREREQUISITE_ID,
      ]);
    });
  });

  describe('is refused', () => {
    it('for a retired achievement', () => {
      given(...passed)
        .when(awardAchievement(), contextWith([achievementDefined(), achievementRetired()]))
        .thenThrows('achievement-retired');
    });

    it('for an achievement that was never defined', () => {
      given(...passed)
        .when(awardAchievement(), contextWith([]))
        .thenThrows('unknown-achievement');
    });

    it('for an actor of another issuer', () => {
      given(...passed)
        .when(awardAchievement({}, { actor: otherAssessor }), context)
        .thenThrows('not-your-issuer');
    });

    it('without the issuer-admin or assessor role', () => {
      given(...passed)
        .when(awardAchievement({}, { actor: registrar }), context)
        .thenThrows('role-required');
    });

    it('for a malformed award id', () => {
      given(...passed)
        .when(awardAchievement({ awardId: 'aw 1' }), context)
        .thenThrows('invalid-id');
    });
  });

  it('rests on the latest assessment', () => {
    given(...passed, assessmentNotYet(), assessmentRecorded({ assessmentId: 'as-3' }))
      .when(awardAchievement(), context)
      .then([achievementAwarded({ assessmentId: 'as-3' })]);
  });

  describe('a record moved from another system: awarded when it was, not when it is recorded', () => {
    const recordedLater = { now: '2026-09-01T09:00:00Z' };

    it('dates the award, and runs its validity, from awardedAt', () => {
      given(...passed)
        .when(awardAchievement({ awardedAt: '2026-03-20T10:00:00Z' }, recordedLater), context)
        .then([achievementAwarded({ issuedAt: '2026-03-20T10:00:00.000Z', validUntil: '2028-03-20T10:00:00.000Z' })]);
    });

    it('refuses an awardedAt in the future, or before the assessment it rests on', () => {
      given(...passed)
        .when(awardAchievement({ awardedAt: '2026-09-02T00:00:00Z' }, recordedLater), context)
        .thenThrows('instant-in-future');
      given(...passed)
        .when(awardAchievement({ awardedAt: '2026-03-01T00:00:00Z' }, recordedLater), context)
        .thenThrows('awarded-before-assessment');
    });

    it('refuses an award dated before one the record already holds', () => {
      const reassessed = assessmentRecorded({ assessmentId: 'as-2', assessedAt: '2026-04-01T00:00:00.000Z' });
      given(...passed, achievementAwarded(), awardRevoked(), reassessed)
        .when(awardAchievement({ awardId: 'aw-2', awardedAt: '2026-03-06T00:00:00Z' }, recordedLater), context)
        .thenThrows('award-out-of-order');
    });

    it('judges prerequisites at awardedAt: one awarded after it does not count', () => {
      const requiring = [achievementDefined({ prerequisites: [PREREQUISITE_ID] })];
      const prerequisite = foldRecord([
        evidenceSubmitted({ achievementId: PREREQUISITE_ID }),
        assessmentRecorded({ achievementId: PREREQUISITE_ID }),
        achievementAwarded({ achievementId: PREREQUISITE_ID, awardId: 'aw-pre', issuedAt: '2026-06-01T00:00:00.000Z' }),
      ]);
      const withPrerequisite = contextWith(requiring, { [PREREQUISITE_ID]: prerequisite });
      given(...passed)
        .when(awardAchievement({ awardedAt: '2026-03-20T10:00:00Z' }, recordedLater), withPrerequisite)
        .thenThrows('prerequisite-missing');
      given(...passed)
        .when(awardAchievement({ awardedAt: '2026-06-02T10:00:00Z' }, recordedLater), withPrerequisite)
        .then([achievementAwarded({ issuedAt: '2026-06-02T10:00:00.000Z', validUntil: '2028-06-02T10:00:00.000Z' })]);
    });
  });
});

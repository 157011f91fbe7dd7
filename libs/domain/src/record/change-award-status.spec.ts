import { achievementDefined, achievementRetired } from '../achievement/testing/achievement.fixtures';
import { assessor, otherIssuerAdmin } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { recordDecider } from './record.decider';
import {
  achievementAwarded,
  assessmentRecorded,
  awardReinstated,
  awardRevoked,
  awardSuspended,
  contextWith,
  evidenceSubmitted,
  reinstateAward,
  revokeAward,
  suspendAward,
  VALID_UNTIL,
} from './testing/record.fixtures';

const given = specFor(recordDecider);
const context = contextWith();
const awarded = [evidenceSubmitted(), assessmentRecorded(), achievementAwarded()];
const suspended = [...awarded, awardSuspended()];
const revoked = [...awarded, awardRevoked()];
const afterExpiry = { now: VALID_UNTIL };

describe('SuspendAward', () => {
  it('suspends a valid award', () => {
    given(...awarded)
      .when(suspendAward(), context)
      .then([awardSuspended()]);
  });

  it('refuses an award already suspended', () => {
    given(...suspended)
      .when(suspendAward(), context)
      .thenThrows('award-not-active');
  });

  it('refuses a revoked award', () => {
    given(...revoked)
      .when(suspendAward(), context)
      .thenThrows('award-not-active');
  });

  it('refuses an expired award', () => {
    given(...awarded)
      .when(suspendAward({}, afterExpiry), context)
      .thenThrows('award-not-active');
  });

  it('refuses an award the record does not hold', () => {
    given(...awarded)
      .when(suspendAward({ awardId: 'aw-9' }), context)
      .thenThrows('unknown-award');
  });

  it('needs a reason', () => {
    given(...awarded)
      .when(suspendAward({ reason: ' ' }), context)
      .thenThrows('invalid-field');
  });

  it('needs the issuer-admin role', () => {
    given(...awarded)
      .when(suspendAward({}, { actor: assessor }), context)
      .thenThrows('role-required');
  });

  it('is for an issuer-admin of the issuer', () => {
    given(...awarded)
      .when(suspendAward({}, { actor: otherIssuerAdmin }), context)
      .thenThrows('not-your-issuer');
  });
});

describe('ReinstateAward', () => {
  it('reinstates a suspended award', () => {
    given(...suspended)
      .when(reinstateAward(), context)
      .then([awardReinstated()]);
  });

  it('keeps a reason when one is given', () => {
    given(...suspended)
      .when(reinstateAward({ reason: 'Investigation closed' }), context)
      .then([awardReinstated({ reason: 'Investigation closed' })]);
  });

  it('reinstates a suspended award that has since expired (it is then expired)', () => {
    given(...suspended)
      .when(reinstateAward({}, afterExpiry), context)
      .then([awardReinstated({ at: VALID_UNTIL })]);
  });

  it('refuses a valid award', () => {
    given(...awarded)
      .when(reinstateAward(), context)
      .thenThrows('award-not-suspended');
  });

  it('refuses a revoked award', () => {
    given(...suspended, awardRevoked())
      .when(reinstateAward(), context)
      .thenThrows('award-not-suspended');
  });

  it('refuses an award the record does not hold', () => {
    given().when(reinstateAward(), context).thenThrows('unknown-award');
  });

  it('is for an issuer-admin of the issuer', () => {
    given(...suspended)
      .when(reinstateAward({}, { actor: otherIssuerAdmin }), context)
      .thenThrows('not-your-issuer');
  });
});

describe('RevokeAward', () => {
  it('revokes a valid award', () => {
    given(...awarded)
      .when(revokeAward(), context)
      .then([awardRevoked()]);
  });

  it('revokes a suspended award', () => {
    given(...suspended)
      .when(revokeAward(), context)
      .then([awardRevoked()]);
  });

  it('revokes an award of an achievement since retired', () => {
    given(...awarded)
      .when(revokeAward(), contextWith([achievementDefined(), achievementRetired()]))
      .then([awardRevoked()]);
  });

  it('refuses to revoke twice', () => {
    given(...revoked)
      .when(revokeAward(), context)
      .thenThrows('award-already-revoked');
  });

  it('refuses an expired award', () => {
    given(...awarded)
      .when(revokeAward({}, afterExpiry), context)
      .thenThrows('award-not-active');
  });

  it('refuses an award the record does not hold', () => {
    given(...awarded)
      .when(revokeAward({ awardId: 'aw-9' }), context)
      .thenThrows('unknown-award');
  });

  it('needs a reason', () => {
    given(...awarded)
      .when(revokeAward({ reason: '' }), context)
      .thenThrows('invalid-field');
  });

  it('needs the issuer-admin role', () => {
    given(...awarded)
      .when(revokeAward({}, { actor: assessor }), context)
      .thenThrows('role-required');
  });

  it('is for an issuer-admin of the issuer', () => {
    given(...awarded)
      .when(revokeAward({}, { actor: otherIssuerAdmin }), context)
      .thenThrows('not-your-issuer');
  });

  it('refuses an achievement that was never defined', () => {
    given(...awarded)
      .when(revokeAward(), contextWith([]))
      .thenThrows('unknown-achievement');
  });
});

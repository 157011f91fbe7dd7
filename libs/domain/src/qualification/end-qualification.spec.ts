import { admin, assessor, issuerAdmin, learner, registrar } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { CONFERRAL_ACTOR } from './qualification.actors';
import { qualificationDecider } from './qualification.decider';
import {
  AWARD_IDS,
  invalidateQualification,
  LEARNER_ID,
  NESTED_QUALIFICATION_ID,
  otherRegistrar,
  QUALIFICATION_ID,
  qualificationBasisInvalidated,
  qualificationConferred,
  qualificationRevoked,
  RECOGNITION_ID,
  revokeQualification,
} from './testing/qualification.fixtures';

const given = specFor(qualificationDecider);
const conferred = qualificationConferred();
const invalidated = qualificationBasisInvalidated();
const revoked = qualificationRevoked();

describe('InvalidateQualification', () => {
  it('invalidates a qualification in force whose basis lost an award, as the process manager', () => {
    given(conferred).when(invalidateQualification()).then([invalidated]);
  });

  it('may be done by a registrar of the issuer', () => {
    given(conferred)
      .when(invalidateQualification({}, { actor: registrar }))
      .then([qualificationBasisInvalidated({ by: registrar.sub })]);
  });

  it('may name lost recognitions and nested qualifications', () => {
    const lostAwardIds = [RECOGNITION_ID, NESTED_QUALIFICATION_ID, AWARD_IDS[0]];
    given(conferred)
      .when(invalidateQualification({ lostAwardIds }))
      .then([qualificationBasisInvalidated({ lostAwardIds })]);
  });

  it('refuses to invalidate twice', () => {
    given(conferred, invalidated).when(invalidateQualification()).thenThrows('qualification-not-active');
  });

  it('refuses a revoked qualification', () => {
    given(conferred, revoked).when(invalidateQualification()).thenThrows('qualification-not-active');
  });

  it('ends only the qualification named', () => {
    const second = qualificationConferred({ qualificationId: 'q-2' });
    given(conferred, invalidated, second).when(invalidateQualification()).thenThrows('qualification-not-active');
    given(conferred, invalidated, second)
      .when(invalidateQualification({ qualificationId: 'q-2' }))
      .then([qualificationBasisInvalidated({ qualificationId: 'q-2' })]);
  });

  it('refuses a qualification the stream does not hold', () => {
    given().when(invalidateQualification()).thenThrows('unknown-qualification');
    given(conferred)
      .when(invalidateQualification({ qualificationId: 'q-9' }))
      .thenThrows('unknown-qualification');
    given(conferred)
      .when(invalidateQualification({ learnerId: 'someone-else' }))
      .thenThrows('unknown-qualification');
  });

  it('refuses a lost award the qualification does not rest on', () => {
    given(conferred)
      .when(invalidateQualification({ lostAwardIds: [AWARD_IDS[0], 'aw-unrelated'] }))
      .thenThrows('not-in-basis');
  });

  it.each([
    ['no lost award', { lostAwardIds: [] }, 'invalid-field'],
    ['a lost award twice', { lostAwardIds: [AWARD_IDS[0], AWARD_IDS[0]] }, 'duplicate-entry'],
    ['no reason', { reason: ' ' }, 'invalid-field'],
    ['a malformed qualification id', { qualificationId: 'q~1' }, 'invalid-id'],
  ] as const)('refuses %s', (_, data, code) => {
    given(conferred)
      .when(invalidateQualification(data as never))
      .thenThrows(code);
  });

  it.each([
    ['an issuer-admin', issuerAdmin],
    ['an assessor', assessor],
    ['a learner', learner],
  ])('is not for %s', (_, actor) => {
    given(conferred).when(invalidateQualification({}, { actor })).thenThrows('role-required');
  });

  it('is for a registrar of the issuer only', () => {
    given(conferred)
      .when(invalidateQualification({}, { actor: otherRegistrar }))
      .thenThrows('not-your-issuer');
  });
});

describe('RevokeQualification', () => {
  it('revokes a qualification in force, by a registrar of the issuer', () => {
    given(conferred).when(revokeQualification()).then([revoked]);
  });

  it('revokes by policy, as the process manager, when the basis is lost', () => {
    given(conferred)
      .when(revokeQualification({ reason: 'The award aw-python-testing was revoked' }, { actor: CONFERRAL_ACTOR }))
      .then([qualificationRevoked({ reason: 'The award aw-python-testing was revoked', by: CONFERRAL_ACTOR.sub })]);
  });

  it('may be done by an admin', () => {
    given(conferred)
      .when(revokeQualification({}, { actor: admin }))
      .then([qualificationRevoked({ by: admin.sub })]);
  });

  it('refuses to revoke twice', () => {
    given(conferred, revoked).when(revokeQualification()).thenThrows('qualification-not-active');
  });

  it('refuses an invalidated qualification', () => {
    given(conferred, invalidated).when(revokeQualification()).thenThrows('qualification-not-active');
  });

  it('refuses a qualification the stream does not hold', () => {
    given().when(revokeQualification()).thenThrows('unknown-qualification');
    given(conferred)
      .when(revokeQualification({ pathwayId: 'data-analyst' }))
      .thenThrows('unknown-qualification');
  });

  it('needs a reason', () => {
    given(conferred)
      .when(revokeQualification({ reason: '' }))
      .thenThrows('invalid-field');
  });

  it.each([
    ['an issuer-admin', issuerAdmin],
    ['an assessor', assessor],
    ['a learner', learner],
  ])('is not for %s', (_, actor) => {
    given(conferred).when(revokeQualification({}, { actor })).thenThrows('role-required');
  });

  it('is for a registrar of the issuer only', () => {
    given(conferred)
      .when(revokeQualification({}, { actor: otherRegistrar }))
      .thenThrows('not-your-issuer');
  });

  it('names the learner, pathway and qualification', () => {
    expect(revoked.data).toMatchObject({ learnerId: LEARNER_ID, qualificationId: QUALIFICATION_ID });
  });
});

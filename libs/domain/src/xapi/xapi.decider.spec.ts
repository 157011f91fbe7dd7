import { foldAchievement } from '../achievement/achievement.decider';
import { ACHIEVEMENT_ID, achievementDefined, achievementRetired } from '../achievement/testing/achievement.fixtures';
import { foldIssuer } from '../issuer/issuer.decider';
import { issuerRegistered } from '../issuer/testing/issuer.fixtures';
import { assessor, issuerAdmin, ISSUER_ID, otherIssuerAdmin } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import type { Actor } from '../shared/actor';
import type { XapiClientRegistered, XapiClientRevoked, XapiMappingSet, XapiRule } from './xapi.events';
import { xapiDecider } from './xapi.decider';

const given = specFor(xapiDecider);
const NOW = '2026-03-01T10:00:00.000Z';
const HASH = 'ab'.repeat(32);
const CLIENT = `${ISSUER_ID}.c0ffee`;
const meta = (actor: Actor = issuerAdmin) => ({ now: NOW, actor });
const issuerContext = { issuer: foldIssuer([issuerRegistered()]) };
const achievementContext = { achievement: foldAchievement([achievementDefined()]) };
const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';

const register = (actor?: Actor) => ({
  type: 'RegisterXapiClient' as const,
  data: { issuerId: ISSUER_ID, clientId: CLIENT, secretHash: HASH, name: 'Moodle' },
  metadata: meta(actor),
});
const registered: XapiClientRegistered = {
  type: 'XapiClientRegistered',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    clientId: CLIENT,
    secretHash: HASH,
    name: 'Moodle',
    registeredBy: issuerAdmin.sub,
    registeredAt: NOW,
  },
};
const revoke = { type: 'RevokeXapiClient' as const, data: { issuerId: ISSUER_ID, clientId: CLIENT }, metadata: meta() };
const revoked: XapiClientRevoked = {
  type: 'XapiClientRevoked',
  data: { schemaVersion: 1, issuerId: ISSUER_ID, clientId: CLIENT, revokedBy: issuerAdmin.sub, revokedAt: NOW },
};
const rule = { criterionId: 'unit-tests', verb: COMPLETED, activityId: 'https://lms.example.edu/mod/quiz/1' };
const setMapping = (rules: unknown = [rule], actor?: Actor) => ({
  type: 'SetXapiMapping' as const,
  data: { issuerId: ISSUER_ID, achievementId: ACHIEVEMENT_ID, rules },
  metadata: meta(actor),
});
const mappingSet = (revision: number, rules: XapiRule[] = [rule]): XapiMappingSet => ({
  type: 'XapiMappingSet',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    achievementId: ACHIEVEMENT_ID,
    revision,
    rules,
    setBy: issuerAdmin.sub,
    setAt: NOW,
  },
});

describe('xAPI clients', () => {
  it('registers a client of a registered issuer with the hash of its secret', () => {
    given().when(register(), issuerContext).then([registered]);
  });

  it('revokes a client once', () => {
    given(registered).when(revoke, {}).then([revoked]);
    given(registered, revoked).when(revoke, {}).thenThrows('xapi-client-revoked');
    given().when(revoke, {}).thenThrows('unknown-xapi-client');
  });

  it('is an issuer-admin of that issuer’s alone', () => {
    given().when(register(assessor), issuerContext).thenThrows('role-required');
    given().when(register(otherIssuerAdmin), issuerContext).thenThrows('not-your-issuer');
  });

  it('refuses an unregistered issuer, a reused client id and anything but a SHA-256 hex', () => {
    given().when(register(), {}).thenThrows('unknown-issuer');
    given(registered).when(register(), issuerContext).thenThrows('duplicate-id');
    given()
      .when({ ...register(), data: { ...register().data, secretHash: 'the secret itself' } }, issuerContext)
      .thenThrows('invalid-sha256');
  });
});

describe('xAPI evidence mappings', () => {
  it('sets and revises an achievement’s mapping, counting revisions', () => {
    given()
      .when(setMapping(), achievementContext)
      .then([mappingSet(1)]);
    given(mappingSet(1))
      .when(setMapping([]), achievementContext)
      .then([mappingSet(2, [])]);
  });

  it('keeps assessment levels highest first', () => {
    const levels = [
      { name: 'pass', minScaled: 0.5, met: true },
      { name: 'distinction', minScaled: 0.85, met: true },
    ];
    const [event] = given()
      .when(setMapping([{ ...rule, assess: { levels } }]), achievementContext)
      .then([mappingSet(1, [{ ...rule, assess: { levels: [levels[1], levels[0]] } }])]);
    expect((event as XapiMappingSet).data.rules[0].assess?.levels[0].name).toBe('distinction');
  });

  it('refuses a criterion the rubric does not have, a retired or another issuer’s achievement', () => {
    given()
      .when(setMapping([{ ...rule, criterionId: 'style' }]), achievementContext)
      .thenThrows('unknown-criterion');
    given()
      .when(setMapping(), { achievement: foldAchievement([achievementDefined(), achievementRetired()]) })
      .thenThrows('achievement-retired');
    given().when(setMapping(), {}).thenThrows('unknown-achievement');
    given().when(setMapping(undefined, otherIssuerAdmin), achievementContext).thenThrows('not-your-issuer');
  });

  it('refuses malformed rules: both or neither activity, a score outside -1..1, an unknown field, a bad IRI', () => {
    for (const bad of [
      { criterionId: 'unit-tests', verb: COMPLETED },
      { ...rule, activityType: 'http://adlnet.gov/expapi/activities/assessment' },
      { ...rule, minScaled: 1.5 },
      { ...rule, weight: 2 },
      { ...rule, verb: 'completed' },
      { ...rule, assess: { levels: [] } },
    ])
      given()
        .when(setMapping([bad]), achievementContext)
        .thenThrows('invalid-field');
  });
});

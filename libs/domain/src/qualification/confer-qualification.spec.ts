import { foldPathway } from '../pathway/pathway.decider';
import { definition, pathwayDefined, pathwayRetired, pathwayRevised } from '../pathway/testing/pathway.fixtures';
import { admin, assessor, issuerAdmin, learner, registrar } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { CONFERRAL_ACTOR } from './qualification.actors';
import { qualificationDecider } from './qualification.decider';
import {
  conferByRegistrar,
  conferQualification,
  contextWith,
  otherRegistrar,
  qualificationBasisInvalidated,
  qualificationConferred,
  qualificationRevoked,
} from './testing/qualification.fixtures';

const given = specFor(qualificationDecider);
const context = contextWith();
const byRegistrar = contextWith(pathwayDefined({ conferral: 'registrar' }));
const award = definition().award;
const revisedAward = { ...award, title: 'Certificate in Python Development (2026)', type: 'ext:MicroDegree' as const };
const revised = contextWith(pathwayDefined(), pathwayRevised(2, { award: revisedAward }));

describe('ConferQualification', () => {
  it('confers the award of the pathway version, automatically, on a learner who meets its rule', () => {
    given().when(conferQualification(), context).then([qualificationConferred()]);
  });

  it('refuses a registrar a version conferred automatically: the process manager alone confers it', () => {
    given().when(conferByRegistrar(), context).thenThrows('automatic-conferral');
  });

  it('is conferred by a registrar when the version says so', () => {
    given()
      .when(conferByRegistrar(), byRegistrar)
      .then([qualificationConferred({ conferral: 'registrar', conferredBy: registrar.sub })]);
  });

  it('snapshots the award of the version conferred', () => {
    given()
      .when(conferQualification({ version: 2 }), revised)
      .then([qualificationConferred({ version: 2, awardTitle: revisedAward.title, awardType: 'ext:MicroDegree' })]);
  });

  it('confers an earlier version still, for a learner who started under it', () => {
    given()
      .when(conferQualification({ version: 1 }), revised)
      .then([qualificationConferred()]);
  });

  it('may rest on awards alone and count no credits', () => {
    const basis = { awardIds: ['aw-1'], recognitionIds: [], pathwayQualificationIds: [] };
    given()
      .when(conferQualification({ basis, credits: [] }), context)
      .then([qualificationConferred({ basis, credits: [] })]);
  });

  it('keeps the instant in canonical UTC', () => {
    given()
      .when(conferQualification({}, { now: '2026-04-01T14:00:00+02:00' }), context)
      .then([qualificationConferred()]);
  });

  it('refuses a learner who does not meet the rule', () => {
    given()
      .when(conferQualification({ evaluation: { satisfied: false } }), context)
      .thenThrows('rule-not-met');
  });

  it('takes the stacking engine progress as the evaluation', () => {
    const progress = { satisfied: true, credits: { earned: 12, required: 10 }, missing: [] };
    given()
      .when(conferQualification({ evaluation: progress }), context)
      .then([qualificationConferred()]);
  });

  describe('one qualification in force per learner and pathway', () => {
    it('refuses a second while the first is in force', () => {
      given(qualificationConferred())
        .when(conferQualification({ qualificationId: 'q-2' }), context)
        .thenThrows('already-conferred');
    });

    it('confers anew after the first was invalidated', () => {
      given(qualificationConferred(), qualificationBasisInvalidated())
        .when(conferQualification({ qualificationId: 'q-2' }), context)
        .then([qualificationConferred({ qualificationId: 'q-2' })]);
    });

    it('confers anew after the first was revoked', () => {
      given(qualificationConferred(), qualificationRevoked())
        .when(conferQualification({ qualificationId: 'q-2' }), context)
        .then([qualificationConferred({ qualificationId: 'q-2' })]);
    });

    it('refuses the id of an earlier qualification', () => {
      given(qualificationConferred(), qualificationRevoked())
        .when(conferQualification(), context)
        .thenThrows('duplicate-id');
    });
  });

  describe('the pathway', () => {
    it('must be defined', () => {
      given()
        .when(conferQualification(), { pathway: foldPathway([]) })
        .thenThrows('unknown-pathway');
    });

    it('must not be retired', () => {
      given()
        .when(conferQualification(), contextWith(pathwayDefined(), pathwayRetired()))
        .thenThrows('pathway-retired');
    });

    it('must have the version', () => {
      given()
        .when(conferQualification({ version: 2 }), context)
        .thenThrows('unknown-version');
    });

    it('must be conferred by a registrar when its version says so', () => {
      given().when(conferQualification(), byRegistrar).thenThrows('registrar-conferral-required');
    });

    it('is loaded by the handler', () => {
      expect(() => qualificationDecider.decide(conferQualification(), { qualifications: [] }, undefined)).toThrow(
        /context/,
      );
      const other = contextWith(pathwayDefined({}, { pathwayId: 'data-analyst' }));
      expect(() => qualificationDecider.decide(conferQualification(), { qualifications: [] }, other)).toThrow(
        /data-analyst/,
      );
    });
  });

  describe('who confers', () => {
    it('automatically: the admin role, as the process manager acts', () => {
      expect(CONFERRAL_ACTOR).toEqual({ sub: 'tessera:conferral', roles: ['admin'], issuers: [] });
      given()
        .when(conferQualification({}, { actor: admin }), context)
        .then([qualificationConferred({ conferredBy: admin.sub })]);
    });

    it.each([
      ['a registrar', registrar],
      ['an issuer-admin', issuerAdmin],
      ['an assessor', assessor],
      ['a learner', learner],
    ])('automatically: not %s', (_, actor) => {
      given().when(conferQualification({}, { actor }), context).thenThrows('role-required');
    });

    it.each([
      ['the process manager', CONFERRAL_ACTOR],
      ['an issuer-admin', issuerAdmin],
      ['a learner', learner],
    ])('by hand: a registrar, not %s', (_, actor) => {
      given().when(conferByRegistrar({}, { actor }), context).thenThrows('role-required');
    });

    it('by hand: a registrar of the pathway issuer', () => {
      given()
        .when(conferByRegistrar({}, { actor: otherRegistrar }), context)
        .thenThrows('not-your-issuer');
    });
  });

  it.each([
    ['a malformed learner id', { learnerId: 'a~b' }, 'invalid-id'],
    ['a malformed pathway id', { pathwayId: '' }, 'invalid-id'],
    ['a malformed qualification id', { qualificationId: 'q 1' }, 'invalid-id'],
    ['version 0', { version: 0 }, 'invalid-field'],
    ['a fractional version', { version: 1.5 }, 'invalid-field'],
    ['no basis', { basis: undefined }, 'invalid-field'],
    ['a basis without its lists', { basis: { awardIds: ['aw-1'] } }, 'invalid-field'],
    [
      'an award twice in the basis',
      { basis: { awardIds: ['aw-1', 'aw-1'], recognitionIds: [], pathwayQualificationIds: [] } },
      'duplicate-entry',
    ],
    [
      'a malformed award id',
      { basis: { awardIds: ['aw 1'], recognitionIds: [], pathwayQualificationIds: [] } },
      'invalid-id',
    ],
    ['negative credits', { credits: [{ framework: 'ECTS', value: -1 }] }, 'invalid-field'],
    ['no credits list', { credits: undefined }, 'invalid-field'],
    ['a level of no framework', { level: { framework: '', level: 5 } }, 'invalid-field'],
    ['an unknown conferral', { conferral: 'manual' }, 'invalid-field'],
    ['no evaluation', { evaluation: undefined }, 'invalid-field'],
    ['an evaluation that is not a boolean', { evaluation: { satisfied: 'yes' } }, 'invalid-field'],
  ] as const)('refuses %s', (_, data, code) => {
    given()
      .when(conferQualification(data as never), context)
      .thenThrows(code);
  });

  it('refuses a malformed instant', () => {
    given()
      .when(conferQualification({}, { now: 'today' }), context)
      .thenThrows('invalid-instant');
  });
});

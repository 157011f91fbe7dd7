import { foldIssuer } from '../issuer/issuer.decider';
import { issuerRegistered } from '../issuer/testing/issuer.fixtures';
import { assessor, otherIssuerAdmin, registrar } from '../shared/testing/actors';
import { expectPlainJson, specFor } from '../shared/testing/given-when-then';
import { withoutUndefined } from '../shared/testing/without-undefined';
import { pathwayStream } from '../shared/streams';
import { foldPathway, pathwayDecider, type PathwayContext } from './pathway.decider';
import { type PathwayDefinition, pathwayFramework, rulePath } from './pathway.definition';
import { isPathwayEvent, PATHWAY_EVENT_TYPES } from './pathway.events';
import { findPathwayVersion, latestPathwayVersion } from './pathway.state';
import {
  cyclic,
  DEFINED_AT,
  definePathway,
  definition,
  failingRule,
  NESTED_PATHWAY_ID,
  PATHWAY_ID,
  pathwayDefined,
  pathwayRetired,
  pathwayRevised,
  retirePathway,
  REVISED_AT,
  revisePathway,
  withChecks,
} from './testing/pathway.fixtures';

const given = specFor(pathwayDecider);
const issuer = foldIssuer([issuerRegistered()]);
const context: PathwayContext = withChecks({ issuer });
const award = definition().award;

describe('pathway decider', () => {
  describe('DefinePathway', () => {
    it('defines version 1 with the full definition', () => {
      given().when(definePathway(), context).then([pathwayDefined()]);
    });

    it('invalidates on a lost basis unless told otherwise, and leaves an absent description out', () => {
      const input = withoutUndefined({ ...definition(), onBasisLost: undefined, description: undefined });
      given()
        .when(
          { ...definePathway(), data: { pathwayId: PATHWAY_ID, issuerId: 'tu-dublin', definition: input } },
          context,
        )
        .then([pathwayDefined({ onBasisLost: 'invalidate', description: undefined })]);
    });

    it('keeps registrar conferral and the revoke policy', () => {
      const choice: Partial<PathwayDefinition> = { conferral: 'registrar', onBasisLost: 'revoke' };
      given()
        .when(definePathway(choice), context)
        .then([pathwayDefined(choice)]);
    });

    it('trims its text', () => {
      given()
        .when(definePathway({ title: '  Python developer ', award: { ...award, title: ' Certificate ' } }), context)
        .then([pathwayDefined({ award: { ...award, title: 'Certificate' } })]);
    });

    it.each(['Certificate', 'Diploma', 'LearningProgram', 'MicroCredential', 'BachelorDegree', 'ext:MicroDegree'])(
      'accepts the award type %s',
      (type) => {
        const typed = { award: { ...award, type } } as Partial<PathwayDefinition>;
        given()
          .when(definePathway(typed), context)
          .then([pathwayDefined(typed)]);
      },
    );

    it('may give further credits in any framework after the first', () => {
      const credits = [
        { framework: 'ECTS', value: 10 },
        { framework: 'FETAC', value: 40 },
      ];
      given()
        .when(definePathway({ award: { ...award, credits } }), context)
        .then([pathwayDefined({ award: { ...award, credits } })]);
    });

    it('counts its credit totals in the framework of the first award credit', () => {
      const credits = [
        { framework: 'SCQF', value: 80 },
        { framework: 'ECTS', value: 40 },
      ];
      expect(pathwayFramework(definition({ award: { ...award, credits } }))).toBe('SCQF');
    });

    it.each([
      ['no title', { title: ' ' }, 'invalid-field'],
      ['an empty description', { description: '' }, 'invalid-field'],
      ['no award', { award: undefined }, 'invalid-field'],
      ['an award without title', { award: { ...award, title: '' } }, 'invalid-field'],
      ['an award type outside OB 3.0', { award: { ...award, type: 'Nanodegree' } }, 'invalid-field'],
      ['an award type in the wrong case', { award: { ...award, type: 'certificate' } }, 'invalid-field'],
      ['an empty ext: term', { award: { ...award, type: 'ext:' } }, 'invalid-field'],
      ['an ext: term with a space', { award: { ...award, type: 'ext:Micro Degree' } }, 'invalid-field'],
      ['an award without credits', { award: { ...award, credits: [] } }, 'invalid-field'],
      ['an award with credits left out', { award: { ...award, credits: undefined } }, 'invalid-field'],
      ['a zero credit', { award: { ...award, credits: [{ framework: 'ECTS', value: 0 }] } }, 'invalid-field'],
      [
        'two credits in one framework',
        {
          award: {
            ...award,
            credits: [
              { framework: 'ECTS', value: 10 },
              { framework: 'ECTS', value: 12 },
            ],
          },
        },
        'duplicate-entry',
      ],
      [
        'a first credit outside the credit frameworks',
        { award: { ...award, credits: [{ framework: 'NFQ', value: 10 }] } },
        'invalid-field',
      ],
      ['an EQF level above 8', { award: { ...award, level: { framework: 'EQF', level: 9 } } }, 'invalid-field'],
      ['an unknown conferral', { conferral: 'manual' }, 'invalid-field'],
      ['an unknown basis-lost policy', { onBasisLost: 'suspend' }, 'invalid-field'],
      ['no rule', { rule: undefined }, 'invalid-rule'],
    ] as const)('refuses %s', (_, overrides, code) => {
      const input = withoutUndefined({ ...definition(), ...(overrides as object) });
      given()
        .when(
          { ...definePathway(), data: { pathwayId: PATHWAY_ID, issuerId: 'tu-dublin', definition: input } },
          context,
        )
        .thenThrows(code);
    });

    it('refuses a definition that is not an object', () => {
      given()
        .when(
          { ...definePathway(), data: { pathwayId: PATHWAY_ID, issuerId: 'tu-dublin', definition: null } } as never,
          context,
        )
        .thenThrows('invalid-field');
    });

    it('refuses a malformed pathway or issuer id', () => {
      given()
        .when(definePathway({}, {}, { pathwayId: 'a~b' }), context)
        .thenThrows('invalid-id');
      given()
        .when(definePathway({}, {}, { issuerId: 'TU Dublin' }), context)
        .thenThrows('invalid-id');
    });

    describe('the rule', () => {
      it('is refused with every issue checkRule finds, placed under definition.rule, as invalid-rule', () => {
        const error = given()
          .when(
            definePathway(),
            withChecks({
              issuer,
              ...failingRule(
                { path: 'allOf[0].achievement', code: 'unknown-achievement', message: 'no achievement python-basics' },
                { path: '', code: 'invalid-rule', message: 'a rule has exactly one key' },
              ),
            }),
          )
          .thenThrows('invalid-rule');
        expect(error.kind).toBe('refused');
        expect(error.issues).toEqual([
          {
            path: 'definition.rule.allOf[0].achievement',
            code: 'invalid-rule',
            message: 'no achievement python-basics (unknown-achievement)',
          },
          { path: 'definition.rule', code: 'invalid-rule', message: 'a rule has exactly one key' },
        ]);
      });

      it('is checked together with the rest of the definition, in one error', () => {
        const error = given()
          .when(
            definePathway({ title: '' }),
            withChecks({
              issuer,
              ...failingRule({ path: 'nOf.n', code: 'invalid-field', message: 'must be a whole number' }),
            }),
          )
          .thenThrows('invalid-field');
        expect(error.issues.map((issue) => [issue.path, issue.code])).toEqual([
          ['definition.title', 'invalid-field'],
          ['definition.rule.nOf.n', 'invalid-rule'],
        ]);
      });

      it('may not nest the pathway in itself', () => {
        const error = given()
          .when(definePathway(), withChecks({ issuer, ...cyclic }))
          .thenThrows('pathway-cycle');
        expect(error.detail).toContain(`${PATHWAY_ID} → ${NESTED_PATHWAY_ID} → ${PATHWAY_ID}`);
      });

      it('is searched for cycles only once it is well-formed', () => {
        const findCycle = jest.fn(() => undefined);
        given()
          .when(
            definePathway(),
            withChecks({ issuer, ...failingRule({ path: '', code: 'invalid-rule', message: 'x' }), findCycle }),
          )
          .thenThrows('invalid-rule');
        expect(findCycle).not.toHaveBeenCalled();
      });

      it('is checked as the command gives it', () => {
        const checkRule = jest.fn(() => []);
        const findCycle = jest.fn(() => undefined);
        given().when(definePathway(), withChecks({ issuer, checkRule, findCycle })).then([pathwayDefined()]);
        expect(checkRule).toHaveBeenCalledWith(definition().rule);
        expect(findCycle).toHaveBeenCalledWith(PATHWAY_ID, definition().rule);
      });

      it('may name another issuer’s achievements only under a recognition: recognition-missing names each node', () => {
        const checkRecognitions = jest.fn(() => [
          { path: 'allOf[1]', code: 'recognition-missing' as const, message: 'porto-stats is of uni-porto' },
        ]);
        const error = given()
          .when(definePathway(), withChecks({ issuer, checkRecognitions }))
          .thenThrows('recognition-missing');
        expect(error.kind).toBe('refused');
        expect(error.issues).toEqual([
          { path: 'definition.rule.allOf[1]', code: 'recognition-missing', message: 'porto-stats is of uni-porto' },
        ]);
        expect(checkRecognitions).toHaveBeenCalledWith('tu-dublin', definition().rule);
      });
    });

    it('needs the issuer-admin role', () => {
      given()
        .when(definePathway({}, { actor: assessor }), context)
        .thenThrows('role-required');
      given()
        .when(definePathway({}, { actor: registrar }), context)
        .thenThrows('role-required');
    });

    it('is for an issuer the actor acts for', () => {
      given()
        .when(definePathway({}, { actor: otherIssuerAdmin }), context)
        .thenThrows('not-your-issuer');
    });

    it('needs a registered issuer', () => {
      given().when(definePathway(), withChecks()).thenThrows('unknown-issuer');
      given()
        .when(definePathway(), withChecks({ issuer: foldIssuer([]) }))
        .thenThrows('unknown-issuer');
    });

    it('refuses to define a pathway twice', () => {
      given(pathwayDefined()).when(definePathway(), context).thenThrows('pathway-already-defined');
    });

    it('cannot decide without the rule checks', () => {
      expect(() => pathwayDecider.decide(definePathway(), foldPathway([]), undefined)).toThrow(/checkRule/);
    });
  });

  describe('RevisePathway', () => {
    it('publishes the full new definition, rule included, as version 2', () => {
      const changed: Partial<PathwayDefinition> = {
        rule: { nOf: { n: 2, of: [{ achievement: 'a' }, { achievement: 'b' }] } },
      };
      given(pathwayDefined())
        .when(revisePathway(changed), context)
        .then([pathwayRevised(2, changed)]);
    });

    it('numbers each revision after the last', () => {
      given(pathwayDefined(), pathwayRevised(2))
        .when(revisePathway({ conferral: 'registrar' }), context)
        .then([pathwayRevised(3, { conferral: 'registrar' })]);
    });

    it('refuses a pathway that was never defined', () => {
      given().when(revisePathway(), context).thenThrows('unknown-pathway');
    });

    it('refuses a retired pathway', () => {
      given(pathwayDefined(), pathwayRetired()).when(revisePathway(), context).thenThrows('pathway-retired');
    });

    it('is for the issuer of the pathway', () => {
      given(pathwayDefined())
        .when(revisePathway({}, { actor: otherIssuerAdmin }), context)
        .thenThrows('not-your-issuer');
    });

    it('needs the issuer-admin role', () => {
      given(pathwayDefined())
        .when(revisePathway({}, { actor: assessor }), context)
        .thenThrows('role-required');
    });

    it('checks the new definition like a first one', () => {
      given(pathwayDefined())
        .when(revisePathway({ award: { ...award, credits: [] } }), context)
        .thenThrows('invalid-field');
      given(pathwayDefined())
        .when(revisePathway(), failingRule({ path: 'credits.min', code: 'invalid-field', message: 'must be above 0' }))
        .thenThrows('invalid-rule');
    });

    it('refuses a rule that closes a cycle through nested pathways', () => {
      given(pathwayDefined()).when(revisePathway(), cyclic).thenThrows('pathway-cycle');
    });

    it('refuses a rule naming another issuer’s achievement it has no recognition of', () => {
      const checkRecognitions = jest.fn(() => [
        { path: '', code: 'recognition-missing' as const, message: 'porto-stats is of uni-porto' },
      ]);
      given(pathwayDefined())
        .when(revisePathway(), withChecks({ checkRecognitions }))
        .thenThrows('recognition-missing');
      expect(checkRecognitions).toHaveBeenCalledWith('tu-dublin', definition().rule);
    });

    it('cannot decide without the rule checks', () => {
      expect(() => pathwayDecider.decide(revisePathway(), foldPathway([pathwayDefined()]), undefined)).toThrow(Error);
    });
  });

  describe('RetirePathway', () => {
    it('retires with a reason', () => {
      given(pathwayDefined())
        .when(retirePathway('Replaced by python-developer-2'))
        .then([pathwayRetired({ reason: 'Replaced by python-developer-2' })]);
    });

    it('retires without a reason, needing no context', () => {
      given(pathwayDefined(), pathwayRevised(2)).when(retirePathway()).then([pathwayRetired()]);
    });

    it('refuses to retire twice', () => {
      given(pathwayDefined(), pathwayRetired()).when(retirePathway()).thenThrows('already-retired');
    });

    it('refuses a pathway that was never defined', () => {
      given().when(retirePathway()).thenThrows('unknown-pathway');
    });

    it('refuses an empty reason', () => {
      given(pathwayDefined()).when(retirePathway(' ')).thenThrows('invalid-field');
    });

    it('is for the issuer of the pathway', () => {
      given(pathwayDefined())
        .when(retirePathway('x', { actor: otherIssuerAdmin }))
        .thenThrows('not-your-issuer');
    });

    it('needs the issuer-admin role', () => {
      given(pathwayDefined())
        .when(retirePathway('x', { actor: assessor }))
        .thenThrows('role-required');
    });
  });

  describe('evolve', () => {
    it('keeps every version and, once retired, the instant', () => {
      const pathway = foldPathway([pathwayDefined(), pathwayRevised(2, { conferral: 'registrar' }), pathwayRetired()]);
      expect(pathway).toEqual({
        status: 'retired',
        pathwayId: PATHWAY_ID,
        issuerId: 'tu-dublin',
        versions: [
          { version: 1, definition: definition(), publishedAt: DEFINED_AT },
          { version: 2, definition: definition({ conferral: 'registrar' }), publishedAt: REVISED_AT },
        ],
        retiredAt: '2026-09-30T17:00:00.000Z',
      });
      expect(latestPathwayVersion(pathway)?.version).toBe(2);
      expect(findPathwayVersion(pathway, 1)?.definition).toEqual(definition());
      expect(findPathwayVersion(pathway, 3)).toBeUndefined();
    });

    it('starts with no pathway', () => {
      const none = foldPathway([]);
      expect(none).toEqual({ status: 'none' });
      expect(latestPathwayVersion(none)).toBeUndefined();
      expect(findPathwayVersion(none, 1)).toBeUndefined();
    });

    it('ignores a revision or retirement of a pathway never defined', () => {
      expect(foldPathway([pathwayRevised(2), pathwayRetired()])).toEqual({ status: 'none' });
    });
  });

  describe('events and streams', () => {
    it.each([pathwayDefined(), pathwayRevised(2), pathwayRetired({ reason: 'superseded' })])(
      '$type is plain JSON with schema version 1',
      (event) => {
        expectPlainJson(event);
        expect(event.data.schemaVersion).toBe(1);
        expect(isPathwayEvent(event)).toBe(true);
      },
    );

    it('knows its event types', () => {
      expect(PATHWAY_EVENT_TYPES).toEqual(['PathwayDefined', 'PathwayRevised', 'PathwayRetired']);
      expect(isPathwayEvent({ type: 'AchievementDefined' })).toBe(false);
    });

    it('lives in the stream pathway-{pathwayId}', () => {
      expect(pathwayStream(PATHWAY_ID)).toBe('pathway-python-developer');
      expect(() => pathwayStream('a~b')).toThrow(expect.objectContaining({ code: 'invalid-id' }));
    });
  });
});

describe('rulePath', () => {
  it.each([
    ['', 'definition.rule'],
    ['rule', 'definition.rule'],
    ['allOf[0]', 'definition.rule.allOf[0]'],
    ['[0]', 'definition.rule[0]'],
    ['rule.allOf[0]', 'definition.rule.allOf[0]'],
    ['definition.rule.nOf.n', 'definition.rule.nOf.n'],
  ])('places %j at %s', (path, placed) => {
    expect(rulePath(path)).toBe(placed);
  });
});

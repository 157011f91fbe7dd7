import { issuerRegistered } from '../issuer/testing/issuer.fixtures';
import { foldIssuer } from '../issuer/issuer.decider';
import { assessor, otherIssuerAdmin } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { withoutUndefined } from '../shared/testing/without-undefined';
import { achievementDecider, type AchievementContext, foldAchievement } from './achievement.decider';
import type { AchievementDefinition } from './achievement.definition';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  achievementRetired,
  achievementRevised,
  defineAchievement,
  definition,
  DEFINED_AT,
  PREREQUISITE_ID,
  prerequisiteDefined,
  retireAchievement,
  reviseAchievement,
} from './testing/achievement.fixtures';

const given = specFor(achievementDecider);
const issuer = foldIssuer([issuerRegistered()]);
const context: AchievementContext = { issuer };
const withPrerequisite: AchievementContext = {
  issuer,
  prerequisites: { [PREREQUISITE_ID]: foldAchievement([prerequisiteDefined()]) },
};

describe('achievement decider', () => {
  describe('DefineAchievement', () => {
    it('defines version 1 with the full definition', () => {
      given().when(defineAchievement(), context).then([achievementDefined()]);
    });

    it('keeps credits and prerequisites as empty lists and leaves absent optional fields out', () => {
      const input = withoutUndefined({
        ...definition(),
        credits: undefined,
        prerequisites: undefined,
        validity: undefined,
        supervision: undefined,
      });
      given()
        .when(
          { ...defineAchievement(), data: { achievementId: ACHIEVEMENT_ID, issuerId: 'tu-dublin', definition: input } },
          context,
        )
        .then([achievementDefined({ credits: [], prerequisites: [], validity: undefined, supervision: undefined })]);
    });

    it('keeps alignments and further information', () => {
      const extra: Partial<AchievementDefinition> = {
        description: 'A short course on pytest.',
        alignments: [
          { targetName: 'test software', targetUrl: 'http://data.europa.eu/esco/skill/abc', targetFramework: 'ESCO' },
        ],
        url: 'https://www.tudublin.ie/python-testing',
      };
      given()
        .when(defineAchievement(extra), context)
        .then([achievementDefined(extra)]);
    });

    it.each([
      ['skill', 'I can explain recursion to a peer.'],
      ['knowledge', 'I understand how garbage collection works in CPython.'],
      ['disposition', 'I exhibit care for the readability of my code.'],
    ] as const)('accepts a %s statement that begins as its kind requires', (kind, statement) => {
      given()
        .when(defineAchievement({ kind, statement }), context)
        .then([achievementDefined({ kind, statement })]);
    });

    it.each([
      ['skill', 'I understand recursion.'],
      ['knowledge', 'I can explain garbage collection.'],
      ['disposition', 'I can be careful.'],
      ['skill', 'I cannot swim.'],
      ['skill', 'I can'],
    ] as const)('refuses a %s statement "%s"', (kind, statement) => {
      given().when(defineAchievement({ kind, statement }), context).thenThrows('statement-mismatch');
    });

    it.each([
      ['no title', { title: ' ' }, 'invalid-field'],
      ['an unknown kind', { kind: 'attitude' }, 'invalid-field'],
      ['no learning outcomes', { learningOutcomes: [] }, 'invalid-field'],
      ['no criteria', { criteria: [] }, 'invalid-field'],
      [
        'a criterion without description',
        { criteria: [{ id: 'a', description: '', required: true }] },
        'invalid-field',
      ],
      ['a malformed criterion id', { criteria: [{ id: 'a b', description: 'x', required: true }] }, 'invalid-id'],
      [
        'a criterion id twice',
        {
          criteria: [
            { id: 'a', description: 'x', required: true },
            { id: 'a', description: 'y', required: false },
          ],
        },
        'duplicate-entry',
      ],
      [
        'no required criterion',
        { criteria: [{ id: 'a', description: 'x', required: false }] },
        'no-required-criterion',
      ],
      ['zero notional hours', { notionalHours: 0 }, 'invalid-field'],
      ['an EQF level above 8', { level: { framework: 'EQF', level: 9 } }, 'invalid-field'],
      ['a fractional level', { level: { framework: 'SCQF', level: 7.5 } }, 'invalid-field'],
      ['negative credits', { credits: [{ framework: 'ECTS', value: -2 }] }, 'invalid-field'],
      [
        'two amounts in one credit framework',
        {
          credits: [
            { framework: 'ECTS', value: 2 },
            { framework: 'ECTS', value: 3 },
          ],
        },
        'duplicate-entry',
      ],
      ['no assessment type', { assessmentType: '' }, 'invalid-field'],
      ['an unknown participation form', { participation: 'hybrid' }, 'invalid-field'],
      ['a validity that is not an ISO 8601 duration', { validity: '2 years' }, 'invalid-duration'],
      ['a zero validity', { validity: 'P0D' }, 'invalid-duration'],
      ['a malformed prerequisite id', { prerequisites: ['python basics'] }, 'invalid-id'],
      ['a prerequisite twice', { prerequisites: [PREREQUISITE_ID, PREREQUISITE_ID] }, 'duplicate-entry'],
      ['itself as prerequisite', { prerequisites: [ACHIEVEMENT_ID] }, 'self-prerequisite'],
      ['an alignment without a URL', { alignments: [{ targetName: 'x', targetUrl: 'esco' }] }, 'invalid-url'],
    ] as const)('refuses %s', (_, overrides, code) => {
      given()
        .when(defineAchievement(overrides as Partial<AchievementDefinition>), withPrerequisite)
        .thenThrows(code);
    });

    it('refuses a malformed achievement id', () => {
      given()
        .when(defineAchievement({}, {}, { achievementId: 'a~b' }), context)
        .thenThrows('invalid-id');
    });

    it('needs the issuer-admin role', () => {
      given()
        .when(defineAchievement({}, { actor: assessor }), context)
        .thenThrows('role-required');
    });

    it('is for an issuer the actor acts for', () => {
      given()
        .when(defineAchievement({}, { actor: otherIssuerAdmin }), context)
        .thenThrows('not-your-issuer');
    });

    it('needs a registered issuer', () => {
      given().when(defineAchievement(), {}).thenThrows('unknown-issuer');
      given()
        .when(defineAchievement(), { issuer: foldIssuer([]) })
        .thenThrows('unknown-issuer');
    });

    it('refuses to define an achievement twice', () => {
      given(achievementDefined()).when(defineAchievement(), context).thenThrows('achievement-already-defined');
    });

    describe('prerequisites', () => {
      it('may name a defined achievement', () => {
        given()
          .when(defineAchievement({ prerequisites: [PREREQUISITE_ID] }), withPrerequisite)
          .then([achievementDefined({ prerequisites: [PREREQUISITE_ID] })]);
      });

      it('refuses an achievement that does not exist', () => {
        given()
          .when(defineAchievement({ prerequisites: [PREREQUISITE_ID] }), context)
          .thenThrows('unknown-prerequisite');
      });

      it('names every prerequisite it refuses, not only the first', () => {
        const retired = foldAchievement([
          prerequisiteDefined(),
          achievementRetired({ achievementId: PREREQUISITE_ID }),
        ]);
        const error = given()
          .when(defineAchievement({ prerequisites: ['no-such-thing', PREREQUISITE_ID, 'nor-this'] }), {
            issuer,
            prerequisites: { [PREREQUISITE_ID]: retired },
          })
          .thenThrows('unknown-prerequisite');
        expect(error.issues.map(({ path, code }) => [path, code])).toEqual([
          ['definition.prerequisites[0]', 'unknown-prerequisite'],
          ['definition.prerequisites[1]', 'prerequisite-retired'],
          ['definition.prerequisites[2]', 'unknown-prerequisite'],
        ]);
      });

      it('refuses a retired achievement', () => {
        const retired = foldAchievement([
          prerequisiteDefined(),
          achievementRetired({ achievementId: PREREQUISITE_ID }),
        ]);
        given()
          .when(defineAchievement({ prerequisites: [PREREQUISITE_ID] }), {
            issuer,
            prerequisites: { [PREREQUISITE_ID]: retired },
          })
          .thenThrows('prerequisite-retired');
      });
    });
  });

  describe('ReviseAchievement', () => {
    it('publishes the full new definition as version 2', () => {
      given(achievementDefined())
        .when(reviseAchievement({ notionalHours: 60 }))
        .then([achievementRevised(2, { notionalHours: 60 })]);
    });

    it('numbers each revision after the last', () => {
      given(achievementDefined(), achievementRevised(2))
        .when(reviseAchievement({ validity: 'P3Y' }))
        .then([achievementRevised(3, { validity: 'P3Y' })]);
    });

    it('refuses an achievement that was never defined', () => {
      given().when(reviseAchievement()).thenThrows('unknown-achievement');
    });

    it('refuses a retired achievement', () => {
      given(achievementDefined(), achievementRetired()).when(reviseAchievement()).thenThrows('achievement-retired');
    });

    it('is for the issuer of the achievement', () => {
      given(achievementDefined())
        .when(reviseAchievement({}, { actor: otherIssuerAdmin }))
        .thenThrows('not-your-issuer');
    });

    it('needs the issuer-admin role', () => {
      given(achievementDefined())
        .when(reviseAchievement({}, { actor: assessor }))
        .thenThrows('role-required');
    });

    it('checks the new definition like a first one', () => {
      given(achievementDefined())
        .when(reviseAchievement({ kind: 'knowledge' }))
        .thenThrows('statement-mismatch');
    });

    it('refuses a prerequisite that requires this achievement (a cycle)', () => {
      const requiresThis = foldAchievement([prerequisiteDefined({ prerequisites: [ACHIEVEMENT_ID] })]);
      given(achievementDefined())
        .when(reviseAchievement({ prerequisites: [PREREQUISITE_ID] }), {
          prerequisites: { [PREREQUISITE_ID]: requiresThis },
        })
        .thenThrows('prerequisite-cycle');
    });
  });

  describe('RetireAchievement', () => {
    it('retires with a reason', () => {
      given(achievementDefined())
        .when(retireAchievement('Replaced by python-testing-2'))
        .then([achievementRetired({ reason: 'Replaced by python-testing-2' })]);
    });

    it('retires without a reason', () => {
      given(achievementDefined(), achievementRevised(2)).when(retireAchievement()).then([achievementRetired()]);
    });

    it('refuses to retire twice', () => {
      given(achievementDefined(), achievementRetired()).when(retireAchievement()).thenThrows('already-retired');
    });

    it('refuses an achievement that was never defined', () => {
      given().when(retireAchievement()).thenThrows('unknown-achievement');
    });

    it('is for the issuer of the achievement', () => {
      given(achievementDefined())
        .when(retireAchievement('x', { actor: otherIssuerAdmin }))
        .thenThrows('not-your-issuer');
    });

    it('needs the issuer-admin role', () => {
      given(achievementDefined())
        .when(retireAchievement('x', { actor: assessor }))
        .thenThrows('role-required');
    });
  });

  describe('evolve', () => {
    it('keeps every version and, once retired, the instant', () => {
      expect(
        foldAchievement([achievementDefined(), achievementRevised(2, { notionalHours: 60 }), achievementRetired()]),
      ).toEqual({
        status: 'retired',
        achievementId: ACHIEVEMENT_ID,
        issuerId: 'tu-dublin',
        versions: [
          { version: 1, definition: definition(), publishedAt: DEFINED_AT },
          { version: 2, definition: definition({ notionalHours: 60 }), publishedAt: '2026-02-01T10:00:00.000Z' },
        ],
        retiredAt: '2026-06-30T17:00:00.000Z',
      });
    });

    it('starts with no achievement', () => {
      expect(foldAchievement([])).toEqual({ status: 'none' });
    });
  });
});

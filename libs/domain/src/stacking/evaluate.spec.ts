import { type DomainErrorCode, isDomainError } from '../shared/domain-error';
import { evaluate, type StackingResult } from './evaluate';
import type { HeldAward, Holdings } from './holdings';
import type { Rule } from './rule';
import {
  AFTER_AT,
  AT,
  BEFORE_AT,
  catalogue,
  ects,
  eqf,
  heldAward,
  microDegree,
  microDegreeAwards,
  pathwayOf,
  recognition,
} from './testing/stacking.fixtures';

const run = (rule: Rule, holdings: Partial<Holdings> = {}, at = AT): StackingResult =>
  evaluate(pathwayOf(rule), { awards: [], ...holdings }, catalogue, at);

const awards = (...held: HeldAward[]): Partial<Holdings> => ({ awards: held });

function expectThrows(code: DomainErrorCode, action: () => unknown): void {
  try {
    action();
  } catch (error) {
    expect(isDomainError(error) && error.code).toBe(code);
    return;
  }
  throw new Error(`did not throw ${code}`);
}

describe('evaluate', () => {
  describe('{ achievement }', () => {
    const rule: Rule = { achievement: 'statistics' };

    it('is satisfied by a valid award of it, which it counts', () => {
      const result = run(rule, awards(heldAward('aw-1', 'statistics')));
      expect(result).toMatchObject({ satisfied: true, countedAwards: ['aw-1'], missing: [] });
      expect(result.tree).toEqual({ rule, satisfied: true, counted: ['aw-1'] });
    });

    it('is missing when not held', () => {
      const result = run(rule, awards(heldAward('aw-1', 'ethics')));
      expect(result.satisfied).toBe(false);
      expect(result.missing).toEqual([
        { type: 'achievement', path: '', achievementId: 'statistics', status: 'not-held' },
      ]);
      expect(result.countedAwards).toEqual([]);
    });

    it.each([
      ['suspended', { standing: 'suspended' }],
      ['revoked', { standing: 'revoked' }],
      ['expired', { validUntil: BEFORE_AT }],
      ['expired', { validUntil: AT }],
    ] as const)('does not count an award that is %s, and says so', (status, overrides) => {
      const result = run(rule, awards(heldAward('aw-1', 'statistics', overrides)));
      expect(result.satisfied).toBe(false);
      expect(result.missing).toEqual([{ type: 'achievement', path: '', achievementId: 'statistics', status }]);
    });

    it('counts an award valid until after the instant', () => {
      expect(run(rule, awards(heldAward('aw-1', 'statistics', { validUntil: AFTER_AT }))).satisfied).toBe(true);
    });

    it('does not count an award issued after the instant (as of replay)', () => {
      const result = run(rule, awards(heldAward('aw-1', 'statistics', { issuedAt: AFTER_AT })));
      expect(result.satisfied).toBe(false);
      expect(result.missing[0]).toMatchObject({ status: 'not-held' });
    });

    it('is satisfied by the valid award when a lapsed one is held too', () => {
      const held = awards(
        heldAward('aw-old', 'statistics', { standing: 'revoked' }),
        heldAward('aw-new', 'statistics'),
      );
      expect(run(rule, held)).toMatchObject({ satisfied: true, countedAwards: ['aw-new'] });
    });

    it('is not satisfied by prior learning recognised against it', () => {
      expect(run(rule, { priorLearning: [recognition('rpl-1', 'statistics')] }).satisfied).toBe(false);
    });
  });

  describe('{ allOf }, { anyOf }, { nOf }', () => {
    const a: Rule = { achievement: 'ml-intro' };
    const b: Rule = { achievement: 'data-viz' };
    const c: Rule = { achievement: 'ethics' };
    const held = awards(heldAward('aw-a', 'ml-intro'), heldAward('aw-c', 'ethics'));

    it('allOf needs every rule, and lists what each misses', () => {
      const result = run({ allOf: [a, b, c] }, held);
      expect(result.satisfied).toBe(false);
      expect(result.tree.children?.map((child) => child.satisfied)).toEqual([true, false, true]);
      expect(result.tree.counted).toEqual(['aw-a', 'aw-c']);
      expect(result.missing).toEqual([
        { type: 'achievement', path: 'allOf[1]', achievementId: 'data-viz', status: 'not-held' },
      ]);
      expect(run({ allOf: [a, c] }, held)).toMatchObject({ satisfied: true, countedAwards: ['aw-a', 'aw-c'] });
    });

    it('anyOf needs one, and rests on the satisfied ones only', () => {
      const result = run({ anyOf: [{ allOf: [a, b] }, c] }, held);
      expect(result.satisfied).toBe(true);
      expect(result.countedAwards).toEqual(['aw-c']);
      const none = run({ anyOf: [b, { achievement: 'statistics' }] }, held);
      expect(none.satisfied).toBe(false);
      expect(none.missing).toEqual([
        {
          type: 'choice',
          path: '',
          needed: 1,
          options: [
            [{ type: 'achievement', path: 'anyOf[0]', achievementId: 'data-viz', status: 'not-held' }],
            [{ type: 'achievement', path: 'anyOf[1]', achievementId: 'statistics', status: 'not-held' }],
          ],
        },
      ]);
    });

    it('anyOf counts progress on every option while none is satisfied', () => {
      const result = run({ anyOf: [{ allOf: [a, b] }, { allOf: [c, { achievement: 'statistics' }] }] }, held);
      expect(result).toMatchObject({ satisfied: false, countedAwards: ['aw-a', 'aw-c'] });
    });

    it('nOf needs n, says how many more, and rests on the satisfied ones', () => {
      const twoOf = run({ nOf: { n: 2, of: [a, b, c] } }, held);
      expect(twoOf).toMatchObject({ satisfied: true, countedAwards: ['aw-a', 'aw-c'] });
      expect(twoOf.tree.required).toBe(2);
      const threeOf = run({ nOf: { n: 3, of: [a, b, c] } }, held);
      expect(threeOf.satisfied).toBe(false);
      expect(threeOf.missing).toEqual([
        {
          type: 'choice',
          path: '',
          needed: 1,
          options: [[{ type: 'achievement', path: 'nOf.of[1]', achievementId: 'data-viz', status: 'not-held' }]],
        },
      ]);
    });
  });

  describe('{ pathway }', () => {
    const rule: Rule = { allOf: [{ pathway: 'cert-data-literacy' }, { achievement: 'ethics' }] };
    const core = [heldAward('aw-f', 'data-foundations'), heldAward('aw-s', 'statistics'), heldAward('aw-e', 'ethics')];

    it('is satisfied when its rule is satisfied now, and counts what that rests on', () => {
      const result = run(rule, awards(...core));
      expect(result).toMatchObject({ satisfied: true, countedAwards: ['aw-e', 'aw-f', 'aw-s'] });
      const nested = result.tree.children?.[0];
      expect(nested).toMatchObject({ satisfied: true, counted: ['aw-f', 'aw-s'] });
      expect(nested?.conferred).toBeUndefined();
      expect(nested?.children?.[0].rule).toEqual(catalogue.pathway('cert-data-literacy')?.rule);
    });

    it('lists the nested pathway’s missing items, with paths through it', () => {
      const result = run(rule, awards(core[0], core[2]));
      expect(result.missing).toEqual([
        {
          type: 'achievement',
          path: 'allOf[0].pathway(cert-data-literacy).allOf[1]',
          achievementId: 'statistics',
          status: 'not-held',
        },
      ]);
    });

    it('is satisfied when conferred, even if its rule is no longer', () => {
      const result = run(rule, { awards: [core[2]], completedPathways: ['cert-data-literacy'] });
      expect(result.satisfied).toBe(true);
      expect(result.tree.children?.[0]).toMatchObject({ satisfied: true, conferred: true, counted: [] });
      expect(result.countedAwards).toEqual(['aw-e']);
    });

    it('is missing when neither conferred nor in the catalogue', () => {
      const result = run({ pathway: 'unknown-cert' });
      expect(result.missing).toEqual([{ type: 'pathway', path: '', pathwayId: 'unknown-cert' }]);
      expect(run({ pathway: 'unknown-cert' }, { completedPathways: ['unknown-cert'] }).satisfied).toBe(true);
    });

    it('refuses pathways nested in a cycle, or nesting the pathway evaluated', () => {
      expectThrows('pathway-cycle', () => run({ pathway: 'loop-a' }));
      expectThrows('pathway-cycle', () =>
        evaluate(pathwayOf({ pathway: 'loop-a' }, { pathwayId: 'loop-b' }), { awards: [] }, catalogue, AT),
      );
    });
  });

  describe('{ credits }', () => {
    const held = awards(
      heldAward('aw-1', 'ml-intro', { credits: [ects(7.5)] }),
      heldAward('aw-2', 'data-viz', { credits: [ects(5)], level: eqf(5) }),
      heldAward('aw-3', 'sql-uk', {
        credits: [{ framework: 'CATS', value: 15 }],
        level: { framework: 'SCQF', level: 10 },
      }),
      heldAward('aw-4', 'ethics', { credits: [ects(2)], standing: 'suspended' }),
    );

    it('sums the valid awards, converted, each once', () => {
      const result = run({ credits: { framework: 'ECTS', min: 20 } }, held);
      expect(result.satisfied).toBe(true);
      expect(result.tree).toMatchObject({
        counted: ['aw-1', 'aw-2', 'aw-3'],
        earned: 20,
        required: 20,
        framework: 'ECTS',
        basis: 'official',
      });
    });

    it('says how many are missing', () => {
      const result = run({ credits: { framework: 'CATS', min: 60 } }, held);
      expect(result.satisfied).toBe(false);
      expect(result.missing).toEqual([{ type: 'credits', path: '', framework: 'CATS', required: 60, earned: 40 }]);
    });

    it('draws only on the awards its from rules name, each once however often named', () => {
      const from: Rule[] = [
        { achievement: 'ml-intro' },
        { achievement: 'sql-uk' },
        { anyOf: [{ achievement: 'ml-intro' }] },
      ];
      const result = run({ credits: { framework: 'ECTS', min: 15, from } }, held);
      expect(result.tree).toMatchObject({ satisfied: true, counted: ['aw-1', 'aw-3'], earned: 15 });
    });

    it('draws on every award its from rules name, satisfied or not, so an added award never takes credit away', () => {
      const from: Rule[] = [
        { anyOf: [{ allOf: [{ achievement: 'ml-intro' }, { achievement: 'statistics' }] }, { achievement: 'ethics' }] },
      ];
      const rule: Rule = { credits: { framework: 'ECTS', min: 5, from } };
      const ml = heldAward('aw-ml', 'ml-intro', { credits: [ects(5)] });
      expect(run(rule, awards(ml)).tree).toMatchObject({ satisfied: true, earned: 5 });
      const more = run(rule, awards(ml, heldAward('aw-ethics', 'ethics', { credits: [ects(2)] })));
      expect(more.tree).toMatchObject({ satisfied: true, earned: 7, counted: ['aw-ethics', 'aw-ml'] });
    });

    it('keeps only awards at or above minLevel, levels referenced through the EQF (SCQF 10 = EQF 6)', () => {
      const result = run({ credits: { framework: 'ECTS', min: 15, minLevel: eqf(6) } }, held);
      expect(result.tree).toMatchObject({ satisfied: true, counted: ['aw-1', 'aw-3'], earned: 15 });
      const scqf = run({ credits: { framework: 'ECTS', min: 1, minLevel: { framework: 'SCQF', level: 11 } } }, held);
      expect(scqf.tree).toMatchObject({ satisfied: false, counted: [], earned: 0 });
    });

    it('does not count, under minLevel, a level with no EQF equivalent (NZQCF 8)', () => {
      const nz = awards(heldAward('aw-nz', 'ml-intro', { level: { framework: 'NZQCF', level: 8 } }));
      expect(run({ credits: { framework: 'ECTS', min: 1, minLevel: eqf(1) } }, nz).tree.earned).toBe(0);
      expect(run({ credits: { framework: 'ECTS', min: 1 } }, nz).tree.earned).toBe(5);
    });

    it('carries a convention into its basis', () => {
      const us = awards(heldAward('aw-us', 'sql-us', { credits: [{ framework: 'US-SCH', value: 3 }] }));
      expect(run({ credits: { framework: 'ECTS', min: 6 } }, us).tree).toMatchObject({
        satisfied: true,
        earned: 6,
        basis: 'convention',
      });
    });

    it('takes an award’s amount in the node’s framework when it has one, else one that converts officially', () => {
      const both = heldAward('aw-both', 'sql-uk', {
        credits: [{ framework: 'US-SCH', value: 4 }, { framework: 'CATS', value: 15 }, ects(7)],
      });
      expect(run({ credits: { framework: 'ECTS', min: 1 } }, awards(both)).tree).toMatchObject({
        earned: 7,
        basis: 'official',
      });
      expect(run({ credits: { framework: 'CATS', min: 1 } }, awards(both)).tree).toMatchObject({ earned: 15 });
      expect(run({ credits: { framework: 'SCQF', min: 1 } }, awards(both)).tree).toMatchObject({
        earned: 15,
        basis: 'official',
      });
      expect(run({ credits: { framework: 'US-QCH', min: 1 } }, awards(both)).tree).toMatchObject({
        earned: 6,
        basis: 'convention',
      });
    });

    it('skips credits in a framework the table does not know', () => {
      const odd = awards(heldAward('aw-odd', 'ml-intro', { credits: [{ framework: 'XYZ', value: 99 }] }));
      expect(run({ credits: { framework: 'ECTS', min: 1 } }, odd).tree).toMatchObject({ earned: 0, counted: [] });
    });

    it('refuses an unknown framework in the rule', () => {
      expectThrows('unknown-framework', () => run({ credits: { framework: 'XYZ', min: 1 } }));
      expectThrows('unknown-framework', () =>
        run({ credits: { framework: 'ECTS', min: 1, minLevel: { framework: 'XYZ', level: 1 } } }),
      );
      expectThrows('invalid-rule', () =>
        run({ credits: { framework: 'ECTS', min: 1, minLevel: { framework: 'NZQCF', level: 8 } } }),
      );
    });
  });

  describe('prior learning', () => {
    const priorLearning = [
      recognition('rpl-1', 'ml-intro', { credits: [{ framework: 'CATS', value: 10 }] }),
      recognition('rpl-2', 'statistics', { credits: [ects(3)] }),
    ];

    it('counts in a credits node without from', () => {
      const result = run(
        { credits: { framework: 'ECTS', min: 10 } },
        { awards: [heldAward('aw-1', 'ethics')], priorLearning },
      );
      expect(result.tree).toMatchObject({
        satisfied: true,
        earned: 13,
        counted: ['aw-1'],
        recognitions: ['rpl-1', 'rpl-2'],
      });
      expect(result).toMatchObject({ countedRecognitions: ['rpl-1', 'rpl-2'], credits: { earned: 13 } });
    });

    it('counts under from only when from names the achievement it was recorded against', () => {
      const result = run(
        { credits: { framework: 'ECTS', min: 5, from: [{ achievement: 'ml-intro' }] } },
        { priorLearning },
      );
      expect(result.tree).toMatchObject({ satisfied: true, earned: 5, counted: [], recognitions: ['rpl-1'] });
      const viaCount = run(
        { credits: { framework: 'ECTS', min: 1, from: [{ count: { min: 1 } }] } },
        { priorLearning },
      );
      expect(viaCount.tree.earned).toBe(0);
    });

    it('is at its own level, else at the level of its achievement, under minLevel', () => {
      const minLevel = eqf(6);
      const own = [recognition('rpl-low', 'ml-intro', { level: eqf(4) })];
      expect(run({ credits: { framework: 'ECTS', min: 1, minLevel } }, { priorLearning: own }).tree.earned).toBe(0);
      const inherited = [recognition('rpl-inherit', 'ml-intro')];
      expect(run({ credits: { framework: 'ECTS', min: 1, minLevel } }, { priorLearning: inherited }).tree.earned).toBe(
        5,
      );
      const lowAchievement = [recognition('rpl-py', 'python-basics')];
      expect(
        run({ credits: { framework: 'ECTS', min: 1, minLevel } }, { priorLearning: lowAchievement }).tree.earned,
      ).toBe(0);
    });
  });

  describe('{ count }', () => {
    const held = awards(
      heldAward('aw-1', 'ml-intro'),
      heldAward('aw-2', 'ethics'),
      heldAward('aw-3', 'teamwork'),
      heldAward('aw-4', 'statistics', { kind: 'disposition' }),
      heldAward('aw-5', 'data-viz', { standing: 'revoked' }),
    );

    it('counts valid awards', () => {
      expect(run({ count: { min: 4 } }, held).tree).toEqual({
        rule: { count: { min: 4 } },
        satisfied: true,
        counted: ['aw-1', 'aw-2', 'aw-3', 'aw-4'],
        required: 4,
      });
      expect(run({ count: { min: 5 } }, held).missing).toEqual([{ type: 'count', path: '', required: 5, have: 4 }]);
    });

    it('of one kind: the award’s when it says, else the catalogue’s', () => {
      const result = run({ count: { min: 3, kind: 'disposition' } }, held);
      expect(result.tree).toMatchObject({ satisfied: true, counted: ['aw-2', 'aw-3', 'aw-4'] });
      expect(run({ count: { min: 2, kind: 'skill' } }, held).missing).toEqual([
        { type: 'count', path: '', required: 2, have: 1, kind: 'skill' },
      ]);
    });

    it('does not count prior learning', () => {
      expect(run({ count: { min: 1 } }, { priorLearning: [recognition('rpl-1', 'ml-intro')] }).satisfied).toBe(false);
    });
  });

  describe('a micro-degree: a nested certificate, two of four electives, 30 ECTS at EQF 6', () => {
    it('is satisfied by the certificate, two electives and 30 ECTS (15 CATS counted as 7.5 ECTS)', () => {
      const result = evaluate(microDegree, { awards: microDegreeAwards }, catalogue, AT);
      expect(result).toMatchObject({
        pathwayId: 'micro-data-science',
        version: 1,
        at: AT,
        satisfied: true,
        credits: { framework: 'ECTS', earned: 30, required: 30, basis: 'official' },
        missing: [],
        countedAwards: ['aw-foundations', 'aw-ml', 'aw-sql', 'aw-statistics'],
        tableVersion: '2026-11-25',
      });
      expect(result.tree.children?.map((child) => child.satisfied)).toEqual([true, true, true]);
      expect(result.tree.children?.[2]).toMatchObject({ earned: 30, required: 30, framework: 'ECTS' });
    });

    it('is shown in CATS: 60 earned of 60', () => {
      const inCats = evaluate({ ...microDegree, framework: 'CATS' }, { awards: microDegreeAwards }, catalogue, AT);
      expect(inCats.credits).toEqual({ framework: 'CATS', earned: 60, required: 60, basis: 'official' });
    });

    it('says what is missing once the UK elective is revoked', () => {
      const lost = microDegreeAwards.map((award) =>
        award.awardId === 'aw-sql' ? { ...award, standing: 'revoked' as const } : award,
      );
      const result = evaluate(microDegree, { awards: lost }, catalogue, AT);
      expect(result.satisfied).toBe(false);
      expect(result.credits).toEqual({ framework: 'ECTS', earned: 22.5, required: 30, basis: 'official' });
      expect(result.missing).toEqual([
        {
          type: 'choice',
          path: 'allOf[1]',
          needed: 1,
          options: [
            [{ type: 'achievement', path: 'allOf[1].nOf.of[1]', achievementId: 'data-viz', status: 'not-held' }],
            [{ type: 'achievement', path: 'allOf[1].nOf.of[2]', achievementId: 'ethics', status: 'not-held' }],
            [{ type: 'achievement', path: 'allOf[1].nOf.of[3]', achievementId: 'sql-uk', status: 'revoked' }],
          ],
        },
        { type: 'credits', path: 'allOf[2]', framework: 'ECTS', required: 30, earned: 22.5, minLevel: eqf(6) },
      ]);
    });

    it('counts the certificate’s awards once, conferred or not', () => {
      const result = evaluate(
        microDegree,
        { awards: microDegreeAwards, completedPathways: ['cert-data-literacy'] },
        catalogue,
        AT,
      );
      expect(result.credits.earned).toBe(30);
    });

    it('turns conventional when an American elective counts: 3 US-SCH ≈ 6 ECTS', () => {
      const us = [
        ...microDegreeAwards.slice(0, 3),
        heldAward('aw-us', 'sql-us', { credits: [{ framework: 'US-SCH', value: 3 }] }),
      ];
      const rule: Rule = {
        allOf: [{ pathway: 'cert-data-literacy' }, { credits: { framework: 'ECTS', min: 28, minLevel: eqf(6) } }],
      };
      const result = evaluate({ ...microDegree, rule }, { awards: us }, catalogue, AT);
      expect(result.satisfied).toBe(true);
      expect(result.credits).toEqual({ framework: 'ECTS', earned: 28.5, required: 28, basis: 'convention' });
    });
  });

  describe('refuses', () => {
    it('an instant that is not one', () => {
      expectThrows('invalid-instant', () => run({ achievement: 'statistics' }, {}, 'yesterday'));
    });

    it('an award or recognition listed twice', () => {
      expectThrows('duplicate-entry', () =>
        run({ count: { min: 1 } }, awards(heldAward('aw-1', 'ethics'), heldAward('aw-1', 'ethics'))),
      );
      expectThrows('duplicate-entry', () =>
        run({ count: { min: 1 } }, { priorLearning: [recognition('r', 'ethics'), recognition('r', 'ml-intro')] }),
      );
    });

    it('a totals framework the table does not know', () => {
      expectThrows('unknown-framework', () =>
        evaluate(pathwayOf({ count: { min: 1 } }, { framework: 'AQF' }), { awards: [] }, catalogue, AT),
      );
    });

    it('a node it cannot read', () => {
      expectThrows('invalid-rule', () => run({ oneOf: [] } as unknown as Rule));
    });
  });

  it('takes the totals framework from the pathway’s award, else ECTS', () => {
    const held = { awards: [heldAward('aw-1', 'ethics', { credits: [ects(5)] })] };
    const rule: Rule = { count: { min: 1 } };
    expect(
      evaluate(pathwayOf(rule, { award: { credits: [{ framework: 'SCQF', value: 10 }] } }), held, catalogue, AT)
        .credits,
    ).toEqual({
      framework: 'SCQF',
      earned: 10,
      basis: 'convention',
    });
    expect(evaluate(pathwayOf(rule), held, catalogue, AT).credits.framework).toBe('ECTS');
  });

  it('accepts an instant with an offset, and answers in canonical UTC', () => {
    expect(run({ count: { min: 1 } }, {}, '2026-06-01T11:00:00+02:00').at).toBe(AT);
  });
});

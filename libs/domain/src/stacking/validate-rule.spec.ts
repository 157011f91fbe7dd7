import { isDomainError } from '../shared/domain-error';
import type { Rule } from './rule';
import { findPathwayCycle, flattenRule, ruleReferences } from './rule-references';
import { checkRule, validateRule } from './validate-rule';
import { catalogue, CERTIFICATE_RULE, MICRO_DEGREE_RULE } from './testing/stacking.fixtures';

const issues = (rule: unknown) => validateRule(rule, catalogue);
const codes = (rule: unknown) => issues(rule).map((issue) => [issue.path, issue.code]);

describe('validateRule', () => {
  it('accepts every node kind', () => {
    expect(issues(MICRO_DEGREE_RULE)).toEqual([]);
    expect(
      issues({
        anyOf: [
          { count: { min: 3, kind: 'disposition' } },
          {
            credits: {
              framework: 'CATS',
              min: 60,
              from: [{ achievement: 'sql-uk' }],
              minLevel: { framework: 'SCQF', level: 9 },
            },
          },
        ],
      }),
    ).toEqual([]);
  });

  it('finds malformed nodes: not exactly one known key, wrong types, empty lists', () => {
    expect(codes(null)).toEqual([['', 'invalid-rule']]);
    expect(codes([])).toEqual([['', 'invalid-rule']]);
    expect(codes({})).toEqual([['', 'invalid-rule']]);
    expect(codes({ achievement: 'ethics', pathway: 'cert-data-literacy' })).toEqual([['', 'invalid-rule']]);
    expect(codes({ oneOf: [] })).toEqual([['', 'invalid-rule']]);
    expect(codes({ allOf: [] })).toEqual([['allOf', 'invalid-rule']]);
    expect(codes({ anyOf: { achievement: 'ethics' } })).toEqual([['anyOf', 'invalid-rule']]);
    expect(codes({ allOf: [{ achievement: 'ethics' }, 'ethics'] })).toEqual([['allOf[1]', 'invalid-rule']]);
    expect(codes({ achievement: 42 })).toEqual([['achievement', 'invalid-id']]);
    expect(codes({ pathway: 'a~b' })).toEqual([['pathway', 'invalid-id']]);
  });

  it('finds nOf with n < 1, n > of.length or not whole', () => {
    const of = [{ achievement: 'ethics' }, { achievement: 'ml-intro' }];
    expect(codes({ nOf: { n: 0, of } })).toEqual([['nOf.n', 'invalid-rule']]);
    expect(codes({ nOf: { n: 3, of } })).toEqual([['nOf.n', 'invalid-rule']]);
    expect(codes({ nOf: { n: 1.5, of } })).toEqual([['nOf.n', 'invalid-rule']]);
    expect(codes({ nOf: { n: 2, of, m: 1 } })).toEqual([['nOf.m', 'invalid-rule']]);
    expect(codes({ nOf: { n: 1, of: [] } })).toEqual([['nOf.of', 'invalid-rule']]);
    expect(codes({ nOf: [2, of] })).toEqual([['nOf', 'invalid-rule']]);
  });

  it('finds count.min < 1 and an unknown kind', () => {
    expect(codes({ count: { min: 0 } })).toEqual([['count.min', 'invalid-rule']]);
    expect(codes({ count: { min: 2, kind: 'attitude' } })).toEqual([['count.kind', 'invalid-rule']]);
    expect(codes({ count: 3 })).toEqual([['count', 'invalid-rule']]);
  });

  it('finds unknown frameworks and bad amounts in credits', () => {
    expect(codes({ credits: { framework: 'AQF', min: 60 } })).toEqual([['credits.framework', 'unknown-framework']]);
    expect(codes({ credits: { framework: 'ECTS', min: 0 } })).toEqual([['credits.min', 'invalid-rule']]);
    expect(codes({ credits: { framework: 'ECTS', min: '30' } })).toEqual([['credits.min', 'invalid-rule']]);
    expect(codes({ credits: { framework: 'ECTS', min: 30, from: [] } })).toEqual([['credits.from', 'invalid-rule']]);
    expect(codes({ credits: { framework: 'ECTS', min: 30, minLevel: { framework: 'ECTS', level: 6 } } })).toEqual([
      ['credits.minLevel.framework', 'unknown-framework'],
    ]);
    expect(codes({ credits: { framework: 'ECTS', min: 30, minLevel: { framework: 'EQF', level: 0 } } })).toEqual([
      ['credits.minLevel.level', 'invalid-rule'],
    ]);
    expect(codes({ credits: { framework: 4, min: 30, scope: 'all' } })).toEqual([
      ['credits.scope', 'invalid-rule'],
      ['credits.framework', 'invalid-rule'],
    ]);
  });

  it('finds a minimum level with no EQF equivalent, and says why', () => {
    const [issue] = issues({ credits: { framework: 'ECTS', min: 30, minLevel: { framework: 'NZQCF', level: 8 } } });
    expect(issue).toMatchObject({ path: 'credits.minLevel.level', code: 'invalid-rule' });
    expect(issue.message).toMatch(/no EQF equivalent/);
  });

  it('finds unknown achievements and pathways, with paths relative to the rule', () => {
    expect(
      issues({
        allOf: [{ achievement: 'python-advanced' }, { nOf: { n: 1, of: [{ pathway: 'cert-none' }] } }],
      }),
    ).toEqual([
      { path: 'allOf[0].achievement', code: 'unknown-achievement', message: 'no achievement python-advanced' },
      { path: 'allOf[1].nOf.of[0].pathway', code: 'unknown-pathway', message: 'no pathway cert-none' },
    ]);
    expect(codes({ credits: { framework: 'ECTS', min: 5, from: [{ achievement: 'nope' }] } })).toEqual([
      ['credits.from[0].achievement', 'unknown-achievement'],
    ]);
  });

  it('limits depth and size', () => {
    let deep: unknown = { achievement: 'ethics' };
    for (let i = 0; i < 40; i++) deep = { allOf: [deep] };
    expect(codes(deep)).toHaveLength(1);
    expect(issues(deep)[0].message).toMatch(/nest at most 32/);
    const wide = { anyOf: Array.from({ length: 1_200 }, () => ({ achievement: 'ethics' })) };
    expect(issues(wide).map((issue) => issue.message)).toEqual(['a rule may have at most 1000 nodes']);
  });
});

describe('checkRule', () => {
  it('returns a valid rule', () => {
    expect(checkRule(MICRO_DEGREE_RULE, catalogue)).toBe(MICRO_DEGREE_RULE);
  });

  it('throws every issue, the invalid ones first', () => {
    try {
      checkRule({ allOf: [{ achievement: 'nope' }, { count: { min: 0 } }] }, catalogue);
      throw new Error('did not throw');
    } catch (error) {
      if (!isDomainError(error)) throw error;
      expect([error.code, error.kind]).toEqual(['invalid-rule', 'refused']);
      expect(error.issues.map((issue) => issue.code)).toEqual(['invalid-rule', 'unknown-achievement']);
    }
  });
});

describe('ruleReferences', () => {
  it('names the achievements and pathways of a rule, each once, from included', () => {
    expect(ruleReferences(MICRO_DEGREE_RULE)).toEqual({
      achievements: ['ml-intro', 'data-viz', 'ethics', 'sql-uk'],
      pathways: ['cert-data-literacy'],
    });
    expect(
      ruleReferences({
        credits: { framework: 'ECTS', min: 1, from: [{ achievement: 'a' }, { pathway: 'p' }, { achievement: 'a' }] },
      }),
    ).toEqual({ achievements: ['a'], pathways: ['p'] });
    expect(ruleReferences({ allOf: 'nonsense' })).toEqual({ achievements: [], pathways: [] });
  });
});

describe('findPathwayCycle', () => {
  const rules: { [id: string]: Rule } = {
    a: { allOf: [{ achievement: 'x' }, { pathway: 'b' }] },
    b: { anyOf: [{ pathway: 'c' }, { achievement: 'y' }] },
    c: { credits: { framework: 'ECTS', min: 5, from: [{ pathway: 'd' }] } },
    d: { achievement: 'z' },
  };
  const lookup = (id: string): Rule | undefined => rules[id];

  it('finds none in a tree of nested pathways', () => {
    expect(findPathwayCycle('a', rules.a, lookup)).toBeUndefined();
    expect(findPathwayCycle('new', { allOf: [{ pathway: 'a' }, { pathway: 'c' }] }, lookup)).toBeUndefined();
  });

  it('finds the cycle a new version would close, through credits.from too', () => {
    expect(findPathwayCycle('d', { pathway: 'a' }, lookup)).toEqual(['d', 'a', 'b', 'c', 'd']);
    expect(findPathwayCycle('a', { pathway: 'a' }, lookup)).toEqual(['a', 'a']);
  });

  it('reports a cycle among other pathways the rule reaches', () => {
    expect(findPathwayCycle('new', { pathway: 'loop-a' }, (id) => catalogue.pathway(id)?.rule)).toEqual([
      'loop-a',
      'loop-b',
      'loop-a',
    ]);
  });
});

describe('flattenRule', () => {
  it('replaces nested pathways by their rules', () => {
    const lookup = (id: string) => catalogue.pathway(id)?.rule;
    expect(flattenRule({ anyOf: [{ pathway: 'cert-data-literacy' }, { pathway: 'unknown' }] }, lookup)).toEqual({
      anyOf: [CERTIFICATE_RULE, { pathway: 'unknown' }],
    });
    expect(() => flattenRule({ pathway: 'loop-a' }, lookup)).toThrow(/pathway-cycle/);
  });
});

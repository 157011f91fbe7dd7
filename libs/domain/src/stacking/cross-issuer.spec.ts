import { catalogueOf } from './catalogue';
import { type CrossIssuerCounting, missingRecognitions } from './cross-issuer';
import { evaluate } from './evaluate';
import type { Rule } from './rule';
import { AT, ects, eqf, heldAward, pathwayOf, recognition } from './testing/stacking.fixtures';

/** Issuer `dublin`'s pathway: sql of its own, stats and ml of `porto`; `intro` is a pathway of porto's. */
const catalogue = catalogueOf({
  achievements: {
    sql: { kind: 'skill', credits: [ects(5)], level: eqf(6), issuerId: 'dublin' },
    stats: { kind: 'skill', credits: [ects(5)], level: eqf(6), issuerId: 'porto' },
    ml: { kind: 'skill', credits: [ects(5)], level: eqf(6), issuerId: 'porto' },
  },
  pathways: { intro: { rule: { allOf: [{ achievement: 'ml' }] } } },
});
const RULE: Rule = { allOf: [{ achievement: 'sql' }, { achievement: 'stats' }] };
const FROM = '2026-02-01T00:00:00.000Z';
const counting = (recognitions: CrossIssuerCounting['recognitions']): CrossIssuerCounting => ({
  issuerId: 'dublin',
  recognitions,
});
const holdings = {
  awards: [
    heldAward('aw-sql', 'sql', { issuedAt: '2026-01-10T00:00:00.000Z' }),
    heldAward('aw-stats', 'stats', { issuedAt: '2026-03-10T00:00:00.000Z' }),
  ],
};

describe('evaluate with cross-issuer counting', () => {
  it('does not count another issuer’s award without a recognition, and says why', () => {
    const result = evaluate(pathwayOf(RULE, { counting: counting([]) }), holdings, catalogue, AT);
    expect(result.satisfied).toBe(false);
    expect(result.countedAwards).toEqual(['aw-sql']);
    expect(result.missing).toEqual([
      { type: 'achievement', path: 'allOf[1]', achievementId: 'stats', status: 'not-recognised' },
    ]);
  });

  it('counts it when a recognition was in force when it was made', () => {
    const windows = [{ recognisedIssuerId: 'porto', achievementIds: ['stats'], from: FROM }];
    const result = evaluate(pathwayOf(RULE, { counting: counting(windows) }), holdings, catalogue, AT);
    expect(result.satisfied).toBe(true);
    expect(result.countedAwards).toEqual(['aw-sql', 'aw-stats']);
  });

  it.each([
    ['made before the recognition’s from', { from: '2026-04-01T00:00:00.000Z' }],
    ['made at or after its until', { until: '2026-03-10T00:00:00.000Z' }],
    ['of an achievement it does not list', { achievementIds: ['ml'] }],
    ['of an issuer it does not name', { recognisedIssuerId: 'tartu' }],
  ])('does not count an award %s', (_, change) => {
    const window = { recognisedIssuerId: 'porto', achievementIds: 'all' as const, from: FROM, ...change };
    const result = evaluate(pathwayOf(RULE, { counting: counting([window]) }), holdings, catalogue, AT);
    expect(result.countedAwards).toEqual(['aw-sql']);
  });

  it('counts another issuer’s prior learning only under a recognition in force when it was recorded', () => {
    const rule: Rule = { credits: { framework: 'ECTS', min: 1, from: [{ achievement: 'stats' }] } };
    const learning = {
      awards: [],
      priorLearning: [recognition('rpl-1', 'stats', { recognisedAt: '2026-01-05T00:00:00.000Z' })],
    };
    const window = { recognisedIssuerId: 'porto', achievementIds: 'all' as const, from: FROM };
    expect(evaluate(pathwayOf(rule, { counting: counting([window]) }), learning, catalogue, AT).satisfied).toBe(false);
    const earlier = { ...window, from: '2026-01-01T00:00:00.000Z' };
    expect(evaluate(pathwayOf(rule, { counting: counting([earlier]) }), learning, catalogue, AT).satisfied).toBe(true);
  });
});

describe('missingRecognitions', () => {
  it('names each node naming another issuer’s achievement with no recognition open now or later', () => {
    const rule: Rule = { anyOf: [{ achievement: 'sql' }, { achievement: 'stats' }, { pathway: 'intro' }] };
    const issues = missingRecognitions(rule, catalogue, counting([]), AT);
    expect(issues.map(({ path, code }) => [path, code])).toEqual([
      ['anyOf[1]', 'recognition-missing'],
      ['anyOf[2]', 'recognition-missing'],
    ]);
    expect(issues[1].message).toContain('through the pathway intro');
  });

  it('accepts recognitions in force or starting later, not ended ones', () => {
    const rule: Rule = { allOf: [{ achievement: 'stats' }, { achievement: 'ml' }] };
    const later = { recognisedIssuerId: 'porto', achievementIds: ['stats'], from: '2027-01-01T00:00:00.000Z' };
    const ended = { recognisedIssuerId: 'porto', achievementIds: ['ml'], from: FROM, until: AT };
    expect(missingRecognitions(rule, catalogue, counting([later, ended]), AT).map((issue) => issue.path)).toEqual([
      'allOf[1]',
    ]);
    const all = { recognisedIssuerId: 'porto', achievementIds: 'all' as const, from: FROM };
    expect(missingRecognitions(rule, catalogue, counting([all]), AT)).toEqual([]);
  });
});

import type { Rule } from './rule';
import { countsAnyAward } from './rule-references';

describe('countsAnyAward', () => {
  it.each<[Rule, boolean]>([
    [{ achievement: 'a' }, false],
    [{ pathway: 'p' }, false],
    [{ allOf: [{ achievement: 'a' }, { anyOf: [{ achievement: 'b' }] }] }, false],
    [{ credits: { framework: 'ECTS', min: 10, from: [{ achievement: 'a' }] } }, false],
    [{ count: { min: 2 } }, true],
    [{ credits: { framework: 'ECTS', min: 10 } }, true],
    [{ allOf: [{ achievement: 'a' }, { nOf: { n: 1, of: [{ count: { min: 1, kind: 'skill' } }] } }] }, true],
    [{ credits: { framework: 'ECTS', min: 10, from: [{ credits: { framework: 'ECTS', min: 5 } }] } }, true],
  ])('%j → %s', (rule, expected) => {
    expect(countsAnyAward(rule)).toBe(expected);
  });
});

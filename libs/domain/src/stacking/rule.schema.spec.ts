import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { pathwayRuleDocument } from './rule.schema';
import { validateRule } from './validate-rule';

const RULES_DOC = join(__dirname, '..', '..', '..', '..', 'docs', 'pathway-rules.md');
const schema = pathwayRuleDocument('https://credentials.example.edu');
const conforms = new Ajv2020({ strict: true, allErrors: true }).compile(schema);
const knowsEverything = { achievement: () => true, pathway: () => true };

/** Every rule docs/pathway-rules.md shows (its ```json blocks). */
const documented = [...readFileSync(RULES_DOC, 'utf8').matchAll(/```json\n([\s\S]*?)```/g)].map((match) =>
  JSON.parse(match[1]),
);

describe('the JSON Schema of a pathway rule', () => {
  it('is a valid 2020-12 schema that an independent validator compiles in strict mode', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe('https://credentials.example.edu/schemas/pathway-rule.json');
  });

  it('documents an example of every kind of node, each accepted by the schema and by the api', () => {
    const kinds = new Set<string>();
    const collect = (rule: unknown): void => {
      if (Array.isArray(rule)) return rule.forEach(collect);
      if (typeof rule !== 'object' || rule === null) return;
      for (const [key, value] of Object.entries(rule)) {
        kinds.add(key);
        collect(value);
      }
    };
    documented.forEach(collect);
    expect([...kinds]).toEqual(
      expect.arrayContaining(['achievement', 'pathway', 'allOf', 'anyOf', 'nOf', 'credits', 'count']),
    );
    for (const rule of documented) {
      expect({ rule, errors: conforms(rule) ? [] : conforms.errors }).toEqual({ rule, errors: [] });
      expect(validateRule(rule, knowsEverything)).toEqual([]);
    }
  });

  it.each([
    ['no key', {}],
    ['two keys', { achievement: 'a', pathway: 'b' }],
    ['an unknown kind', { someOf: [] }],
    ['an empty list', { allOf: [] }],
    ['a list of non-rules', { anyOf: [42] }],
    ['nOf without n', { nOf: { of: [{ achievement: 'a' }] } }],
    ['nOf with n 0', { nOf: { n: 0, of: [{ achievement: 'a' }] } }],
    ['an unknown credit framework', { credits: { framework: 'XYZ', min: 5 } }],
    ['credits of 0', { credits: { framework: 'ECTS', min: 0 } }],
    ['an unknown field', { credits: { framework: 'ECTS', min: 5, max: 10 } }],
    ['a fractional count', { count: { min: 1.5 } }],
    ['an unknown kind of achievement', { count: { min: 1, kind: 'attitude' } }],
    ['an id that is not an id', { achievement: 'no spaces allowed' }],
    ['a level out of range', { credits: { framework: 'ECTS', min: 5, minLevel: { framework: 'EQF', level: 13 } } }],
  ])('refuses %s, as the api does', (_label, rule) => {
    expect(conforms(rule)).toBe(false);
    expect(validateRule(rule, knowsEverything)).not.toEqual([]);
  });
});

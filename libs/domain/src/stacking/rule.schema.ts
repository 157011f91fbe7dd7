import { ACHIEVEMENT_KINDS } from '../achievement/achievement.definition';
import { CREDIT_FRAMEWORK_IDS } from '../frameworks/credit-frameworks';
import { LEVEL_FRAMEWORKS } from '../frameworks/level-frameworks';
import { ID_PATTERN } from '../shared/ids';
import { MAX_RULE_AMOUNT } from './validate-rule';

/** Where the api serves the schema (`GET /schemas/pathway-rule.json`), relative to its public URL. */
export const PATHWAY_RULE_SCHEMA_PATH = '/schemas/pathway-rule.json';

type Schema = { readonly [keyword: string]: unknown };

/**
 * The JSON Schema of a stacking rule (docs/pathway-rules.md), with `rule` the reference a nested rule takes: `#` in
 * the standalone schema, a component's `$ref` in the OpenAPI document. It says the shape; `validateRule` says the rest
 * a schema cannot (the ids exist, `nOf.n` at most the length of `of`, a minimum level with an EQF equivalent, depth
 * and size limits), so a rule the schema accepts may still be refused with 422, never the other way round.
 */
export function pathwayRuleSchema(rule: string, dialect: 'json-schema' | 'openapi-3.0' = 'json-schema'): Schema {
  const nested = { $ref: rule };
  // OpenAPI 3.0's schema objects spell an exclusive bound as a flag on `minimum`; JSON Schema 2020-12 as a number.
  const above = (bound: number): Schema =>
    dialect === 'openapi-3.0' ? { minimum: bound, exclusiveMinimum: true } : { exclusiveMinimum: bound };
  const rules = { type: 'array', minItems: 1, items: nested };
  const id = { type: 'string', pattern: ID_PATTERN.source };
  const only = (name: string, value: Schema, description: string): Schema => ({
    type: 'object',
    description,
    required: [name],
    additionalProperties: false,
    properties: { [name]: value },
  });
  const object = (properties: Record<string, Schema>, required: string[]): Schema => ({
    type: 'object',
    required,
    additionalProperties: false,
    properties,
  });
  return {
    description: 'A stacking rule: what a learner must hold to complete a pathway (an object with exactly one key)',
    oneOf: [
      only('achievement', id, 'Holds a valid award of the achievement (or recognised prior learning of it)'),
      only('pathway', id, 'Has been conferred the nested pathway'),
      only('allOf', rules, 'Every rule holds'),
      only('anyOf', rules, 'At least one rule holds'),
      only(
        'nOf',
        object({ n: { type: 'integer', minimum: 1 }, of: rules }, ['n', 'of']),
        'At least n of the rules hold (n at most the number of rules)',
      ),
      only(
        'credits',
        object(
          {
            framework: { enum: [...CREDIT_FRAMEWORK_IDS] },
            min: { type: 'number', ...above(0), maximum: MAX_RULE_AMOUNT },
            from: { ...rules, description: 'Only the awards that satisfy one of these rules count' },
            minLevel: object(
              {
                framework: { enum: LEVEL_FRAMEWORKS.map((framework) => framework.id) },
                level: { type: 'integer', minimum: 1, maximum: 12 },
              },
              ['framework', 'level'],
            ),
          },
          ['framework', 'min'],
        ),
        'At least min credits in the framework, converted where needed, each award counted once',
      ),
      only(
        'count',
        object(
          { min: { type: 'integer', minimum: 1, maximum: MAX_RULE_AMOUNT }, kind: { enum: [...ACHIEVEMENT_KINDS] } },
          ['min'],
        ),
        'At least min valid awards, of one kind when kind is given',
      ),
    ],
  };
}

/** The standalone document served at PATHWAY_RULE_SCHEMA_PATH. */
export function pathwayRuleDocument(publicUrl: string): Schema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `${publicUrl}${PATHWAY_RULE_SCHEMA_PATH}`,
    title: 'Tessera pathway rule',
    ...pathwayRuleSchema('#'),
  };
}

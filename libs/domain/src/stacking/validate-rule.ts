import { ACHIEVEMENT_KINDS } from '../achievement/achievement.definition';
import { isCreditFramework } from '../frameworks/credit-frameworks';
import { isLevelFramework, noEquivalentNote, toEqf } from '../frameworks/level-frameworks';
import { DOMAIN_ERROR_KINDS, DomainError, type DomainErrorCode, type ValidationIssue } from '../shared/domain-error';
import { isId } from '../shared/ids';
import { type Rule, RULE_KINDS } from './rule';

/** Whether the ids a rule names exist: anything but undefined (or another falsy value) means yes. */
export type RuleLookups = {
  achievement: (achievementId: string) => unknown;
  pathway: (pathwayId: string) => unknown;
};

export const MAX_RULE_DEPTH = 32;
export const MAX_RULE_NODES = 1_000;
/** The most credits a `credits` node may ask for, and the most awards a `count` node may, as credits are checked. */
export const MAX_RULE_AMOUNT = 10_000;

const key = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

type Fields = { [key: string]: unknown };
const isObject = (value: unknown): value is Fields =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every problem with a rule, in document order, each with its path relative to the rule ('' for the rule itself,
 * `allOf[0].achievement`, `nOf.n`, `credits.minLevel.framework`…):
 * - `invalid-rule` — not exactly one known key, a field of the wrong type or unknown, an empty list, `nOf.n` outside
 *   1…of.length, `count.min` < 1, `credits.min` ≤ 0, a minimum level with no EQF equivalent, nesting deeper than
 *   32 or more than 1,000 nodes;
 * - `invalid-id` — an achievement or pathway id that is not an id;
 * - `unknown-framework` — `credits.framework` not a credit framework, `minLevel.framework` not a level framework;
 * - `unknown-achievement`, `unknown-pathway` — ids the lookups do not know.
 * It does not look for cycles through nested pathways: `findPathwayCycle` does.
 */
export function validateRule(rule: unknown, lookups: RuleLookups): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const problem = (path: string, code: DomainErrorCode, message: string): void => {
    issues.push({ path, code, message });
  };
  let nodes = 0;

  const list = (path: string, value: unknown, depth: number): void => {
    if (!Array.isArray(value) || value.length === 0) {
      problem(path, 'invalid-rule', 'must be a non-empty list of rules');
      return;
    }
    value.forEach((child, index) => node(`${path}[${index}]`, child, depth + 1));
  };

  const fields = (path: string, value: Fields, allowed: readonly string[]): void => {
    for (const name of Object.keys(value))
      if (!allowed.includes(name)) problem(key(path, name), 'invalid-rule', `is not a field (${allowed.join(', ')})`);
  };

  const reference = (path: string, id: unknown, kind: 'achievement' | 'pathway'): void => {
    if (!isId(id)) problem(path, 'invalid-id', `must be an ${kind} id`);
    else if (!lookups[kind](id))
      problem(path, kind === 'achievement' ? 'unknown-achievement' : 'unknown-pathway', `no ${kind} ${id}`);
  };

  const wholeNumber = (path: string, value: unknown, min: number, max: number): value is number => {
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return true;
    problem(path, 'invalid-rule', `must be a whole number from ${min} to ${max}`);
    return false;
  };

  const credits = (path: string, value: unknown, depth: number): void => {
    if (!isObject(value)) {
      problem(path, 'invalid-rule', 'must be an object { framework, min, from?, minLevel? }');
      return;
    }
    fields(path, value, ['framework', 'min', 'from', 'minLevel']);
    if (typeof value.framework !== 'string') problem(key(path, 'framework'), 'invalid-rule', 'must be a framework id');
    else if (!isCreditFramework(value.framework))
      problem(key(path, 'framework'), 'unknown-framework', `${value.framework} is not a credit framework`);
    const min = value.min;
    if (typeof min !== 'number' || !Number.isFinite(min) || min <= 0 || min > MAX_RULE_AMOUNT)
      problem(key(path, 'min'), 'invalid-rule', `must be a number of credits above 0, at most ${MAX_RULE_AMOUNT}`);
    if (value.from !== undefined) list(key(path, 'from'), value.from, depth);
    if (value.minLevel !== undefined) minLevel(key(path, 'minLevel'), value.minLevel);
  };

  const minLevel = (path: string, value: unknown): void => {
    if (!isObject(value)) {
      problem(path, 'invalid-rule', 'must be a level { framework, level }');
      return;
    }
    fields(path, value, ['framework', 'level']);
    const { framework, level } = value;
    if (typeof framework !== 'string') problem(key(path, 'framework'), 'invalid-rule', 'must be a framework id');
    else if (!isLevelFramework(framework))
      problem(key(path, 'framework'), 'unknown-framework', `${framework} is not a level framework`);
    if (!wholeNumber(key(path, 'level'), level, 1, 12) || !isLevelFramework(framework)) return;
    if (toEqf(framework, level) === undefined)
      problem(
        key(path, 'level'),
        'invalid-rule',
        noEquivalentNote(framework, level) ?? `${framework} ${level} has no EQF equivalent to compare levels with`,
      );
  };

  const node = (path: string, value: unknown, depth: number): void => {
    nodes += 1;
    if (nodes === MAX_RULE_NODES + 1) problem(path, 'invalid-rule', `a rule may have at most ${MAX_RULE_NODES} nodes`);
    if (nodes > MAX_RULE_NODES) return;
    if (depth > MAX_RULE_DEPTH) {
      problem(path, 'invalid-rule', `rules may nest at most ${MAX_RULE_DEPTH} deep`);
      return;
    }
    const names = isObject(value) ? Object.keys(value) : [];
    if (!isObject(value) || names.length !== 1 || !(RULE_KINDS as readonly string[]).includes(names[0])) {
      problem(path, 'invalid-rule', `a rule is an object with exactly one of ${RULE_KINDS.join(', ')}`);
      return;
    }
    const name = names[0];
    const inner = value[name];
    const at = key(path, name);
    switch (name) {
      case 'achievement':
      case 'pathway':
        reference(at, inner, name);
        return;
      case 'allOf':
      case 'anyOf':
        list(at, inner, depth);
        return;
      case 'nOf': {
        if (!isObject(inner)) {
          problem(at, 'invalid-rule', 'must be an object { n, of }');
          return;
        }
        fields(at, inner, ['n', 'of']);
        list(key(at, 'of'), inner.of, depth);
        const of = Array.isArray(inner.of) && inner.of.length > 0 ? inner.of.length : MAX_RULE_NODES;
        wholeNumber(key(at, 'n'), inner.n, 1, of);
        return;
      }
      case 'credits':
        credits(at, inner, depth);
        return;
      case 'count': {
        if (!isObject(inner)) {
          problem(at, 'invalid-rule', 'must be an object { min, kind? }');
          return;
        }
        fields(at, inner, ['min', 'kind']);
        wholeNumber(key(at, 'min'), inner.min, 1, MAX_RULE_AMOUNT);
        if (inner.kind !== undefined && !(ACHIEVEMENT_KINDS as readonly unknown[]).includes(inner.kind))
          problem(key(at, 'kind'), 'invalid-rule', `must be one of ${ACHIEVEMENT_KINDS.join(', ')}`);
        return;
      }
    }
  };

  node('', rule, 1);
  return issues;
}

/**
 * The rule, typed, when `validateRule` finds no problem; otherwise throws one DomainError listing every issue, its
 * code the first issue's after the malformed ones are put first (so a malformed rule is `invalid-rule`, and a
 * well-formed rule naming what does not exist is `not-found`).
 */
export function checkRule(rule: unknown, lookups: RuleLookups): Rule {
  const issues = validateRule(rule, lookups);
  if (issues.length === 0) return rule as Rule;
  const ordered = [
    ...issues.filter((issue) => issue.code === 'invalid-rule' || DOMAIN_ERROR_KINDS[issue.code] === 'invalid'),
    ...issues.filter((issue) => issue.code !== 'invalid-rule' && DOMAIN_ERROR_KINDS[issue.code] !== 'invalid'),
  ];
  const detail = ordered.map((issue) => `${issue.path === '' ? 'rule' : issue.path}: ${issue.message}`).join('; ');
  throw new DomainError(ordered[0].code, detail, ordered);
}

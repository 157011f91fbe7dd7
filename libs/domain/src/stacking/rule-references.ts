import { DomainError } from '../shared/domain-error';
import type { Rule } from './rule';

/** The ids a rule names, each once, in the order they first appear (`credits.from` included). */
export type RuleReferences = { achievements: string[]; pathways: string[] };

/** What a handler loads to validate or evaluate a rule. Tolerates malformed rules (it names what it can read). */
export function ruleReferences(rule: unknown): RuleReferences {
  const achievements = new Set<string>();
  const pathways = new Set<string>();
  const visit = (node: unknown): void => {
    if (typeof node !== 'object' || node === null) return;
    const r = node as { [key: string]: unknown };
    if (typeof r.achievement === 'string') achievements.add(r.achievement);
    if (typeof r.pathway === 'string') pathways.add(r.pathway);
    const lists = [r.allOf, r.anyOf, (r.nOf as { of?: unknown } | undefined)?.of];
    lists.push((r.credits as { from?: unknown } | undefined)?.from);
    for (const list of lists) if (Array.isArray(list)) list.forEach(visit);
  };
  visit(rule);
  return { achievements: [...achievements], pathways: [...pathways] };
}

/**
 * Whether the rule has a node that any award can satisfy, whatever its achievement: a `count`, or `credits` without
 * `from`. Then the achievements it names do not bound the learners it can be met by.
 */
export function countsAnyAward(rule: Rule): boolean {
  if ('count' in rule) return true;
  if ('credits' in rule) return rule.credits.from === undefined || rule.credits.from.some(countsAnyAward);
  if ('allOf' in rule) return rule.allOf.some(countsAnyAward);
  if ('anyOf' in rule) return rule.anyOf.some(countsAnyAward);
  if ('nOf' in rule) return rule.nOf.of.some(countsAnyAward);
  return false;
}

/**
 * The pathway ids of a cycle the rule of `pathwayId` closes through nested `{ pathway }` rules, e.g. `['a', 'b', 'a']`
 * (the rule of a names b, whose rule names a), or undefined. `rule` stands for the rule of `pathwayId` (a new version
 * being checked); every other pathway's rule comes from `lookupRule`, and one it does not know names nothing. A cycle
 * among other pathways that the rule reaches is reported too: either way none of them could ever be completed.
 */
export function findPathwayCycle(
  pathwayId: string,
  rule: Rule,
  lookupRule: (pathwayId: string) => Rule | undefined,
): string[] | undefined {
  const explored = new Set<string>();
  const visit = (node: Rule, trail: string[]): string[] | undefined => {
    for (const next of ruleReferences(node).pathways) {
      const seen = trail.indexOf(next);
      if (seen >= 0) return [...trail.slice(seen), next];
      if (explored.has(next)) continue;
      const nested = lookupRule(next);
      const cycle = nested === undefined ? undefined : visit(nested, [...trail, next]);
      if (cycle !== undefined) return cycle;
      explored.add(next);
    }
    return undefined;
  };
  return visit(rule, [pathwayId]);
}

/**
 * The rule with every `{ pathway }` node replaced by that pathway's rule, recursively; a pathway `lookupRule` does not
 * know stays a `{ pathway }` node. Evaluating the flattened rule gives what evaluating the nested one does when no
 * nested pathway has been conferred (see `evaluate`). Throws `pathway-cycle` on a cycle.
 */
export function flattenRule(
  rule: Rule,
  lookupRule: (pathwayId: string) => Rule | undefined,
  trail: string[] = [],
): Rule {
  if ('pathway' in rule) {
    if (trail.includes(rule.pathway))
      throw new DomainError('pathway-cycle', `Pathways nest in a cycle: ${[...trail, rule.pathway].join(' → ')}`);
    const nested = lookupRule(rule.pathway);
    return nested === undefined ? rule : flattenRule(nested, lookupRule, [...trail, rule.pathway]);
  }
  const flat = (rules: Rule[]): Rule[] => rules.map((child) => flattenRule(child, lookupRule, trail));
  if ('allOf' in rule) return { allOf: flat(rule.allOf) };
  if ('anyOf' in rule) return { anyOf: flat(rule.anyOf) };
  if ('nOf' in rule) return { nOf: { n: rule.nOf.n, of: flat(rule.nOf.of) } };
  if ('credits' in rule && rule.credits.from !== undefined)
    return { credits: { ...rule.credits, from: flat(rule.credits.from) } };
  return rule;
}

import type { AchievementKind } from '../achievement/achievement.definition';
import type { Level } from '../achievement/achievement.definition';

/**
 * The stacking rule language (docs/pathway-rules.md): what a learner must hold to complete a pathway.
 * Rules are plain JSON, stored in pathway events as given.
 */
export type Rule =
  /** Holds a valid award of the achievement. */
  | { achievement: string }
  /** Has completed (been conferred) the nested pathway. */
  | { pathway: string }
  | { allOf: Rule[] }
  | { anyOf: Rule[] }
  | { nOf: { n: number; of: Rule[] } }
  /**
   * At least `min` credits in `framework`, converted where needed, counting each award once; only from the awards
   * (and recognised prior learning) that satisfy `from` when given, and only at or above `minLevel` when given.
   */
  | { credits: { framework: string; min: number; from?: Rule[]; minLevel?: Level } }
  /** At least `min` valid awards, of one kind when `kind` is given. */
  | { count: { min: number; kind?: AchievementKind } };

export type RuleKind = 'achievement' | 'pathway' | 'allOf' | 'anyOf' | 'nOf' | 'credits' | 'count';

export const RULE_KINDS: readonly RuleKind[] = ['achievement', 'pathway', 'allOf', 'anyOf', 'nOf', 'credits', 'count'];

/** The single key that names a rule's kind. */
export function ruleKind(rule: Rule): RuleKind {
  return Object.keys(rule)[0] as RuleKind;
}

import type { CriterionResult } from '../record/record.events';
import type { XapiRule } from './xapi.events';
import type { XapiMapping } from './xapi.state';

/** What of an xAPI statement the mappings look at (no actor: who it is about is the shell's to resolve). */
export type XapiStatementFacts = {
  statementId: string;
  verb: string;
  /** The object's id when the object is an Activity; absent for an agent, a statement reference, a sub-statement. */
  activityId?: string;
  activityType?: string;
  success?: boolean;
  scaled?: number;
  /** The statement's `timestamp`: when it happened. */
  timestamp: string;
};

export const VOIDED_VERB = 'http://adlnet.gov/expapi/verbs/voided';

type Json = { [key: string]: unknown };
const objectOf = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

/** The facts of a statement already checked valid (an xAPI validator said so), its `id` and `timestamp` set. */
export function statementFacts(statement: Json): XapiStatementFacts {
  const verb = objectOf(statement.verb)?.id as string;
  const object = objectOf(statement.object) ?? {};
  const isActivity = object.objectType === undefined || object.objectType === 'Activity';
  const result = objectOf(statement.result);
  const score = objectOf(result?.score);
  const activityType = objectOf(object.definition)?.type;
  return {
    statementId: statement.id as string,
    verb,
    ...(isActivity && typeof object.id === 'string' ? { activityId: object.id } : {}),
    ...(isActivity && typeof activityType === 'string' ? { activityType } : {}),
    ...(typeof result?.success === 'boolean' ? { success: result.success } : {}),
    ...(typeof score?.scaled === 'number' ? { scaled: score.scaled } : {}),
    timestamp: statement.timestamp as string,
  };
}

export const ruleMatches = (rule: XapiRule, facts: XapiStatementFacts): boolean =>
  rule.verb === facts.verb &&
  facts.activityId !== undefined &&
  (rule.activityId === undefined || rule.activityId === facts.activityId) &&
  (rule.activityType === undefined || rule.activityType === facts.activityType) &&
  (rule.success === undefined || rule.success === facts.success) &&
  (rule.minScaled === undefined || (facts.scaled !== undefined && facts.scaled >= rule.minScaled)) &&
  (rule.assess === undefined || facts.scaled !== undefined);

/** A criterion a statement's score assessed: the rubric level the score reached, and whether that level meets it. */
export type XapiAssessedCriterion = { criterionId: string; level: string | null; met: boolean };

/** What one statement is evidence of, on one achievement. */
export type XapiMatch = {
  achievementId: string;
  /** The criteria of the matching rules, each once, in rule order. */
  criterionIds: string[];
  /** The criteria a rule with `assess` maps the score onto. */
  assessed: XapiAssessedCriterion[];
};

/** The level the highest `minScaled` at or below the score reaches (levels are kept sorted, highest first). */
export function levelOf(rule: XapiRule, scaled: number): XapiAssessedCriterion {
  const level = rule.assess?.levels.find((candidate) => scaled >= candidate.minScaled);
  return { criterionId: rule.criterionId, level: level?.name ?? null, met: level?.met ?? false };
}

/** Every achievement whose mapping a statement matches, with what it is evidence of. */
export function matchStatement(facts: XapiStatementFacts, mappings: readonly XapiMapping[]): XapiMatch[] {
  return mappings.flatMap((mapping) => {
    const rules = mapping.rules.filter((rule) => ruleMatches(rule, facts));
    if (rules.length === 0) return [];
    const assessed = new Map<string, XapiAssessedCriterion>();
    for (const rule of rules)
      if (rule.assess && facts.scaled !== undefined && !assessed.has(rule.criterionId))
        assessed.set(rule.criterionId, levelOf(rule, facts.scaled));
    return [
      {
        achievementId: mapping.achievementId,
        criterionIds: [...new Set(rules.map((rule) => rule.criterionId))],
        assessed: [...assessed.values()],
      },
    ];
  });
}

/** One criterion assessed by a statement's score, with the evidence it made and when it happened. */
export type XapiAssessedEvidence = XapiAssessedCriterion & { evidenceId: string; observedAt: string };

/**
 * The automated assessment of a record: per criterion, the latest statement (by when it happened) that assessed it and
 * whose evidence still stands; its results and the evidence they rest on. Criteria no statement assessed are left
 * out, i.e. not met: the award follows only when statements met every required criterion.
 */
export function automatedAssessment(entries: readonly XapiAssessedEvidence[]): {
  evidenceIds: string[];
  results: CriterionResult[];
} {
  const latest = new Map<string, XapiAssessedEvidence>();
  for (const entry of entries) {
    const held = latest.get(entry.criterionId);
    if (held === undefined || held.observedAt <= entry.observedAt) latest.set(entry.criterionId, entry);
  }
  const chosen = [...latest.values()];
  return {
    evidenceIds: [...new Set(chosen.map((entry) => entry.evidenceId))],
    results: chosen.map((entry) => ({ criterionId: entry.criterionId, met: entry.met })),
  };
}

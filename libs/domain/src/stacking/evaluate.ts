import type { AchievementKind, Credit, Level } from '../achievement/achievement.definition';
import {
  CONVERSION_TABLE_VERSION,
  type ConversionBasis,
  conversionStep,
  creditFramework,
  findConversionStep,
  roundCredits,
  toHundredths,
} from '../frameworks/credit-frameworks';
import { eqfLevelOf, noEquivalentNote, toEqf } from '../frameworks/level-frameworks';
import type { AwardStatus } from '../record/record.state';
import { DomainError } from '../shared/domain-error';
import { compareInstants, formatInstant, parseInstant } from '../shared/instant';
import type { StackingCatalogue } from './catalogue';
import { counts, type CrossIssuerCounting } from './cross-issuer';
import type { HeldAward, Holdings } from './holdings';
import type { Rule } from './rule';

/**
 * The pathway being evaluated. Credit totals are given in `framework` when set, else in the framework of the first
 * credit of the award it leads to, else in ECTS ("ECTS wherever possible", Annex I).
 */
export type PathwayUnderEvaluation = {
  pathwayId: string;
  version: number;
  rule: Rule;
  framework?: string;
  award?: { credits: readonly Credit[] };
  /**
   * Whose awards count: when given, the pathway's issuer's own and, of another issuer's, only those a recognition in
   * force when they were made covers (see `counts`); when left out, every award.
   */
  counting?: CrossIssuerCounting;
};

/**
 * Why an achievement node is not satisfied: no award of it at all, or one that does not count now — lapsed, or valid
 * but of another issuer with no recognition in force when it was made (`not-recognised`).
 */
export type MissingAchievementStatus = 'not-held' | 'not-recognised' | Exclude<AwardStatus, 'valid'>;

/** What is missing, each with the path of its node ('' for the root, `allOf[1].nOf.of[0]`…). */
export type MissingItem =
  | { type: 'achievement'; path: string; achievementId: string; status: MissingAchievementStatus }
  /** A nested pathway neither conferred nor known to the catalogue (a known one lists its own missing items). */
  | { type: 'pathway'; path: string; pathwayId: string }
  | { type: 'credits'; path: string; framework: string; required: number; earned: number; minLevel?: Level }
  | { type: 'count'; path: string; required: number; have: number; kind?: AchievementKind }
  /** `needed` more of the `options` (an `anyOf` needs 1): what each unsatisfied option still misses. */
  | { type: 'choice'; path: string; needed: number; options: MissingItem[][] };

/**
 * One node of the rule, evaluated.
 * - `counted`: the award ids the node counts, ascending. A satisfied node: the awards it rests on (for `anyOf`/`nOf`,
 *   those of its satisfied options; for `credits`, every award it summed; for `count`, every award of the kind). An
 *   unsatisfied node: the awards counted so far.
 * - `recognitions`: the same for recognised prior learning (only `credits` nodes count it), when any.
 * - `credits` nodes: `earned` (in `framework`, 2 decimals), `required` (its `min`), `basis` of the conversions.
 *   `count` nodes: `required` (its `min`); `nOf` nodes: `required` (its `n`). Pathway nodes: `conferred` when so.
 */
export type NodeResult = {
  rule: Rule;
  satisfied: boolean;
  counted: string[];
  recognitions?: string[];
  earned?: number;
  required?: number;
  framework?: string;
  basis?: ConversionBasis;
  conferred?: true;
  missing?: MissingItem[];
  children?: NodeResult[];
};

export type StackingResult = {
  pathwayId: string;
  version: number;
  at: string;
  satisfied: boolean;
  tree: NodeResult;
  /**
   * The credits of every award and recognition counted (each once), in the pathway's framework; `required`: the
   * largest `min` of the `credits` nodes that must hold (the root, under `allOf`s and unconferred nested pathways),
   * converted; `basis`: `official` only when every conversion used was.
   */
  credits: { framework: string; earned: number; required?: number; basis: ConversionBasis };
  missing: MissingItem[];
  countedAwards: string[];
  countedRecognitions: string[];
  tableVersion: string;
};

/** A holding as evaluation sees it: a valid award or a recognition, with what is worked out about it on demand. */
type Item = {
  readonly id: string;
  readonly achievementId: string;
  readonly credits: readonly Credit[];
  readonly level: Level | undefined;
  readonly recognition: boolean;
  /** When it was made (issued, recognised): whether another issuer's counts depends on it. */
  readonly madeAt: string | undefined;
  /** Position in id order, within awards or within recognitions. */
  rank: number;
  /** The last union that took it (see `unionOf`). */
  mark: number;
  /** undefined: not looked up yet; null: unknown. */
  kind: AchievementKind | null | undefined;
  /** undefined: not worked out yet; null: no EQF equivalent. */
  eqf: number | null | undefined;
  /** The conversions asked for so far, by framework: hundredths (-1 when it has no credit convertible), official. */
  conversions: Conversion[];
};

type Conversion = { readonly framework: string; readonly hundredths: number; readonly official: boolean };

/** The awards (or recognitions) that count in an evaluation, ascending by id, and what is worked out from them once. */
type Counted = {
  readonly items: Item[];
  /** Their ids, in the same order. */
  readonly ids: readonly string[];
  /** By achievement, each in id order. */
  readonly byAchievement: Map<string, Item[]>;
  /** By kind (the award's, else the catalogue's), when a `count` asked. */
  readonly byKind: Map<AchievementKind, { readonly items: Item[]; readonly ids: readonly string[] }>;
};

function countedOf(items: Item[]): Counted {
  const byAchievement = new Map<string, Item[]>();
  for (const entry of items) {
    const list = byAchievement.get(entry.achievementId);
    if (list === undefined) byAchievement.set(entry.achievementId, [entry]);
    else list.push(entry);
  }
  return { items, ids: ids(items), byAchievement, byKind: new Map() };
}

/**
 * A learner's holdings made ready to evaluate at one instant against one catalogue (`prepareHoldings`): the valid awards
 * in id order and indexed by achievement, the recognitions likewise, and whatever evaluations work out about each
 * holding (kind, EQF level, conversions), kept for the next pathway evaluated on them.
 */
export class PreparedHoldings {
  /** The nested pathways' rules, looked up once. */
  readonly nested = new Map<string, Rule | undefined>();
  /** Why an achievement with no counted award has none, worked out once per achievement. */
  readonly lapsed = new Map<string, MissingAchievementStatus>();
  /** The last stamp a union used: increasing over every evaluation on these holdings, since the items keep theirs. */
  stamp = 0;

  /** @internal use prepareHoldings */
  constructor(
    readonly holdings: Holdings,
    readonly catalogue: StackingCatalogue,
    /** The instant, canonical. */
    readonly at: string,
    readonly awards: Counted,
    readonly recognitions: Counted,
    readonly completed: ReadonlySet<string>,
  ) {}
}

type Context = {
  readonly prepared: PreparedHoldings;
  readonly catalogue: StackingCatalogue;
  /** What counts in this evaluation: the prepared holdings', or those of them the pathway's counting lets count. */
  readonly awards: Counted;
  readonly recognitions: Counted;
  readonly holdings: Holdings;
  readonly at: string;
  readonly completed: ReadonlySet<string>;
  readonly nested: Map<string, Rule | undefined>;
  /** The pathways being evaluated, outermost first: a cycle guard. */
  readonly trail: string[];
};

type Evaluated = { result: NodeResult; awards: Item[]; recognitions: Item[] };

const NONE: Item[] = [];
const LAPSED_ORDER: { readonly [status in MissingAchievementStatus]: number } = {
  'not-recognised': 4,
  suspended: 3,
  expired: 2,
  revoked: 1,
  'not-held': 0,
};

/** Canonical instants (`YYYY-MM-DDTHH:MM:SS.sssZ`) compare as strings; anything else goes through the parser. */
const isCanonical = (s: string): boolean =>
  s.length === 24 &&
  s.charCodeAt(23) === 90 &&
  s.charCodeAt(10) === 84 &&
  s.charCodeAt(19) === 46 &&
  s.charCodeAt(4) === 45 &&
  s.charCodeAt(13) === 58;

function before(a: string, b: string): boolean {
  if (isCanonical(b)) return a < b;
  try {
    return compareInstants(a, b) < 0;
  } catch {
    throw new DomainError('invalid-instant', `Not an instant: ${b}`);
  }
}

/** The status of an award at `at` (`at` canonical), or undefined when it was not yet issued then. */
function statusAt(award: HeldAward, at: string): AwardStatus | undefined {
  if (award.issuedAt !== undefined && before(at, award.issuedAt)) return undefined;
  if (award.standing === 'revoked') return 'revoked';
  if (award.standing === 'suspended') return 'suspended';
  if (award.validUntil !== undefined && !before(at, award.validUntil)) return 'expired';
  return 'valid';
}

function item(
  id: string,
  achievementId: string,
  credits: readonly Credit[],
  level: Level | undefined,
  recognition: boolean,
  madeAt: string | undefined,
): Item {
  return {
    id,
    achievementId,
    credits,
    level,
    recognition,
    madeAt,
    rank: 0,
    mark: 0,
    kind: undefined,
    eqf: undefined,
    conversions: [],
  };
}

/**
 * The items sorted by id: a bottom-up merge sort (stable), about twice as fast here as `Array.prototype.sort` with a
 * comparator, which calls back into JavaScript for every comparison.
 */
function sortById(items: Item[]): Item[] {
  const n = items.length;
  let from = items.slice();
  let to: Item[] = new Array<Item>(n);
  for (let width = 1; width < n; width *= 2) {
    for (let low = 0; low < n; low += 2 * width) {
      const middle = Math.min(low + width, n);
      const high = Math.min(low + 2 * width, n);
      let [i, j, k] = [low, middle, low];
      while (i < middle && j < high) to[k++] = from[j].id < from[i].id ? from[j++] : from[i++];
      while (i < middle) to[k++] = from[i++];
      while (j < high) to[k++] = from[j++];
    }
    [from, to] = [to, from];
  }
  return from;
}

/** Sorted by id (one pass when already so), ranks numbered; a repeated id is refused. */
function canonical(items: Item[], what: string): Item[] {
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = items[i - 1].id < items[i].id;
  const ordered = sorted ? items : sortById(items);
  for (let i = 0; i < ordered.length; i++) {
    if (i > 0 && ordered[i - 1].id === ordered[i].id)
      throw new DomainError('duplicate-entry', `The holdings list the ${what} ${ordered[i].id} more than once`);
    ordered[i].rank = i;
  }
  return ordered;
}

const byRank = (a: Item, b: Item): number => a.rank - b.rank;

/**
 * The union of lists of items of `universe` (each list in rank order), in rank order: a list that is the whole
 * universe is the union; a few items are sorted by rank; many are stamped, then collected in one pass over the universe.
 */
function unionOf(lists: readonly Item[][], universe: Item[], context: Context): Item[] {
  let only: Item[] = NONE;
  let distinct = 0;
  let size = 0;
  for (const list of lists) {
    if (list.length === 0) continue;
    if (list.length === universe.length) return list;
    if (list !== only) distinct++;
    only = list;
    size += list.length;
  }
  if (distinct <= 1) return only;
  if (size * 4 < universe.length) {
    const all: Item[] = [];
    for (const list of lists) for (const entry of list) all.push(entry);
    all.sort(byRank);
    let kept = 0;
    for (const entry of all) if (kept === 0 || all[kept - 1] !== entry) all[kept++] = entry;
    all.length = kept;
    return all;
  }
  const stamp = ++context.prepared.stamp;
  for (const list of lists) for (const entry of list) entry.mark = stamp;
  const out: Item[] = [];
  for (const entry of universe) if (entry.mark === stamp) out.push(entry);
  return out;
}

const ids = (items: Item[]): string[] => items.map((entry) => entry.id);

/** The ids of some of the counted items: of all of them, a copy of the list worked out once. */
const idsAmong = (items: Item[], counted: Counted): string[] =>
  items === counted.items ? counted.ids.slice() : ids(items);

/** An item's credit in `framework`: its own amount in that framework when it has one, else the first that converts
 *  officially, else the first that converts at all; worked out once per framework. */
function conversionOf(entry: Item, framework: string): Conversion {
  for (const conversion of entry.conversions) if (conversion.framework === framework) return conversion;
  let best = -1;
  let official = false;
  for (const credit of entry.credits) {
    if (credit.framework === framework) {
      best = toHundredths(credit.value);
      official = true;
      break;
    }
    const step = findConversionStep(credit.framework, framework);
    if (step === undefined || (best >= 0 && (official || step.basis !== 'official'))) continue;
    best = toHundredths(credit.value * step.factor);
    official = step.basis === 'official';
  }
  const conversion = { framework, hundredths: best, official };
  entry.conversions.push(conversion);
  return conversion;
}

function eqfOf(entry: Item, context: Context): number | null {
  if (entry.eqf === undefined) {
    const level = entry.level ?? context.catalogue.achievement(entry.achievementId)?.level;
    entry.eqf = level === undefined ? null : (eqfLevelOf(level.framework, level.level) ?? null);
  }
  return entry.eqf;
}

function kindOf(entry: Item, context: Context): AchievementKind | null {
  if (entry.kind === undefined) entry.kind = context.catalogue.achievement(entry.achievementId)?.kind ?? null;
  return entry.kind;
}

const key = (path: string, name: string): string => (path === '' ? name : `${path}.${name}`);

function nestedRule(pathwayId: string, context: Context): Rule | undefined {
  if (!context.nested.has(pathwayId)) context.nested.set(pathwayId, context.catalogue.pathway(pathwayId)?.rule);
  return context.nested.get(pathwayId);
}

function enter(pathwayId: string, context: Context): void {
  if (context.trail.includes(pathwayId))
    throw new DomainError(
      'pathway-cycle',
      `Pathways nest in a cycle: ${[...context.trail.slice(context.trail.indexOf(pathwayId)), pathwayId].join(' → ')}`,
    );
  context.trail.push(pathwayId);
}

/** The minimum EQF level of a `minLevel`. */
function minimumEqf(level: Level): number {
  const reference = toEqf(level.framework, level.level);
  if (reference === undefined)
    throw new DomainError(
      'invalid-rule',
      noEquivalentNote(level.framework, level.level) ?? `${level.framework} ${level.level} has no EQF equivalent`,
    );
  return reference.eqf;
}

/** The awards and recognitions a `credits` node's `from` draws on: all those its rules name, held or not enough. */
function pool(rule: Rule, context: Context): { awards: Item[]; recognitions: Item[] } {
  if ('achievement' in rule)
    return {
      awards: context.awards.byAchievement.get(rule.achievement) ?? NONE,
      recognitions: context.recognitions.byAchievement.get(rule.achievement) ?? NONE,
    };
  if ('pathway' in rule) {
    const nested = nestedRule(rule.pathway, context);
    if (nested === undefined) return { awards: NONE, recognitions: NONE };
    enter(rule.pathway, context);
    const drawn = pool(nested, context);
    context.trail.pop();
    return drawn;
  }
  if ('allOf' in rule) return poolOf(rule.allOf, context);
  if ('anyOf' in rule) return poolOf(rule.anyOf, context);
  if ('nOf' in rule) return poolOf(rule.nOf.of, context);
  const { awards, recognitions } = node(rule, '', context);
  return { awards, recognitions };
}

function poolOf(rules: Rule[], context: Context): { awards: Item[]; recognitions: Item[] } {
  const drawn = rules.map((rule) => pool(rule, context));
  return {
    awards: unionOf(
      drawn.map((entry) => entry.awards),
      context.awards.items,
      context,
    ),
    recognitions: unionOf(
      drawn.map((entry) => entry.recognitions),
      context.recognitions.items,
      context,
    ),
  };
}

function credits(rule: Extract<Rule, { credits: unknown }>, path: string, context: Context): Evaluated {
  const { framework, min, from, minLevel } = rule.credits;
  creditFramework(framework);
  const drawn =
    from === undefined
      ? { awards: context.awards.items, recognitions: context.recognitions.items }
      : poolOf(from, context);
  const minEqf = minLevel === undefined ? undefined : minimumEqf(minLevel);
  let sum = 0;
  let official = true;
  const sumUp = (entries: Item[]): Item[] => {
    const counted: Item[] = [];
    for (const entry of entries) {
      if (minEqf !== undefined) {
        const eqf = eqfOf(entry, context);
        if (eqf === null || eqf < minEqf) continue;
      }
      const conversion = conversionOf(entry, framework);
      if (conversion.hundredths <= 0) continue;
      sum += conversion.hundredths;
      official &&= conversion.official;
      counted.push(entry);
    }
    return counted;
  };
  const awards = sumUp(drawn.awards);
  const recognitions = sumUp(drawn.recognitions);
  const earned = sum / 100;
  const satisfied = earned >= min;
  const result: NodeResult = { rule, satisfied, counted: idsAmong(awards, context.awards) };
  if (recognitions.length > 0) result.recognitions = idsAmong(recognitions, context.recognitions);
  result.earned = earned;
  result.required = min;
  result.framework = framework;
  result.basis = official ? 'official' : 'convention';
  if (!satisfied) {
    const missing: MissingItem = { type: 'credits', path, framework, required: min, earned };
    if (minLevel !== undefined) missing.minLevel = minLevel;
    result.missing = [missing];
  }
  return { result, awards, recognitions };
}

function count(rule: Extract<Rule, { count: unknown }>, path: string, context: Context): Evaluated {
  const { min, kind } = rule.count;
  const awards = kind === undefined ? context.awards.items : awardsOfKind(kind, context);
  const satisfied = awards.length >= min;
  const counted = kind === undefined ? context.awards.ids.slice() : context.awards.byKind.get(kind)!.ids.slice();
  const result: NodeResult = { rule, satisfied, counted, required: min };
  if (!satisfied) {
    const missing: MissingItem = { type: 'count', path, required: min, have: awards.length };
    if (kind !== undefined) missing.kind = kind;
    result.missing = [missing];
  }
  return { result, awards, recognitions: NONE };
}

/** The counted awards of a kind, found once per evaluation's holdings. */
function awardsOfKind(kind: AchievementKind, context: Context): Item[] {
  let found = context.awards.byKind.get(kind);
  if (found === undefined) {
    const items = context.awards.items.filter((entry) => kindOf(entry, context) === kind);
    found = { items, ids: ids(items) };
    context.awards.byKind.set(kind, found);
  }
  return found.items;
}

/** `allOf` (every rule, n = all), `anyOf` (n = 1) and `nOf`; `prefix` is the path of the list. */
function group(rule: Rule, rules: Rule[], n: number, path: string, prefix: string, context: Context): Evaluated {
  const all = 'allOf' in rule;
  const children: Evaluated[] = [];
  let met = 0;
  for (let index = 0; index < rules.length; index++) {
    const child = node(rules[index], `${prefix}[${index}]`, context);
    children.push(child);
    if (child.result.satisfied) met++;
  }
  const satisfied = met >= n;
  // A satisfied anyOf / nOf rests on its satisfied options; anything else on all its rules.
  const awardLists: Item[][] = [];
  const recognitionLists: Item[][] = [];
  for (const child of children)
    if (!satisfied || all || child.result.satisfied) {
      awardLists.push(child.awards);
      recognitionLists.push(child.recognitions);
    }
  const awards = unionOf(awardLists, context.awards.items, context);
  const recognitions = unionOf(recognitionLists, context.recognitions.items, context);
  const result: NodeResult = { rule, satisfied, counted: idsAmong(awards, context.awards) };
  if (recognitions.length > 0) result.recognitions = idsAmong(recognitions, context.recognitions);
  if ('nOf' in rule) result.required = n;
  if (!satisfied) {
    const unmet: MissingItem[][] = [];
    for (const child of children) if (!child.result.satisfied) unmet.push(child.result.missing ?? []);
    result.missing = all
      ? ([] as MissingItem[]).concat(...unmet)
      : [{ type: 'choice', path, needed: n - met, options: unmet }];
  }
  result.children = children.map((child) => child.result);
  return { result, awards, recognitions };
}

/**
 * Why an achievement has no counted award: one that does not count now (not recognised > suspended > expired >
 * revoked), or none. A valid award that was not counted is one no recognition covers.
 */
function lapsed(achievementId: string, context: Context): MissingAchievementStatus {
  const known = context.prepared.lapsed.get(achievementId);
  if (known !== undefined) return known;
  let status: MissingAchievementStatus = 'not-held';
  for (const award of context.holdings.awards) {
    if (award.achievementId !== achievementId) continue;
    const valid = statusAt(award, context.at);
    const now = valid === 'valid' ? 'not-recognised' : valid;
    if (now !== undefined && LAPSED_ORDER[now] > LAPSED_ORDER[status]) status = now;
  }
  context.prepared.lapsed.set(achievementId, status);
  return status;
}

function node(rule: Rule, path: string, context: Context): Evaluated {
  if ('achievement' in rule) {
    const awards = context.awards.byAchievement.get(rule.achievement) ?? NONE;
    const satisfied = awards.length > 0;
    const result: NodeResult = { rule, satisfied, counted: ids(awards) };
    if (!satisfied)
      result.missing = [
        {
          type: 'achievement',
          path,
          achievementId: rule.achievement,
          status: lapsed(rule.achievement, context),
        },
      ];
    return { result, awards, recognitions: NONE };
  }
  if ('pathway' in rule) {
    const pathwayId = rule.pathway;
    const conferred = context.completed.has(pathwayId);
    const nested = nestedRule(pathwayId, context);
    if (nested === undefined) {
      const result: NodeResult = { rule, satisfied: conferred, counted: [] };
      if (conferred) result.conferred = true;
      else result.missing = [{ type: 'pathway', path, pathwayId }];
      return { result, awards: NONE, recognitions: NONE };
    }
    enter(pathwayId, context);
    const inner = node(nested, `${key(path, 'pathway')}(${pathwayId})`, context);
    context.trail.pop();
    const satisfied = conferred || inner.result.satisfied;
    const rests = inner.result.satisfied || !conferred;
    const [awards, recognitions] = rests ? [inner.awards, inner.recognitions] : [NONE, NONE];
    const result: NodeResult = { rule, satisfied, counted: rests ? inner.result.counted : [] };
    if (recognitions.length > 0) result.recognitions = idsAmong(recognitions, context.recognitions);
    if (conferred) result.conferred = true;
    if (!satisfied) result.missing = inner.result.missing ?? [];
    result.children = [inner.result];
    return { result, awards, recognitions };
  }
  if ('allOf' in rule) return group(rule, rule.allOf, rule.allOf.length, path, key(path, 'allOf'), context);
  if ('anyOf' in rule) return group(rule, rule.anyOf, 1, path, key(path, 'anyOf'), context);
  if ('nOf' in rule) return group(rule, rule.nOf.of, rule.nOf.n, path, key(path, 'nOf.of'), context);
  if ('credits' in rule) return credits(rule, path, context);
  if ('count' in rule) return count(rule, path, context);
  throw new DomainError('invalid-rule', `Not a rule: ${JSON.stringify(rule)}`);
}

function totalFramework(pathway: PathwayUnderEvaluation): string {
  const framework = pathway.framework ?? pathway.award?.credits[0]?.framework ?? 'ECTS';
  return creditFramework(framework).id;
}

/** The largest `min` of the credits nodes that must hold, converted into `framework`. */
function requiredCredits(result: NodeResult, framework: string): number | undefined {
  const rule = result.rule;
  if ('credits' in rule)
    return roundCredits(rule.credits.min * conversionStep(rule.credits.framework, framework).factor);
  const must =
    'allOf' in rule ? (result.children ?? []) : 'pathway' in rule && !result.conferred ? (result.children ?? []) : [];
  let largest: number | undefined;
  for (const child of must) {
    const required = requiredCredits(child, framework);
    if (required !== undefined && (largest === undefined || required > largest)) largest = required;
  }
  return largest;
}

/**
 * Evaluates a learner's progress on a pathway at an instant: pure and deterministic, whatever the order of the holdings.
 *
 * - Only awards valid at `at` count (issued by then, neither suspended nor revoked, not expired); every award counts
 *   once in a node however many times the rule names it, and once in the totals. With `pathway.counting`, an award
 *   (or prior learning) of another issuer's achievement counts only when a recognition covers it at the instant it
 *   was made (the issuer comes from the catalogue: one it does not know is not the pathway's).
 * - `credits` sums, in its framework (converted through the table, rounded to 2 decimals per award), the valid awards
 *   and recognitions its `from` rules draw on — every award and recognition when `from` is absent. With `from`: the
 *   awards those rules draw on whether or not they are satisfied (the valid awards of the achievements they name,
 *   through nested pathways too; of the kind a `count` names; those a nested `credits` counts), so that adding an
 *   award never takes credit away; and the recognitions recorded against an achievement a `from` rule names.
 *   `minLevel` keeps those whose level (a recognition's own, else its achievement's) references to an EQF level at or
 *   above the minimum's; a level without EQF equivalent does not count. An award with credits in several frameworks
 *   counts with its amount in the node's framework when it has one, else with the first that converts officially,
 *   else with the first that converts at all. Recognised prior learning is credit in its own right: it counts in
 *   `credits` nodes only (never as holding an achievement, never in `count`), next to any award of the same
 *   achievement.
 * - `count` counts valid awards (not recognitions), of `kind` when given (the award's kind, else the catalogue's).
 * - `{ pathway }` is satisfied when the pathway is in `completedPathways` or when its rule (from the catalogue) is
 *   satisfied now. Without conferrals this is exactly the evaluation of the flattened rule (`flattenRule`). A nested
 *   pathway the catalogue does not know is satisfied only when conferred.
 *
 * Throws `invalid-instant` (at), `unknown-framework` (the totals' framework, a `credits` framework or a minimum level's
 * framework), `invalid-rule` (a node it cannot read; a minimum level without EQF equivalent), `pathway-cycle` (nested
 * pathways in a cycle) and `duplicate-entry` (an award or recognition id listed twice). Rules are read, never changed.
 */
export function evaluate(
  pathway: PathwayUnderEvaluation,
  holdings: Holdings,
  catalogue: StackingCatalogue,
  at: string,
): StackingResult {
  return evaluatePrepared(pathway, prepareHoldings(holdings, catalogue, at));
}

/**
 * The holdings made ready for `evaluatePrepared` at `at` against `catalogue`: once per learner and instant, then
 * evaluated against as many pathways as needed. Throws `invalid-instant` and `duplicate-entry` as `evaluate` does.
 */
export function prepareHoldings(holdings: Holdings, catalogue: StackingCatalogue, at: string): PreparedHoldings {
  const ms = parseInstant(at);
  if (ms === undefined) throw new DomainError('invalid-instant', `Not an instant: ${String(at)}`);
  const instant = isCanonical(at) ? at : (formatInstant(ms) as string);
  const valid: Item[] = [];
  for (const award of holdings.awards) {
    if (statusAt(award, instant) !== 'valid') continue;
    const entry = item(award.awardId, award.achievementId, award.credits, award.level, false, award.issuedAt);
    if (award.kind !== undefined) entry.kind = award.kind;
    valid.push(entry);
  }
  const recognitions = (holdings.priorLearning ?? []).map((recognition) =>
    item(
      recognition.recognitionId,
      recognition.achievementId,
      recognition.credits,
      recognition.level,
      true,
      recognition.recognisedAt,
    ),
  );
  return new PreparedHoldings(
    holdings,
    catalogue,
    instant,
    countedOf(canonical(valid, 'award')),
    countedOf(canonical(recognitions, 'recognition')),
    new Set(holdings.completedPathways ?? []),
  );
}

/** `evaluate` on holdings prepared once (`prepareHoldings`): the same result, without preparing them again. */
export function evaluatePrepared(pathway: PathwayUnderEvaluation, prepared: PreparedHoldings): StackingResult {
  const framework = totalFramework(pathway);
  const { counting } = pathway;
  const { catalogue } = prepared;
  const countable = (entry: Item): boolean =>
    counts(counting!, catalogue.achievement(entry.achievementId)?.issuerId, entry.achievementId, entry.madeAt);
  const context: Context = {
    prepared,
    catalogue,
    awards:
      counting === undefined ? prepared.awards : countedOf(prepared.awards.items.filter((entry) => countable(entry))),
    recognitions:
      counting === undefined
        ? prepared.recognitions
        : countedOf(prepared.recognitions.items.filter((entry) => countable(entry))),
    holdings: prepared.holdings,
    at: prepared.at,
    completed: prepared.completed,
    nested: prepared.nested,
    trail: [pathway.pathwayId],
  };

  const root = node(pathway.rule, '', context);
  let sum = 0;
  let official = true;
  for (const entries of [root.awards, root.recognitions])
    for (const entry of entries) {
      const conversion = conversionOf(entry, framework);
      if (conversion.hundredths <= 0) continue;
      sum += conversion.hundredths;
      official &&= conversion.official;
    }
  const required = requiredCredits(root.result, framework);
  return {
    pathwayId: pathway.pathwayId,
    version: pathway.version,
    at: prepared.at,
    satisfied: root.result.satisfied,
    tree: root.result,
    credits: {
      framework,
      earned: sum / 100,
      ...(required === undefined ? {} : { required }),
      basis: official ? 'official' : 'convention',
    },
    missing: root.result.missing ?? [],
    countedAwards: root.result.counted,
    countedRecognitions: idsAmong(root.recognitions, context.recognitions),
    tableVersion: CONVERSION_TABLE_VERSION,
  };
}

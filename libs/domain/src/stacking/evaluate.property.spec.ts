import fc from 'fast-check';
import type { AchievementKind, Credit, Level } from '../achievement/achievement.definition';
import { convertCredits, CREDIT_FRAMEWORK_IDS, isCreditFramework } from '../frameworks/credit-frameworks';
import { type CatalogueAchievement, catalogueOf, type StackingCatalogue } from './catalogue';
import { type RecognitionWindow, windowCovers } from './cross-issuer';
import {
  evaluate,
  evaluatePrepared,
  type MissingItem,
  type NodeResult,
  type PathwayUnderEvaluation,
  prepareHoldings,
  type StackingResult,
} from './evaluate';
import type { HeldAward, Holdings, RecognisedLearning } from './holdings';
import type { Rule } from './rule';
import { flattenRule } from './rule-references';
import { AFTER_AT, AT, BEFORE_AT } from './testing/stacking.fixtures';

/**
 * Properties of `evaluate` over generated pathways (up to three nested pathways, p2 may nest p1 and p0, p1 may nest
 * p0), holdings (valid, suspended, revoked, expired, not-yet-issued awards; credits in any framework, some unknown;
 * levels in EQF, SCQF and NZQCF; prior learning) and conferrals.
 */
const ACHIEVEMENTS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'];
const KINDS: AchievementKind[] = ['skill', 'knowledge', 'disposition'];
const PATHWAYS = ['p0', 'p1', 'p2'];

const CATALOGUE_ACHIEVEMENTS: { [id: string]: CatalogueAchievement } = Object.fromEntries(
  ACHIEVEMENTS.map((id, index) => [
    id,
    {
      kind: KINDS[index % 3],
      credits: [{ framework: 'ECTS', value: 5 }],
      level: { framework: 'EQF', level: 3 + index },
    },
  ]),
);

const kindArb = fc.constantFrom(...KINDS);
const creditFrameworkArb = fc.constantFrom(...CREDIT_FRAMEWORK_IDS);
const levelArb: fc.Arbitrary<Level> = fc.oneof(
  fc.integer({ min: 1, max: 8 }).map((level) => ({ framework: 'EQF', level })),
  fc.integer({ min: 1, max: 12 }).map((level) => ({ framework: 'SCQF', level })),
  fc.integer({ min: 1, max: 10 }).map((level) => ({ framework: 'NZQCF', level })),
);
const minLevelArb: fc.Arbitrary<Level> = fc.oneof(
  fc.integer({ min: 2, max: 8 }).map((level) => ({ framework: 'EQF', level })),
  fc.integer({ min: 5, max: 12 }).map((level) => ({ framework: 'SCQF', level })),
);
const creditArb: fc.Arbitrary<Credit> = fc.record({
  framework: fc.constantFrom(...CREDIT_FRAMEWORK_IDS, 'XYZ'),
  value: fc.integer({ min: 1, max: 40 }).map((halves) => halves / 2),
});
const creditsArb = fc.uniqueArray(creditArb, { maxLength: 2, selector: (credit) => credit.framework });

function ruleArb(pathways: string[], depth: number): fc.Arbitrary<Rule> {
  const credits = (from: fc.Arbitrary<Rule[] | undefined>): fc.Arbitrary<Rule> =>
    fc
      .record({
        framework: creditFrameworkArb,
        min: fc.integer({ min: 1, max: 60 }).map((halves) => halves / 2),
        from,
        minLevel: fc.option(minLevelArb, { nil: undefined }),
      })
      .map(({ framework, min, from, minLevel }) => ({
        credits: {
          framework,
          min,
          ...(from === undefined ? {} : { from }),
          ...(minLevel === undefined ? {} : { minLevel }),
        },
      }));
  const leaves: fc.Arbitrary<Rule>[] = [
    fc.constantFrom(...ACHIEVEMENTS).map((achievement) => ({ achievement })),
    fc
      .record({ min: fc.integer({ min: 1, max: 4 }), kind: fc.option(kindArb, { nil: undefined }) })
      .map(({ min, kind }) => ({ count: kind === undefined ? { min } : { min, kind } })),
    credits(fc.constant(undefined)),
  ];
  if (pathways.length > 0) leaves.push(fc.constantFrom(...pathways).map((pathway) => ({ pathway })));
  if (depth <= 0) return fc.oneof(...leaves);
  const list = fc.array(ruleArb(pathways, depth - 1), { minLength: 1, maxLength: 4 });
  return fc.oneof(
    ...leaves,
    list.map((allOf) => ({ allOf })),
    list.map((anyOf) => ({ anyOf })),
    list.chain((of) => fc.integer({ min: 1, max: of.length }).map((n) => ({ nOf: { n, of } }))),
    credits(fc.option(list, { nil: undefined })),
  );
}

const instantArb = fc.option(fc.constantFrom(BEFORE_AT, AT, AFTER_AT), { nil: undefined });

const awardArb = (id: string): fc.Arbitrary<HeldAward> =>
  fc
    .record({
      achievementId: fc.constantFrom(...ACHIEVEMENTS),
      credits: creditsArb,
      level: levelArb,
      kind: fc.option(kindArb, { nil: undefined }),
      standing: fc.constantFrom('active', 'active', 'active', 'suspended', 'revoked') as fc.Arbitrary<
        HeldAward['standing']
      >,
      validUntil: instantArb,
      issuedAt: fc.option(fc.constantFrom(BEFORE_AT, AFTER_AT), { nil: undefined }),
    })
    .map(({ kind, validUntil, issuedAt, ...award }) => ({
      awardId: id,
      ...award,
      ...(kind === undefined ? {} : { kind }),
      ...(validUntil === undefined ? {} : { validUntil }),
      ...(issuedAt === undefined ? {} : { issuedAt }),
    }));

const recognitionArb = (id: string): fc.Arbitrary<RecognisedLearning> =>
  fc
    .record({
      achievementId: fc.constantFrom(...ACHIEVEMENTS),
      credits: creditsArb,
      level: fc.option(levelArb, { nil: undefined }),
    })
    .map(({ level, ...recognition }) => ({
      recognitionId: id,
      ...recognition,
      ...(level === undefined ? {} : { level }),
    }));

const listOf = <T>(item: (id: string) => fc.Arbitrary<T>, prefix: string, max: number): fc.Arbitrary<T[]> =>
  fc
    .integer({ min: 0, max })
    .chain((size) => fc.tuple(...Array.from({ length: size }, (_, i) => item(`${prefix}-${i}`))));

const holdingsArb: fc.Arbitrary<Holdings> = fc.record({
  awards: listOf(awardArb, 'aw', 12),
  priorLearning: listOf(recognitionArb, 'rpl', 3),
  completedPathways: fc.subarray(PATHWAYS),
});

type Scenario = { pathway: PathwayUnderEvaluation; catalogue: StackingCatalogue; rules: { [id: string]: Rule } };

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    p0: ruleArb([], 2),
    p1: ruleArb(['p0'], 2),
    p2: ruleArb(['p0', 'p1'], 2),
    root: ruleArb(PATHWAYS, 3),
    framework: creditFrameworkArb,
  })
  .map(({ root, framework, ...rules }) => ({
    pathway: { pathwayId: 'root', version: 1, rule: root, framework },
    rules,
    catalogue: catalogueOf({
      achievements: CATALOGUE_ACHIEVEMENTS,
      pathways: Object.fromEntries(Object.entries(rules).map(([id, rule]) => [id, { rule }])),
    }),
  }));

const run = ({ pathway, catalogue }: Scenario, holdings: Holdings, rule = pathway.rule) =>
  evaluate({ ...pathway, rule }, holdings, catalogue, AT);

const isValid = (award: HeldAward): boolean =>
  (award.issuedAt === undefined || award.issuedAt <= AT) &&
  award.standing === 'active' &&
  (award.validUntil === undefined || AT < award.validUntil);

/** The most an award or recognition can bring in `framework`: its largest convertible amount, rounded (hundredths). */
const mostOf = (credits: readonly Credit[], framework: string): number =>
  Math.max(
    0,
    ...credits
      .filter((credit) => isCreditFramework(credit.framework))
      .map((credit) => Math.round(convertCredits(credit.value, credit.framework, framework).result * 100)),
  );

const bound = (holdings: Holdings, framework: string): number =>
  [...holdings.awards.filter(isValid), ...(holdings.priorLearning ?? [])].reduce(
    (sum, held) => sum + mostOf(held.credits, framework),
    0,
  ) / 100;

function nodes(tree: NodeResult): NodeResult[] {
  return [tree, ...(tree.children ?? []).flatMap(nodes)];
}

/** What was satisfied stays so, node by node, and no node earns less. */
function expectNoLoss(before: StackingResult, after: StackingResult): void {
  if (before.satisfied) expect(after.satisfied).toBe(true);
  const [was, is] = [nodes(before.tree), nodes(after.tree)];
  expect(is).toHaveLength(was.length);
  was.forEach((node, index) => {
    if (node.satisfied) expect(is[index].satisfied).toBe(true);
    if (node.earned !== undefined) expect(is[index].earned).toBeGreaterThanOrEqual(node.earned);
  });
}

/** Every award named twice: lists doubled (allOf, anyOf, credits.from), recursively; nOf keeps its options' count. */
function doubled(rule: Rule): Rule {
  if ('allOf' in rule) return { allOf: [...rule.allOf, ...rule.allOf].map(doubled) };
  if ('anyOf' in rule) return { anyOf: [...rule.anyOf, ...rule.anyOf].map(doubled) };
  if ('nOf' in rule) return { nOf: { n: rule.nOf.n, of: rule.nOf.of.map(doubled) } };
  if ('credits' in rule && rule.credits.from !== undefined)
    return { credits: { ...rule.credits, from: [...rule.credits.from, ...rule.credits.from].map(doubled) } };
  return rule;
}

const withoutPaths = (items: MissingItem[]): unknown[] =>
  items.map((item) => {
    const rest: { [key: string]: unknown } = { ...item };
    delete rest.path;
    if (item.type === 'choice') rest.options = item.options.map(withoutPaths);
    return rest;
  });

/** A tree with each nested pathway node replaced by its rule's node, rules flattened and missing paths left out. */
function normalised(tree: NodeResult, lookup: (id: string) => Rule | undefined): unknown {
  if ('pathway' in tree.rule && tree.children !== undefined) return normalised(tree.children[0], lookup);
  const { missing, children, rule, ...rest } = tree;
  return {
    ...rest,
    rule: flattenRule(rule, lookup),
    ...(missing === undefined ? {} : { missing: withoutPaths(missing) }),
    ...(children === undefined ? {} : { children: children.map((child) => normalised(child, lookup)) }),
  };
}

const shuffled = <T>(items: readonly T[]): fc.Arbitrary<T[]> =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

describe('evaluate (properties)', () => {
  it('does not depend on the order of awards, prior learning or conferrals', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        holdingsArb.chain((holdings) =>
          fc.record({
            holdings: fc.constant(holdings),
            reordered: fc.record({
              awards: shuffled(holdings.awards),
              priorLearning: shuffled(holdings.priorLearning ?? []),
              completedPathways: shuffled(holdings.completedPathways ?? []),
            }),
          }),
        ),
        (scenario, { holdings, reordered }) => {
          expect(run(scenario, reordered)).toEqual(run(scenario, holdings));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never turns a satisfied node unsatisfied when a valid award or prior learning is added', () => {
    fc.assert(
      fc.property(
        scenarioArb,
        holdingsArb,
        awardArb('aw-added'),
        recognitionArb('rpl-added'),
        (scenario, holdings, added, recognised) => {
          const before = run(scenario, holdings);
          const valid: HeldAward = { ...added, standing: 'active', issuedAt: BEFORE_AT, validUntil: AFTER_AT };
          for (const after of [
            run(scenario, { ...holdings, awards: [...holdings.awards, valid] }),
            run(scenario, { ...holdings, priorLearning: [...(holdings.priorLearning ?? []), recognised] }),
          ]) {
            expectNoLoss(before, after);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never counts credit twice: no more than the distinct valid holdings bring, however often named', () => {
    fc.assert(
      fc.property(scenarioArb, holdingsArb, (scenario, holdings) => {
        const result = run(scenario, holdings);
        expect(result.credits.earned).toBeLessThanOrEqual(bound(holdings, result.credits.framework));
        for (const node of nodes(result.tree))
          if (node.framework !== undefined && node.earned !== undefined)
            expect(node.earned).toBeLessThanOrEqual(bound(holdings, node.framework));
        const validIds = holdings.awards.filter(isValid).map((award) => award.awardId);
        expect(new Set(result.countedAwards).size).toBe(result.countedAwards.length);
        for (const id of result.countedAwards) expect(validIds).toContain(id);

        const twice = run(scenario, holdings, doubled(scenario.pathway.rule));
        expect(twice.satisfied).toBe(result.satisfied);
        expect(twice.credits).toEqual(result.credits);
        expect(twice.countedAwards).toEqual(result.countedAwards);
        expect(twice.countedRecognitions).toEqual(result.countedRecognitions);
      }),
      { numRuns: 300 },
    );
  });

  it('evaluates nested pathways as their flattened rule when none is conferred', () => {
    fc.assert(
      fc.property(scenarioArb, holdingsArb, (scenario, holdings) => {
        const lookup = (id: string) => scenario.rules[id];
        const unconferred = { ...holdings, completedPathways: [] };
        const nested = run(scenario, unconferred);
        const flat = run(scenario, unconferred, flattenRule(scenario.pathway.rule, lookup));
        expect(nested.satisfied).toBe(flat.satisfied);
        expect(nested.credits).toEqual(flat.credits);
        expect(nested.countedAwards).toEqual(flat.countedAwards);
        expect(nested.countedRecognitions).toEqual(flat.countedRecognitions);
        expect(withoutPaths(nested.missing)).toEqual(withoutPaths(flat.missing));
        expect(normalised(nested.tree, lookup)).toEqual(normalised(flat.tree, lookup));
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * Cross-issuer counting: the pathway is issuer `home`'s; a0–a3 are home's achievements, a4–a7 issuer `away`'s. Each
 * prior learning is recorded by AT (a later one is not in the holdings evaluated at AT).
 */
const HOME = 'home';
const issuerOf = (achievementId: string): string => (ACHIEVEMENTS.indexOf(achievementId) < 4 ? HOME : 'away');
const CROSS_ISSUER_CATALOGUE = Object.fromEntries(
  Object.entries(CATALOGUE_ACHIEVEMENTS).map(([id, entry]) => [id, { ...entry, issuerId: issuerOf(id) }]),
);
const WINDOW_INSTANTS = ['2026-04-01T00:00:00.000Z', BEFORE_AT, '2026-05-15T00:00:00.000Z', AT, AFTER_AT];

const windowArb: fc.Arbitrary<RecognitionWindow> = fc
  .record({
    recognisedIssuerId: fc.constantFrom('away', 'away', 'third'),
    achievementIds: fc.oneof(fc.constant('all' as const), fc.subarray(ACHIEVEMENTS.slice(4), { minLength: 1 })),
    bounds: fc.uniqueArray(fc.constantFrom(...WINDOW_INSTANTS), { minLength: 1, maxLength: 2 }),
  })
  .map(({ recognisedIssuerId, achievementIds, bounds }) => {
    const [from, until] = [...bounds].sort();
    return { recognisedIssuerId, achievementIds, from, ...(until === undefined ? {} : { until }) };
  });
const windowsArb = fc.array(windowArb, { maxLength: 3 });

const crossIssuerHoldingsArb: fc.Arbitrary<Holdings> = holdingsArb.chain((holdings) =>
  fc
    .tuple(...(holdings.priorLearning ?? []).map(() => fc.constantFrom(BEFORE_AT, '2026-05-15T00:00:00.000Z')))
    .map((dates) => ({
      ...holdings,
      priorLearning: (holdings.priorLearning ?? []).map((learning, index) => ({
        ...learning,
        recognisedAt: dates[index],
      })),
    })),
);

const crossIssuerScenarioArb = scenarioArb.map((scenario) => ({
  ...scenario,
  catalogue: catalogueOf({
    achievements: CROSS_ISSUER_CATALOGUE,
    pathways: Object.fromEntries(Object.entries(scenario.rules).map(([id, rule]) => [id, { rule }])),
  }),
}));

describe('evaluatePrepared (properties)', () => {
  it('gives, pathway after pathway on holdings prepared once, what evaluate gives each afresh', () => {
    fc.assert(
      fc.property(crossIssuerScenarioArb, crossIssuerHoldingsArb, windowsArb, (scenario, holdings, recognitions) => {
        const prepared = prepareHoldings(holdings, scenario.catalogue, AT);
        const counting = { issuerId: HOME, recognitions };
        const pathways: PathwayUnderEvaluation[] = [
          scenario.pathway,
          ...Object.entries(scenario.rules).map(([pathwayId, rule]) => ({ pathwayId, version: 1, rule })),
          { ...scenario.pathway, counting },
          { ...scenario.pathway, framework: 'CATS' },
          scenario.pathway,
        ];
        for (const pathway of pathways)
          expect(evaluatePrepared(pathway, prepared)).toEqual(evaluate(pathway, holdings, scenario.catalogue, AT));
      }),
      { numRuns: 300 },
    );
  });
});

const underRecognitions = (scenario: Scenario, holdings: Holdings, recognitions: readonly RecognitionWindow[]) =>
  evaluate({ ...scenario.pathway, counting: { issuerId: HOME, recognitions } }, holdings, scenario.catalogue, AT);

const covered = (recognitions: readonly RecognitionWindow[], achievementId: string, madeAt: string | undefined) =>
  issuerOf(achievementId) === HOME ||
  (madeAt !== undefined &&
    recognitions.some((window) => windowCovers(window, issuerOf(achievementId), achievementId, madeAt)));

describe('evaluate across issuers (properties)', () => {
  it('never counts an award or prior learning of another issuer without a recognition in force when it was made', () => {
    fc.assert(
      fc.property(crossIssuerScenarioArb, crossIssuerHoldingsArb, windowsArb, (scenario, holdings, recognitions) => {
        const result = underRecognitions(scenario, holdings, recognitions);
        const awards = new Map(holdings.awards.map((award) => [award.awardId, award]));
        const learning = new Map((holdings.priorLearning ?? []).map((entry) => [entry.recognitionId, entry]));
        for (const node of nodes(result.tree)) {
          for (const id of node.counted)
            expect(covered(recognitions, awards.get(id)!.achievementId, awards.get(id)!.issuedAt)).toBe(true);
          for (const id of node.recognitions ?? [])
            expect(covered(recognitions, learning.get(id)!.achievementId, learning.get(id)!.recognisedAt)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is the evaluation of the holdings the recognitions admit, with the pathway issuer’s own untouched', () => {
    fc.assert(
      fc.property(crossIssuerScenarioArb, crossIssuerHoldingsArb, windowsArb, (scenario, holdings, recognitions) => {
        const admitted: Holdings = {
          ...holdings,
          awards: holdings.awards.filter((award) => covered(recognitions, award.achievementId, award.issuedAt)),
          priorLearning: (holdings.priorLearning ?? []).filter((entry) =>
            covered(recognitions, entry.achievementId, entry.recognisedAt),
          ),
        };
        const counted = underRecognitions(scenario, holdings, recognitions);
        const plain = evaluate(scenario.pathway, admitted, scenario.catalogue, AT);
        expect(counted.satisfied).toBe(plain.satisfied);
        expect(counted.credits).toEqual(plain.credits);
        expect(counted.countedAwards).toEqual(plain.countedAwards);
        expect(counted.countedRecognitions).toEqual(plain.countedRecognitions);
        // With no other issuer's holdings, recognitions change nothing at all.
        const own = (entry: { achievementId: string }) => issuerOf(entry.achievementId) === HOME;
        const ownOnly = {
          ...holdings,
          awards: holdings.awards.filter(own),
          priorLearning: admitted.priorLearning?.filter(own),
        };
        expect(underRecognitions(scenario, ownOnly, recognitions)).toEqual(
          evaluate(scenario.pathway, ownOnly, scenario.catalogue, AT),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('never lowers progress when a recognition is added', () => {
    fc.assert(
      fc.property(
        crossIssuerScenarioArb,
        crossIssuerHoldingsArb,
        windowsArb,
        windowArb,
        (scenario, holdings, recognitions, added) => {
          const before = underRecognitions(scenario, holdings, recognitions);
          const after = underRecognitions(scenario, holdings, [...recognitions, added]);
          expectNoLoss(before, after);
          expect(after.credits.earned).toBeGreaterThanOrEqual(before.credits.earned);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never ends what was satisfied when a recognition is withdrawn after it', () => {
    fc.assert(
      fc.property(
        crossIssuerScenarioArb,
        crossIssuerHoldingsArb,
        windowsArb,
        fc.constantFrom(AT, AFTER_AT),
        (scenario, holdings, recognitions, withdrawnAt) => {
          const conferred = underRecognitions(scenario, holdings, recognitions);
          fc.pre(conferred.satisfied);
          const withdrawn = recognitions.map((window) => ({
            ...window,
            until: window.until !== undefined && window.until < withdrawnAt ? window.until : withdrawnAt,
          }));
          const later = underRecognitions(scenario, holdings, withdrawn);
          expect(later.satisfied).toBe(true);
          expect(later.countedAwards).toEqual(conferred.countedAwards);
        },
      ),
      { numRuns: 300 },
    );
  });
});

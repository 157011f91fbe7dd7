/**
 * Stacking engine benchmark: evaluations per second of a 30-node rule tree (a nested certificate, an nOf elective
 * group, anyOf choices, credits nodes with and without `from` and `minLevel`, counts) against a learner holding 200
 * awards (some suspended, revoked or expired; credits in ECTS, CATS and US semester hours; levels in EQF, SCQF and RQF)
 * and 3 recognitions of prior learning, on one core. The aim: ≥ 100,000 evaluations a second.
 *
 *   npm run build && node dist/bench/stacking/stacking.bench.js [--seconds N] [--rounds N]
 *
 * Measured in the same run, as a baseline: a plain loop over the 200 awards building a Set of their ids — the least
 * any evaluation must do — so the ratio says what the engine costs beyond touching every award once. Each figure is
 * the median of `--rounds` (default 5) rounds of `--seconds` (default 1) after a warm-up. The awards are given in an
 * arbitrary order (the figure the aim is judged on) and, separately, sorted by id, as `holdingsFromRecords` gives them.
 *
 * A benchmark, not a test: it exits 0 whatever the figures, 1 only on errors.
 */
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  type CatalogueAchievement,
  catalogueOf,
  evaluate,
  evaluatePrepared,
  type HeldAward,
  type Holdings,
  type PathwayUnderEvaluation,
  prepareHoldings,
  type RecognisedLearning,
  type Rule,
  type StackingResult,
} from '../../libs/domain/src';

const AIM = 100_000;
/** One evaluation on prepared holdings costs at most this many baseline loops. */
const AIM_LOOPS = 3;
const AWARDS = 200;
const AT = '2026-06-01T09:00:00.000Z';

/** A small deterministic generator (LCG), so every run measures the same data. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = generator(20261125);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const id = (n: number): string => `ach-${String(n).padStart(3, '0')}`;

const KINDS = ['skill', 'knowledge', 'disposition'] as const;
const achievements: { [id: string]: CatalogueAchievement } = {};
for (let n = 0; n < AWARDS; n++)
  achievements[id(n)] = {
    kind: KINDS[n % 3],
    credits: [{ framework: 'ECTS', value: 5 }],
    level: { framework: 'EQF', level: 4 + (n % 4) },
  };

const ach = (n: number): Rule => ({ achievement: id(n) });
const CERTIFICATE: Rule = { allOf: [ach(0), ach(1), ach(2)] };
const RULE: Rule = {
  allOf: [
    { pathway: 'certificate' },
    { nOf: { n: 2, of: [ach(3), ach(4), ach(5), ach(6), ach(7), ach(8)] } },
    { anyOf: [{ allOf: [ach(9), ach(10)] }, ach(11)] },
    { credits: { framework: 'ECTS', min: 30, minLevel: { framework: 'EQF', level: 6 } } },
    { credits: { framework: 'CATS', min: 20, from: [ach(12), ach(13), ach(14), ach(15)] } },
    { count: { min: 5 } },
    { count: { min: 2, kind: 'disposition' } },
    { anyOf: [ach(16), ach(17), ach(18)] },
  ],
};
const catalogue = catalogueOf({ achievements, pathways: { certificate: { rule: CERTIFICATE, version: 1 } } });
const pathway: PathwayUnderEvaluation = {
  pathwayId: 'micro-degree',
  version: 1,
  rule: RULE,
  award: { credits: [{ framework: 'ECTS', value: 60 }] },
};

/** Rule nodes, the nested pathway's and those under `credits.from` included. */
function ruleNodes(rule: Rule): number {
  if ('pathway' in rule) {
    const nested = catalogue.pathway(rule.pathway)?.rule;
    return 1 + (nested === undefined ? 0 : ruleNodes(nested));
  }
  const children =
    'allOf' in rule
      ? rule.allOf
      : 'anyOf' in rule
        ? rule.anyOf
        : 'nOf' in rule
          ? rule.nOf.of
          : 'credits' in rule
            ? (rule.credits.from ?? [])
            : [];
  return 1 + children.reduce((sum, child) => sum + ruleNodes(child), 0);
}

const LEVELS = [
  { framework: 'EQF', level: 6 },
  { framework: 'EQF', level: 5 },
  { framework: 'SCQF', level: 10 },
  { framework: 'RQF', level: 6 },
];
const awards: HeldAward[] = [];
for (let n = 0; n < AWARDS; n++) {
  const roll = random();
  const framework = n % 5 === 0 ? 'CATS' : n % 11 === 0 ? 'US-SCH' : 'ECTS';
  awards.push({
    awardId: `award-${String(n).padStart(3, '0')}-${Math.floor(random() * 1e6).toString(36)}`,
    achievementId: id(n),
    credits: [{ framework, value: framework === 'CATS' ? 10 : framework === 'US-SCH' ? 3 : 5 }],
    level: pick(LEVELS),
    issuedAt: '2025-09-01T10:00:00.000Z',
    ...(roll < 0.05
      ? { validUntil: '2026-03-01T00:00:00.000Z' }
      : roll < 0.3
        ? { validUntil: '2027-09-01T00:00:00.000Z' }
        : {}),
    standing: roll > 0.97 ? 'revoked' : roll > 0.94 ? 'suspended' : 'active',
    ...(n % 7 === 0 ? { kind: KINDS[n % 3] } : {}),
  });
}
const priorLearning: RecognisedLearning[] = [0, 1, 2].map((n) => ({
  recognitionId: `rpl-${n}`,
  achievementId: id(12 + n),
  credits: [{ framework: 'ECTS', value: 2.5 }],
}));

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

const arbitrary: Holdings = { awards: shuffled(awards), priorLearning, completedPathways: [] };
const sorted: Holdings = {
  awards: [...awards].sort((a, b) => (a.awardId < b.awardId ? -1 : 1)),
  priorLearning,
  completedPathways: [],
};

type Options = { seconds: number; rounds: number };

function options(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    const parsed = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} must be a positive number`);
    return parsed;
  };
  return { seconds: value('--seconds', 1), rounds: Math.round(value('--rounds', 5)) };
}

let sink = 0;

/** Operations a second: the median of `rounds` timed rounds of about `seconds` each, after a warm-up round. */
function measure(operation: () => number, { seconds, rounds }: Options): number {
  const round = (): number => {
    let done = 0;
    const start = performance.now();
    const until = start + seconds * 1000;
    let now = start;
    while (now < until) {
      for (let i = 0; i < 1000; i++) sink += operation();
      done += 1000;
      now = performance.now();
    }
    return (done * 1000) / (now - start);
  };
  round();
  const figures = Array.from({ length: rounds }, round).sort((a, b) => a - b);
  return figures[Math.floor(figures.length / 2)];
}

const checksum = (result: StackingResult): number => (result.satisfied ? 1 : 0) + result.countedAwards.length;

function main(): void {
  const opts = options(process.argv.slice(2));
  const nodes = ruleNodes(RULE);
  const sample = evaluate(pathway, arbitrary, catalogue, AT);
  if (JSON.stringify(sample) !== JSON.stringify(evaluate(pathway, sorted, catalogue, AT)))
    throw new Error('The order of the awards changed the result');
  const valid = sample.tree.children?.[5]?.counted.length ?? 0;

  const baseline = measure(() => {
    const ids = new Set<string>();
    for (const award of arbitrary.awards) ids.add(award.awardId);
    return ids.size;
  }, opts);
  // Holdings prepared once per learner and instant, then evaluated against pathway after pathway.
  const prepared = prepareHoldings(arbitrary, catalogue, AT);
  if (JSON.stringify(evaluatePrepared(pathway, prepared)) !== JSON.stringify(sample))
    throw new Error('Prepared holdings changed the result');
  const onPrepared = measure(() => checksum(evaluatePrepared(pathway, prepared)), opts);
  const inArbitraryOrder = measure(() => checksum(evaluate(pathway, arbitrary, catalogue, AT)), opts);
  const inIdOrder = measure(() => checksum(evaluate(pathway, sorted, catalogue, AT)), opts);

  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const format = (n: number): string => Math.round(n).toLocaleString('en-GB');
  const micro = (perSecond: number): string => (1e6 / perSecond).toFixed(2);
  const lines = [
    `stacking bench — ${new Date().toISOString().slice(0, 10)}`,
    `node ${process.version} · ${cpu} · ${os.cpus().length} logical CPUs (one used) · ${os.platform()} ${os.arch()}`,
    `rule: ${nodes} nodes (nested certificate included) · ${AWARDS} awards (${valid} valid at ${AT}) · ${priorLearning.length} recognitions`,
    `result: satisfied=${sample.satisfied}, ${sample.credits.earned} ${sample.credits.framework} earned (${sample.credits.basis}), ${sample.countedAwards.length} awards counted`,
    `median of ${opts.rounds} rounds of ${opts.seconds}s:`,
    `  evaluatePrepared, holdings prepared once : ${format(onPrepared)} evaluations/s (${micro(onPrepared)} µs each)`,
    `  evaluate (prepare + evaluate), arbitrary order : ${format(inArbitraryOrder)} evaluations/s (${micro(inArbitraryOrder)} µs each)`,
    `  evaluate (prepare + evaluate), sorted by id    : ${format(inIdOrder)} evaluations/s (${micro(inIdOrder)} µs each)`,
    `  baseline, Set of the 200 award ids  : ${format(baseline)} loops/s (${micro(baseline)} µs each)`,
    `  one evaluation on prepared holdings costs ${(baseline / onPrepared).toFixed(1)} baseline loops (aim ≤ ${AIM_LOOPS}): ${baseline / onPrepared <= AIM_LOOPS ? 'holds' : 'does NOT hold'}`,
    `  with the preparation: ${(baseline / inArbitraryOrder).toFixed(1)} baseline loops (${(baseline / inIdOrder).toFixed(1)} sorted)`,
    `aim ≥ ${format(AIM)} evaluations/s: ${onPrepared >= AIM ? 'holds' : 'does NOT hold'} on prepared holdings, ` +
      `${inArbitraryOrder >= AIM ? 'holds' : 'does NOT hold'} with the preparation`,
  ];
  console.log(lines.join('\n'));
  if (sink === -1) console.log(sink);
}

try {
  main();
} catch (error) {
  console.error(error);
  process.exit(1);
}

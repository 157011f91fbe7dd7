/**
 * Impact benchmark (issue 13, point 7): one whole dry run of `GET /pathways/:id/revisions/:v/impact` — every page, as
 * `pathwayImpact` computes them for the api — over 100,000 learners of whom 10,000 hold an achievement the pathway
 * names. The aim: ≤ 2 s for the whole computation.
 *
 *   npm run build && node dist/bench/stacking/impact.bench.js [--learners N] [--holders N] [--limit N] [--rounds N]
 *
 * The transcript read model's tables are seeded directly with batched SQL (`generate_series`), in a throwaway database
 * on DATABASE_URL (default the local server) that is dropped afterwards; the achievement and pathway definitions live
 * in an in-memory event store. Every learner holds an award of `other` (so the awards table has one row per learner);
 * every tenth also holds `core-a`, and every other one of those `core-b`. Pathway `cert` v1 needs core-a and core-b,
 * v2 (latest) core-a only: the impact of v1 is that the holders of core-a alone lose.
 *
 * Measured in the same run, as a baseline: one query reading the folded transcripts of all the holders — the least
 * any evaluation from the read model must read. Each figure is the median of `--rounds` (default 3).
 *
 * A benchmark, not a test: it exits 0 whatever the figures, 1 only on errors.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { type DefinedPathway, pathwayImpact, StreamCommands } from '@app/application';
import { type Pathway, type PathwayEvent, pathwayDecider, pathwayStream } from '@app/domain';
import { InMemoryEventStore, pgSqlClient, type SqlClient } from '@app/event-store';
import { migrateReadSide } from '@app/read-models';
import { createThrowawayDatabase } from '../../test/support/postgres-server';

const AIM_SECONDS = 2;
const AT = '2026-06-01T09:00:00.000Z';

type Options = { learners: number; holders: number; limit: number; rounds: number };

function options(argv: readonly string[]): Options {
  const value = (name: string, fallback: number): number => {
    const at = argv.indexOf(name);
    const parsed = at >= 0 ? Number(argv[at + 1]) : fallback;
    if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`${name} must be a positive whole number`);
    return parsed;
  };
  return {
    learners: value('--learners', 100_000),
    holders: value('--holders', 10_000),
    limit: value('--limit', 200),
    rounds: value('--rounds', 3),
  };
}

const credit = { framework: 'ECTS', value: 5 };
const level = { framework: 'EQF', level: 6 };

/** The definitions `pathwayImpact` reads from the ledger: three achievements and the pathway's two versions. */
async function definitions(store: InMemoryEventStore): Promise<void> {
  for (const achievementId of ['core-a', 'core-b', 'other'])
    await store.appendToStream(`achievement-${achievementId}`, [
      {
        id: randomUUID(),
        type: 'AchievementDefined',
        data: {
          schemaVersion: 1,
          achievementId,
          issuerId: 'bench-uni',
          version: 1,
          definition: {
            title: achievementId,
            kind: 'skill',
            statement: `I can do ${achievementId}`,
            learningOutcomes: [achievementId],
            criteria: [{ id: 'do', description: 'Does it', required: true }],
            notionalHours: 50,
            level,
            credits: [credit],
            assessmentType: 'practical demonstration',
            supervision: { supervised: true, identityVerified: true },
            participation: 'blended',
            prerequisites: [],
          },
          definedAt: AT,
          definedBy: 'bench',
        },
      },
    ]);
  const definition = (achievements: string[]) => ({
    title: 'Certificate',
    award: { title: 'Certificate', type: 'Certificate', level, credits: [{ framework: 'ECTS', value: 10 }] },
    rule: { allOf: achievements.map((achievement) => ({ achievement })) },
    conferral: 'registrar',
    onBasisLost: 'invalidate',
  });
  const common = { schemaVersion: 1, pathwayId: 'cert', issuerId: 'bench-uni' };
  await store.appendToStream('pathway-cert', [
    {
      id: randomUUID(),
      type: 'PathwayDefined',
      data: { ...common, version: 1, definition: definition(['core-a', 'core-b']), definedAt: AT, definedBy: 'bench' },
    },
    {
      id: randomUUID(),
      type: 'PathwayRevised',
      data: { ...common, version: 2, definition: definition(['core-a']), revisedAt: AT, revisedBy: 'bench' },
    },
  ]);
}

/** The transcript read model, seeded in three statements; answers the seconds taken. */
async function seed(sql: SqlClient, { learners, holders }: Options): Promise<number> {
  const started = performance.now();
  const every = Math.max(1, Math.floor(learners / holders));
  const award = (achievement: string) =>
    `jsonb_build_object('awardId', '${achievement}-' || n, 'achievementId', '${achievement}', 'issuerId', 'bench-uni',
       'version', 1, 'assessmentId', 'assessment-' || n, 'issuedAt', '2026-01-01T09:00:00.000Z',
       'credits', '[${JSON.stringify(credit)}]'::jsonb, 'level', '${JSON.stringify(level)}'::jsonb, 'standing', 'active')`;
  const learner = `'learner-' || lpad(n::text, 7, '0')`;
  const holdsA = `n % ${every} = 0 AND n / ${every} <= ${holders}`;
  const holdsB = `${holdsA} AND (n / ${every}) % 2 = 0`;
  await sql.query(
    `INSERT INTO tessera_transcripts (learner_id, state, position)
     SELECT ${learner}, jsonb_build_object('learnerId', ${learner}, 'qualifications', '[]'::jsonb,
       'priorLearning', '[]'::jsonb, 'awards', jsonb_build_array(${award('other')})
         || CASE WHEN ${holdsA} THEN jsonb_build_array(${award('core-a')}) ELSE '[]'::jsonb END
         || CASE WHEN ${holdsB} THEN jsonb_build_array(${award('core-b')}) ELSE '[]'::jsonb END), n
     FROM generate_series(1, $1::int) AS n`,
    [learners],
  );
  const rows = (achievement: string, where: string) =>
    sql.query(
      `INSERT INTO tessera_transcript_awards (award_id, learner_id, issuer_id, achievement_id, version, status, standing,
         issued_at)
       SELECT '${achievement}-' || n, ${learner}, 'bench-uni', '${achievement}', 1, 'valid', 'active',
         '2026-01-01T09:00:00Z' FROM generate_series(1, $1::int) AS n WHERE ${where}`,
      [learners],
    );
  await rows('other', 'true');
  await rows('core-a', holdsA);
  await rows('core-b', holdsB);
  await sql.query('ANALYZE tessera_transcripts; ANALYZE tessera_transcript_awards');
  return (performance.now() - started) / 1000;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const database = await createThrowawayDatabase();
  const sql = pgSqlClient(database.url);
  try {
    await migrateReadSide(sql);
    const store = new InMemoryEventStore();
    await definitions(store);
    const streams = new StreamCommands(store);
    const pathway = (await streams.load<Pathway, PathwayEvent>(
      pathwayStream('cert'),
      pathwayDecider,
    )) as DefinedPathway;
    const seeded = await seed(sql, opts);

    const whole = async () => {
      let after: string | undefined;
      let pages = 0;
      let learners = 0;
      const lose: string[] = [];
      const gain: string[] = [];
      do {
        const page = await pathwayImpact(streams, sql.query, pathway, 1, AT, { after, limit: opts.limit });
        pages += 1;
        learners += page.learners;
        lose.push(...page.lose);
        gain.push(...page.gain);
        after = page.after;
      } while (after !== undefined);
      return { pages, learners, gain: gain.length, lose: lose.length };
    };
    const baseline = async () =>
      (
        await sql.query<{ n: number }>(
          `SELECT count(state)::int AS n FROM tessera_transcripts WHERE learner_id IN (
             SELECT DISTINCT learner_id FROM tessera_transcript_awards WHERE achievement_id IN ('core-a', 'core-b'))`,
        )
      )[0].n;

    const timed = async <T>(work: () => Promise<T>): Promise<[number, T]> => {
      const started = performance.now();
      const result = await work();
      return [(performance.now() - started) / 1000, result];
    };
    const runs: number[] = [];
    const baselines: number[] = [];
    let result = await whole(); // the warm-up
    let read = 0;
    for (let round = 0; round < opts.rounds; round++) {
      const [seconds, answer] = await timed(whole);
      runs.push(seconds);
      result = answer;
      const [baseSeconds, count] = await timed(baseline);
      baselines.push(baseSeconds);
      read = count;
    }
    const impact = median(runs);
    const base = median(baselines);
    const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
    console.log(
      [
        `impact bench — ${new Date().toISOString().slice(0, 10)}`,
        `node ${process.version} · ${cpu} · ${os.cpus().length} logical CPUs · load average at start ${os.loadavg()[0].toFixed(2)}`,
        `read model: ${opts.learners.toLocaleString('en-GB')} learners, ${opts.holders.toLocaleString('en-GB')} holding core-a ` +
          `(half of them core-b too), seeded in ${seeded.toFixed(1)} s`,
        `answer: ${result.learners} learners evaluated in ${result.pages} pages of ≤ ${opts.limit}: ` +
          `${result.gain} gain, ${result.lose} lose`,
        `median of ${opts.rounds} rounds:`,
        `  whole impact computation (every page) : ${(impact * 1000).toFixed(0)} ms ` +
          `(${((impact * 1000) / result.pages).toFixed(1)} ms a page)`,
        `  baseline, one query of the ${read} holders' transcripts : ${(base * 1000).toFixed(0)} ms`,
        `  the computation costs ${(impact / base).toFixed(1)} baselines`,
        `aim ≤ ${AIM_SECONDS} s: ${impact <= AIM_SECONDS ? 'holds' : 'does NOT hold'}`,
      ].join('\n'),
    );
  } finally {
    await sql.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

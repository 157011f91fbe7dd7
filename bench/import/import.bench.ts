/**
 * Bulk import benchmark: how many CSV rows per second `tessera import evidence` turns into events — parsed, decided
 * by the record decider, chained into the audit hash chain and batch-appended — next to two baselines measured in the
 * same run on the same server, in a throwaway database created and dropped by this run:
 *
 *   (a) the same rows as plain batched INSERTs into a plain table (the server storing the rows, nothing decided);
 *   (b) the event store's batch append of ready-made events of the same size, one per row (the store's share).
 *
 *   npm run build && npm run bench:import -- [--rows N] [--batch N] [--workers N[,N…]]
 *
 * `--workers 1,2` runs (c) once per worker count, each on a file of its own (other refs, other learners), in the same
 * run: the ratios of the counts measured side by side. (d) runs the last of them again.
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server. The aims are 20,000 rows/s on
 * 1,000,000 rows (`--rows 1000000`) and (c) ≥ 0.5 × (b) in the same run; the default, 100,000 rows, keeps a run short on a shared machine. A benchmark,
 * not a test: it exits 0 whatever the figures, 1 only on errors.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importCatalogue, parseCatalogue, StreamCommands } from '../../libs/application/src';
import { MAX_EVENTS_PER_BATCH } from '../../libs/event-store/src/event-store.port';
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres.event-store';
import { pgSqlClient } from '../../libs/event-store/src/postgres/sql-client';
import { runCli } from '../../apps/cli/src/cli';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const AIM_ROWS_PER_SECOND = 20_000;
/** (c) against the store's own batch append (b), in the same run. */
const AIM_VS_STORE = 0.5;
/** Run from the repository (npm run does): the example catalogue is read from there. */
const REPO = process.cwd();
const ACHIEVEMENTS: Array<[string, string]> = [
  ['sql-querying', 'joins;aggregates'],
  ['data-modelling', 'erd'],
  ['data-governance', 'principles;roles'],
  ['professional-ethics', 'acts'],
  ['pipeline-engineering', 'tested'],
  ['data-visualisation', 'encoding'],
  ['distributed-data-systems', 'replication'],
];
const HEADER = 'evidenceRef,learnerId,achievementId,kind,criterionIds,description,observedAt';

interface Options {
  readonly rows: number;
  readonly batch: number;
  /** The importer's --workers, one (c) each; [undefined]: once, with the CLI's default. */
  readonly workers: ReadonlyArray<number | undefined>;
}

function parseOptions(argv: readonly string[]): Options {
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    if (index === -1) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} needs a whole number`);
    return parsed;
  };
  const listed = argv.includes('--workers')
    ? String(argv[argv.indexOf('--workers') + 1])
        .split(',')
        .map(Number)
    : [];
  if (listed.some((count) => !Number.isInteger(count) || count < 1)) throw new Error('--workers needs whole numbers');
  return {
    rows: value('--rows', 100_000),
    batch: value('--batch', 2000),
    workers: listed.length ? listed : [undefined],
  };
}

/** Row i: one learner per 7 rows, each on a different achievement, so most rows start a new record stream. */
function row(index: number, prefix = ''): string[] {
  const [achievement, criteria] = ACHIEVEMENTS[index % ACHIEVEMENTS.length];
  return [
    `bench-${prefix}${index}`,
    `learner-${prefix}${Math.floor(index / ACHIEVEMENTS.length)}`,
    achievement,
    'accomplishment',
    criteria,
    `Portfolio item ${index} observed in the lab`,
    '2026-04-01T10:00:00Z',
  ];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const serverUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const database = `tessera_bench_import_${Date.now()}`;
  const admin = pgSqlClient(serverUrl, { max: 1 });
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-import-'));
  const [{ version }] = await admin.query<{ version: string }>('SELECT version()');
  await admin.query(`CREATE DATABASE ${database}`);
  try {
    console.log(`Bulk import benchmark, ${new Date().toISOString()}`);
    console.log(
      `node ${process.version}; CPU ${os.cpus()[0]?.model}; ${os.cpus().length} cores; load average at start ${os.loadavg()[0].toFixed(2)}`,
    );
    console.log(`${version.split(',')[0]} at ${url.host}, database ${database} (dropped afterwards)`);
    console.log(
      `${options.rows} evidence rows, ${options.batch} rows per batch, importer workers: ${options.workers.map((count) => count ?? 'the CLI default').join(', ')}\n`,
    );

    /** A file per (c), its refs and learners its own: each run starts every stream. */
    const files = options.workers.map((count, at) => {
      const file = path.join(scratch, `evidence-${at}.csv`);
      const prefix = options.workers.length === 1 ? '' : `w${count}-${at}-`;
      const lines = [HEADER];
      for (let index = 0; index < options.rows; index++) lines.push(row(index, prefix).join(','));
      writeFileSync(file, `${lines.join('\n')}\n`);
      return file;
    });

    const store = await PostgresEventStore.open(pgSqlClient(url.toString()));
    const catalogueFile = path.join(REPO, 'examples/catalogue.yaml');
    await importCatalogue(
      new StreamCommands(store),
      parseCatalogue(catalogueFile, readFileSync(catalogueFile, 'utf8')),
      { actorSub: 'bench', now: new Date().toISOString() },
    );

    const results: Array<[string, number, number]> = [];
    const time = async (label: string, work: () => Promise<void>) => {
      const started = performance.now();
      await work();
      const seconds = (performance.now() - started) / 1000;
      results.push([label, options.rows / seconds, seconds]);
      console.log(`  ${label} ... ${Math.round(options.rows / seconds)} rows/s`);
    };

    console.log('running:');
    await time('(a) plain batched INSERT of the rows', async () => {
      await store.sql.query(
        'CREATE TABLE bench_rows (ref text PRIMARY KEY, learner text, achievement text, kind text, criteria text, description text, observed_at timestamptz)',
      );
      for (let start = 0; start < options.rows; start += options.batch) {
        const batch = [];
        for (let index = start; index < Math.min(start + options.batch, options.rows); index++) batch.push(row(index));
        await store.sql.query(
          `INSERT INTO bench_rows SELECT r->>0, r->>1, r->>2, r->>3, r->>4, r->>5, (r->>6)::timestamptz
           FROM jsonb_array_elements($1::jsonb) AS r`,
          [JSON.stringify(batch)],
        );
      }
    });

    const sample = (
      await store.readAll({ maxCount: 1, filter: { eventTypes: ['AchievementDefined'] }, visibility: 'committed' })
    )[0];
    await time('(b) event store batch append, ready-made events', async () => {
      const perBatch = Math.min(options.batch, MAX_EVENTS_PER_BATCH);
      for (let start = 0; start < options.rows; start += perBatch) {
        const parts = [];
        for (let index = start; index < Math.min(start + perBatch, options.rows); index++)
          parts.push({
            stream: `bench-ready-${index}`,
            expectedRevision: 'no_stream' as const,
            events: [
              { id: randomUUID(), type: 'EvidenceSubmitted', data: { row: row(index) }, metadata: sample.metadata },
            ],
          });
        await store.appendToStreams(parts);
      }
    });
    await store.close();

    const io = (sink: string[]) => ({
      env: { ...process.env, DATABASE_URL: url.toString(), TESSERA_JWT_SECRET: 'bench-'.repeat(8) },
      cwd: REPO,
      out: (text: string) => void sink.push(text),
      err: (text: string) => void sink.push(text),
      interactive: false,
    });
    const said: string[] = [];
    const argsOf = (file: string, count: number | undefined) => [
      'import',
      'evidence',
      file,
      '--quiet',
      '--batch',
      String(options.batch),
      ...(count === undefined ? [] : ['--workers', String(count)]),
    ];
    const run = async (args: string[]) => {
      if ((await runCli(args, io(said))) !== 0) throw new Error(said.join(''));
    };
    for (const [at, count] of options.workers.entries())
      await time(
        `(c) tessera import evidence: parse, decide, chain, batch append${count === undefined ? '' : `, --workers ${count}`}`,
        () => run(argsOf(files[at], count)),
      );
    await time('(d) the same file again: every row already present', () =>
      run(argsOf(files.at(-1)!, options.workers.at(-1))),
    );
    console.log(`\n${said.join('')}`);

    const width = Math.max(...results.map(([label]) => label.length));
    console.log(`${'benchmark'.padEnd(width)}  rows/s   seconds`);
    console.log('-'.repeat(width + 19));
    for (const [label, rate, seconds] of results)
      console.log(`${label.padEnd(width)}  ${String(Math.round(rate)).padStart(6)}  ${seconds.toFixed(1).padStart(8)}`);
    const [, baseline] = results[0];
    const [, store_] = results[1];
    const imports = results.slice(2, 2 + options.workers.length);
    for (const [label, imported] of imports) {
      const which = imports.length > 1 ? ` (${label.slice(label.lastIndexOf(',') + 2)})` : '';
      console.log(
        `\n(c)/(a) = ${(imported / baseline).toFixed(2)}   (c)/(b) = ${(imported / store_).toFixed(2)}${which}`,
      );
      console.log(
        `aim: (c)/(b) ≥ ${AIM_VS_STORE}: ${imported / store_ >= AIM_VS_STORE ? 'MET' : 'NOT MET'} at ${(imported / store_).toFixed(2)}${which}`,
      );
      console.log(
        `aim: ${AIM_ROWS_PER_SECOND} rows/s on 1,000,000 rows: ${imported >= AIM_ROWS_PER_SECOND ? 'MET' : 'NOT MET'} at ${Math.round(imported)} rows/s on ${options.rows} rows${which}`,
      );
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

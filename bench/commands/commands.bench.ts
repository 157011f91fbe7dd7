/**
 * Command throughput benchmark: how many learner-record commands per second the api answers over HTTP, next to
 * the ceiling of plain autocommit INSERTs of an event-shaped row at the same concurrency, on the same PostgreSQL
 * server, in a throwaway database created and dropped by this run.
 *
 *   npm run build && npm run bench:commands -- [--seconds N] [--warmup N] [--workers N] [--explain]
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server, and the database to connect
 * to in order to create and drop `tessera_bench_cmd_<timestamp>`. The api runs in this process
 * (createApiApp + listen on 127.0.0.1, an ephemeral port), with its defaults: inline projections, its own pool.
 *
 * For 8 and 64 connections:
 *  - ceiling: N writers, each on its own `pg` connection, insert one row at a time (autocommit) into a table made
 *    LIKE tessera_events (its columns and all its indexes), every row to a new stream at revision 0;
 *  - commands: autocannon keeps N HTTP connections busy with flows of three commands on a fresh learner id
 *    (evidence → assessment citing that evidence → award), so every flow writes a new record stream. A command
 *    counts only when it answers 2xx; every other status is an error, reported by status.
 * Then the api as `npm start` runs it, TESSERA_WORKERS=1 and 2 (a primary and its workers, built dist/), at 64
 * connections, with its CPU time (from /proc) and its statements (statement-count.ts, loaded into every worker).
 * Each run is preceded by a discarded warm-up. `--workers N` (default 1) runs autocannon in N worker threads so
 * the load generator does not share the api's event loop; `--workers 0` keeps it on the api's thread.
 * `--explain` adds diagnostic runs (not results): the anatomy of a command inside the api (anatomy.ts) at 1 and 64
 * connections, the ceiling with as many writers as the api's pool has connections, Idempotency-Key on every
 * command, and the api with its projections off.
 *
 * A benchmark, not a test: it exits 0 whatever the figures; 1 on errors: a failure of the run, a non-2xx answer,
 * a connection error or timeout, or fewer record events in the ledger than commands answered 2xx.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TesseraConfig } from '@app/config';
import { type INestApplication, Logger } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { RecordCommand } from '@app/domain';
import autocannon from 'autocannon';
import type { Pool } from 'pg';
import type { Actor } from '../../apps/api/src/auth/actor';
import { TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { type CommandMetadata, deriveId, domainMetadata } from '../../apps/api/src/commands/command-metadata';
import { ExecuteRecordCommand } from '../../apps/api/src/records/record.handler';
import { SQL_CLIENT } from '../../apps/api/src/storage.tokens';
import type { SqlClient } from '../../libs/event-store/src/postgres/sql-client';
import { CommandAnatomy } from './anatomy';
import { createFastifyApiApp } from './fastify-api';
import { CRITERION_ID, EVIDENCE, type FlowContext, LEARNER_PLACEHOLDER } from './flow';
import {
  apiUsage,
  type BenchApi,
  defineAchievement,
  type InProcessApi as BenchInProcessApi,
  post,
  settle,
  startInProcessApi,
} from '../support/api';
import {
  drive,
  type Load,
  percentile,
  procCpuMs,
  sleep,
  runBenchmark,
  stopOnSigint,
  withLoad,
} from '../support/measure';
import {
  type CeilingResult,
  type CeilingRow,
  ceilingRowOf,
  checkpoint,
  machineLine,
  runCeiling,
  withBenchDatabase,
} from '../support/postgres';
import { countApiStatements } from '../support/statement-count';
import { formatTable, ms, percent } from '../support/table';

const CONCURRENCY = [8, 64] as const;
/** The aim: commands/s ≥ 0.5 × the ceiling's events/s, at 64. */
const AIM = 0.5;
const AIM_AT = 64;
/** The api's pool size (pgSqlClient's default max), for the `--explain` ceiling. */
const API_POOL_SIZE = 16;
const JWT_SECRET = `tessera-bench-${randomUUID()}`;
const ISSUER_ID = 'bench-university';
const ACHIEVEMENT_ID = 'bench-sql-querying';
/** The api runs as `npm start` runs it, TESSERA_WORKERS=N, at this many connections. */
const API_WORKERS = [1, 2] as const;
const API_MAIN = path.join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.js');
const STATEMENT_COUNT = path.join(__dirname, '..', 'support', 'statement-count.js');
const SETUP_REQUEST = path.join(__dirname, 'flow-setup-request.js');
const ON_RESPONSE = path.join(__dirname, 'flow-on-response.js');

const ACTORS = {
  admin: { sub: 'bench-admin', roles: ['admin'], issuers: [] },
  issuerAdmin: { sub: 'bench-issuer-admin', roles: ['issuer-admin'], issuers: [ISSUER_ID] },
  assessor: { sub: 'bench-assessor', roles: ['assessor'], issuers: [ISSUER_ID] },
} satisfies Record<string, Actor>;

interface Options {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly workers: number;
  readonly explain: boolean;
}

interface CommandsResult extends Load {
  readonly label: string;
  readonly connections: number;
  readonly commands: number;
  readonly seconds: number;
  readonly commandsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Count by status of every non-2xx answer. */
  readonly errorsByStatus: Readonly<Record<string, number>>;
  readonly connectionErrors: number;
  readonly timeouts: number;
  /** Flows abandoned because a step before did not answer as expected. */
  readonly abandonedFlows: number;
  /** The api's CPU time over the run and until its projections caught up (see `Api.cpuMs`). */
  readonly apiCpuMs: number;
  /** Statements the api sent over the run and until its projections caught up. */
  readonly statements: number;
}

/** Everything the run needs to reach the api. */
interface Api extends BenchApi {
  readonly anatomy?: CommandAnatomy;
}

/** The api in this process, as createApiApp builds it. */
type InProcessApi = Api & BenchInProcessApi;

/** The api in this process, listening on an ephemeral port of 127.0.0.1; instrumented when `anatomy` is asked. */
async function startApi(
  url: string,
  env: Record<string, string>,
  anatomy?: CommandAnatomy,
  create?: (config: TesseraConfig) => Promise<INestApplication>,
): Promise<InProcessApi> {
  const prepare =
    anatomy &&
    ((app: INestApplication) => anatomy.install(app, app.get<symbol, SqlClient & { pool: Pool }>(SQL_CLIENT)));
  return { ...(await startInProcessApi(url, env, JWT_SECRET, { create, prepare })), anatomy };
}

/** Every command answered 2xx (or done on the bus) by any run, warm-ups and diagnostics included, for the ledger check. */
let commandsDone = 0;

function parseOptions(argv: readonly string[]): Options {
  let seconds = 10;
  let warmupSeconds: number | undefined;
  let workers = 1;
  let explain = false;
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2) as [string, string | undefined];
    const value = (minimum: number): number => {
      const text = inline ?? argv[++index];
      const parsed = Number(text);
      if (text === undefined || !Number.isFinite(parsed) || parsed < minimum)
        throw new Error(`${flag} needs a number ≥ ${minimum}`);
      return parsed;
    };
    if (flag === '--seconds') seconds = Math.max(1, Math.round(value(1)));
    else if (flag === '--warmup') warmupSeconds = Math.round(value(0));
    else if (flag === '--workers') workers = Math.round(value(0));
    else if (flag === '--explain') explain = true;
    else throw new Error(`Unknown argument ${argv[index]} (expected --seconds N, --warmup N, --workers N, --explain)`);
  }
  return { seconds, warmupSeconds: warmupSeconds ?? Math.min(2, Math.ceil(seconds / 5)), workers, explain };
}

/**
 * One flow loop on the command bus, as the controllers build the commands, without HTTP: evidence, assessment,
 * award on a fresh learner id, one command per call.
 */
function busFlow(bus: CommandBus): () => Promise<void> {
  let step = 0;
  let learnerId = '';
  let evidenceId = '';
  return async () => {
    const commandId = randomUUID();
    const metadata: CommandMetadata = {
      commandId,
      correlationId: commandId,
      actor: ACTORS.assessor,
      now: new Date().toISOString(),
    };
    if (step === 0) {
      learnerId = randomUUID();
      evidenceId = deriveId(commandId, 'evidence');
    }
    const key = { learnerId, achievementId: ACHIEVEMENT_ID };
    const { criterionIds, description, artifact, observedAt } = EVIDENCE;
    const command: RecordCommand =
      step === 0
        ? {
            type: 'SubmitEvidence',
            data: {
              ...key,
              evidenceId,
              kind: 'accomplishment',
              criterionIds: [...criterionIds],
              description,
              artifact,
              observedAt,
            },
            metadata: domainMetadata(metadata),
          }
        : step === 1
          ? {
              type: 'RecordAssessment',
              data: {
                ...key,
                assessmentId: deriveId(commandId, 'assessment'),
                evidenceIds: [evidenceId],
                results: [{ criterionId: CRITERION_ID, met: true }],
              },
              metadata: domainMetadata(metadata),
            }
          : {
              type: 'AwardAchievement',
              data: { ...key, awardId: deriveId(commandId, 'award') },
              metadata: domainMetadata(metadata),
            };
    step = (step + 1) % 3;
    await bus.execute(new ExecuteRecordCommand(command, metadata));
    commandsDone++;
  };
}

/** Diagnostic: the same flows straight on the api's command bus, `concurrency` at a time, no HTTP. */
async function runBus(
  api: InProcessApi,
  db: Pool,
  admin: Pool,
  options: Options,
  concurrency: number,
): Promise<CommandsResult> {
  const label = `commands on the command bus, no HTTP, ${concurrency} concurrent`;
  process.stdout.write(`  ${label} ... `);
  const bus = api.app.get(CommandBus);
  if (options.warmupSeconds > 0) await drive(concurrency, options.warmupSeconds * 1000, () => busFlow(bus));
  await settle(api, db);
  await checkpoint(admin);
  const usage = apiUsage(api);
  const measured = await withLoad(() => drive(concurrency, options.seconds * 1000, () => busFlow(bus)));
  const latencies = measured.latencies.sort((x, y) => x - y);
  const commandsPerSecond = latencies.length / measured.seconds;
  process.stdout.write(`${Math.round(commandsPerSecond)} commands/s\n`);
  await settle(api, db);
  return {
    ...usage(),
    label,
    connections: concurrency,
    commands: latencies.length,
    seconds: measured.seconds,
    commandsPerSecond,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    errorsByStatus: {},
    connectionErrors: 0,
    timeouts: 0,
    abandonedFlows: 0,
    hostBusy: measured.hostBusy,
    loopBusy: measured.loopBusy,
    loopBusyMs: measured.loopBusyMs,
  };
}

/**
 * The api as `npm start` runs it with TESSERA_WORKERS=`workers` (the built dist/, inline projections), in processes
 * of its own, with statement-count.ts loaded into each; answers once every worker listens.
 */
async function startWorkers(url: string, workers: number): Promise<Api> {
  const statementsDir = mkdtempSync(path.join(os.tmpdir(), 'tessera-bench-statements-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: url,
    TESSERA_JWT_SECRET: JWT_SECRET,
    TESSERA_RATE_LIMIT: '10000000',
    TESSERA_WORKERS: String(workers),
    PORT: '0',
    PGAPPNAME: '',
    TESSERA_BENCH_STATEMENTS_DIR: statementsDir,
  };
  delete env.EVENTSTORE_URL;
  const primary = spawn(process.execPath, ['--require', STATEMENT_COUNT, API_MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  primary.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  primary.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => primary.once('exit', () => resolve()));
  const workerPids = () => [...output.matchAll(/worker \d+ \(pid (\d+)\) listening/g)].map((match) => match[1]);
  const deadline = Date.now() + 60_000;
  let port: number | undefined;
  while (port === undefined || workerPids().length < workers) {
    if (primary.exitCode !== null || Date.now() > deadline) {
      rmSync(statementsDir, { recursive: true, force: true });
      throw new Error(`TESSERA_WORKERS=${workers} did not start:\n${output}`);
    }
    port = Number(/worker\(s\) listening on http:\/\/localhost:(\d+)/.exec(output)?.[1]) || undefined;
    await sleep(50);
  }
  const countFiles = () =>
    readdirSync(statementsDir)
      .filter((file) => !file.endsWith('.next'))
      .map((file) => path.join(statementsDir, file));
  return {
    port,
    projections: true,
    cpuMs: () => [String(primary.pid), ...workerPids()].reduce((sum, pid) => sum + procCpuMs(`/proc/${pid}/stat`), 0),
    // Written every 100 ms: let the last batch of a settled run reach its file.
    statements: () => countFiles().reduce((sum, file) => sum + Number(readFileSync(file, 'utf8') || 0), 0),
    close: async () => {
      stopProcess(primary);
      await exited;
      rmSync(statementsDir, { recursive: true, force: true });
    },
  };
}

function stopProcess(child: ChildProcess): void {
  if (child.exitCode === null) child.kill('SIGTERM');
}

/**
 * One flow by hand before any measurement: it fails fast, with the api's answer, when the flow does not work; and it
 * gives the ceiling its row, a copy of this evidence's event.
 */
async function smokeFlow(api: Api, db: Pool, token: string): Promise<CeilingRow> {
  const record = `/learners/${randomUUID()}/achievements/${ACHIEVEMENT_ID}`;
  const evidence = (await post(api, token, `${record}/evidence`, EVIDENCE)) as { evidenceId: string };
  const assessment = (await post(api, token, `${record}/assessments`, {
    evidenceIds: [evidence.evidenceId],
    results: [{ criterionId: CRITERION_ID, met: true }],
  })) as { outcome: string };
  if (assessment.outcome !== 'passed') throw new Error(`the assessment answered ${JSON.stringify(assessment)}`);
  await post(api, token, `${record}/award`, {});
  commandsDone += 3;
  return ceilingRowOf(db);
}

/** autocannon: `connections` connections, each looping evidence → assessment → award on a fresh learner. */
async function cannon(
  api: Api,
  token: string,
  connections: number,
  seconds: number,
  workers: number,
  context: FlowContext,
): Promise<autocannon.Result> {
  const record = `/learners/${LEARNER_PLACEHOLDER}/achievements/${ACHIEVEMENT_ID}`;
  const result = await autocannon({
    url: `http://127.0.0.1:${api.port}`,
    connections,
    duration: seconds,
    timeout: 30,
    ...(workers > 0 ? { workers } : {}),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    initialContext: context,
    requests: [
      { method: 'POST', path: `${record}/evidence`, setupRequest: SETUP_REQUEST, onResponse: ON_RESPONSE },
      { method: 'POST', path: `${record}/assessments`, setupRequest: SETUP_REQUEST, onResponse: ON_RESPONSE },
      { method: 'POST', path: `${record}/award`, setupRequest: SETUP_REQUEST },
    ],
  });
  commandsDone += result['2xx'];
  return result;
}

/** One measured autocannon run after a discarded warm-up. */
async function runCommands(
  label: string,
  api: Api,
  db: Pool,
  admin: Pool,
  token: string,
  options: Options,
  connections: number,
  context: FlowContext = {},
): Promise<CommandsResult> {
  process.stdout.write(`  ${label} ... `);
  if (options.warmupSeconds > 0) {
    await cannon(api, token, connections, options.warmupSeconds, options.workers, context);
    await settle(api, db);
  }
  await checkpoint(admin);
  api.anatomy?.reset();
  const usage = apiUsage(api);
  const measured = await withLoad(async () => ({
    result: await cannon(api, token, connections, options.seconds, options.workers, context),
  }));
  const { result } = measured;
  const errorsByStatus = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {})
      .filter(([status]) => !status.startsWith('2'))
      .map(([status, stats]) => [status, stats.count ?? 0]),
  );
  const commands = result['2xx'];
  const outcome: Omit<CommandsResult, 'apiCpuMs' | 'statements'> = {
    label,
    connections,
    commands,
    seconds: result.duration,
    commandsPerSecond: commands / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errorsByStatus,
    connectionErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    abandonedFlows: result.resets,
    hostBusy: measured.hostBusy,
    loopBusy: measured.loopBusy,
    loopBusyMs: measured.loopBusyMs,
  };
  process.stdout.write(
    `${Math.round(outcome.commandsPerSecond)} commands/s${errorCount(outcome) ? ' (errors)' : ''}\n`,
  );
  if (api.anatomy) console.log(api.anatomy.report(outcome.loopBusyMs, outcome.seconds));
  await settle(api, db);
  return { ...outcome, ...usage() };
}

function errorCount(
  result: Pick<CommandsResult, 'errorsByStatus' | 'connectionErrors' | 'timeouts' | 'abandonedFlows'>,
): number {
  return (
    Object.values(result.errorsByStatus).reduce((sum, count) => sum + count, 0) +
    result.connectionErrors +
    result.timeouts +
    result.abandonedFlows
  );
}

function describeErrors(result: CommandsResult): string {
  const parts = Object.entries(result.errorsByStatus).map(([status, count]) => `${count} × ${status}`);
  if (result.connectionErrors) parts.push(`${result.connectionErrors} connection errors`);
  if (result.timeouts) parts.push(`${result.timeouts} timeouts`);
  if (result.abandonedFlows) parts.push(`${result.abandonedFlows} flows abandoned after a failed step`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function resultsTable(pairs: readonly { ceiling: CeilingResult; commands: CommandsResult }[]): string {
  return formatTable(
    [
      'connections',
      'ceiling events/s',
      'p50 ms',
      'p99 ms',
      'commands/s',
      '÷ ceiling',
      'p50 ms',
      'p99 ms',
      'errors',
      'api thread busy',
      'ms/command',
      'host busy',
    ],
    pairs.map(({ ceiling, commands }) => [
      String(commands.connections),
      ceiling.eventsPerSecond.toFixed(0),
      ms(ceiling.p50Ms),
      ms(ceiling.p99Ms),
      commands.commandsPerSecond.toFixed(0),
      (commands.commandsPerSecond / ceiling.eventsPerSecond).toFixed(2),
      ms(commands.p50Ms),
      ms(commands.p99Ms),
      String(errorCount(commands)),
      percent(commands.loopBusy),
      ms(commands.loopBusyMs / commands.commands),
      percent(commands.hostBusy),
    ]),
  );
}

/** The api at 64 connections, each way it ran, against the ceiling of the same run. */
function processesTable(ceiling: CeilingResult, runs: readonly { way: string; run: CommandsResult }[]): string {
  return formatTable(
    [
      `api at ${AIM_AT} connections`,
      'commands/s',
      `÷ ceiling (${ceiling.eventsPerSecond.toFixed(0)}/s)`,
      'p50 ms',
      'p99 ms',
      'errors',
      'api CPU ms/command',
      'statements/command',
      'host busy',
    ],
    runs.map(({ way, run }) => [
      way,
      run.commandsPerSecond.toFixed(0),
      (run.commandsPerSecond / ceiling.eventsPerSecond).toFixed(2),
      ms(run.p50Ms),
      ms(run.p99Ms),
      String(errorCount(run)),
      ms(run.apiCpuMs / run.commands),
      (run.statements / run.commands).toFixed(1),
      percent(run.hostBusy),
    ]),
  );
}

function diagnosticsTable(ceilings: readonly CeilingResult[], runs: readonly CommandsResult[]): string {
  return formatTable(
    ['diagnostic', 'per second', 'p50 ms', 'p99 ms', 'errors', 'api thread busy', 'ms/operation', 'host busy'],
    [
      ...ceilings.map((ceiling) => [
        `ceiling, ${ceiling.writers} writers (events)`,
        ceiling.eventsPerSecond.toFixed(0),
        ms(ceiling.p50Ms),
        ms(ceiling.p99Ms),
        '0',
        percent(ceiling.loopBusy),
        ms(ceiling.loopBusyMs / ceiling.events),
        percent(ceiling.hostBusy),
      ]),
      ...runs.map((run) => [
        `${run.label} (commands)`,
        run.commandsPerSecond.toFixed(0),
        ms(run.p50Ms),
        ms(run.p99Ms),
        String(errorCount(run)),
        percent(run.loopBusy),
        ms(run.loopBusyMs / run.commands),
        percent(run.hostBusy),
      ]),
    ],
  );
}

async function main(): Promise<boolean> {
  const options = parseOptions(process.argv.slice(2));
  stopOnSigint();
  Logger.overrideLogger(['error', 'warn']);
  countApiStatements();
  return withBenchDatabase('tessera_bench_cmd', async ({ url, db, admin, server }) => {
    let api: Api | undefined;
    try {
      const header = [
        machineLine('Command throughput benchmark'),
        server,
        `${options.seconds} s measured per run after ${options.warmupSeconds} s warm-up; autocannon ` +
          (options.workers > 0 ? `in ${options.workers} worker thread(s)` : 'on the api thread') +
          `; the api in this process: inline projections, its own pg pool (max ${API_POOL_SIZE}); then as ` +
          `\`npm start\` runs it with TESSERA_WORKERS=${API_WORKERS.join(' and ')} (built dist/, a pool of ` +
          `${API_POOL_SIZE} per worker, inline projections owned by one worker), at ${AIM_AT} connections`,
        `commands: flows of evidence → assessment → award on a fresh learner id each (a new record stream per flow), ` +
          `one achievement (1 required criterion, no validity); counted when 2xx`,
        `ceiling: N writers on N pg connections, single-row autocommit INSERT of a copy of the api's first ` +
          `EvidenceSubmitted event (its data and metadata) into a table LIKE tessera_events (columns and all its ` +
          `indexes), each row a new stream at revision 0`,
      ].join('\n');
      console.log(`${header}\n\nrunning:`);

      api = await startApi(url, {});
      const verifier = new TokenVerifier(JWT_SECRET);
      const tokens = {
        admin: await verifier.sign(ACTORS.admin, '6h'),
        issuerAdmin: await verifier.sign(ACTORS.issuerAdmin, '6h'),
        assessor: await verifier.sign(ACTORS.assessor, '6h'),
      };
      await defineAchievement(api, tokens, {
        issuerId: ISSUER_ID,
        achievementId: ACHIEVEMENT_ID,
        criterionId: CRITERION_ID,
      });
      const ceilingRow = await smokeFlow(api, db, tokens.assessor);
      await settle(api, db);

      const pairs: { ceiling: CeilingResult; commands: CommandsResult }[] = [];
      for (const connections of CONCURRENCY) {
        const ceiling = await runCeiling(admin, url, options, ceilingRow, connections);
        const commands = await runCommands(
          `commands, ${connections} connections`,
          api,
          db,
          admin,
          tokens.assessor,
          options,
          connections,
        );
        pairs.push({ ceiling, commands });
      }

      // One api at a time: a second one's projection runner would stand by, and the first would project for both.
      await api.close();
      api = undefined;
      /** The commands at 64 on an api of its own, started for the run and closed after it. */
      const ledgerPool = db;
      const runAlone = async (way: string, start: () => Promise<Api>): Promise<CommandsResult> => {
        api = await start();
        const run = await runCommands(
          `commands, ${AIM_AT} connections, ${way}`,
          api,
          ledgerPool,
          admin,
          tokens.assessor,
          options,
          AIM_AT,
        );
        await api.close();
        api = undefined;
        return run;
      };
      // The same in this process on Fastify, for the HTTP layer's share (fastify-api.ts: measured, not taken).
      const fastify = await runAlone('Fastify', () => startApi(url, {}, undefined, createFastifyApiApp));
      // The api as `npm start` runs it, in processes of its own.
      const processRuns: CommandsResult[] = [];
      for (const workers of API_WORKERS)
        processRuns.push(await runAlone(`TESSERA_WORKERS=${workers}`, () => startWorkers(url, workers)));

      const diagnosticCeilings: CeilingResult[] = [];
      const diagnostics: CommandsResult[] = [];
      if (options.explain) {
        console.log('diagnostics (not results):');
        diagnosticCeilings.push(await runCeiling(admin, url, options, ceilingRow, API_POOL_SIZE));
        const inProcess = await startApi(url, {});
        api = inProcess;
        diagnostics.push(await runBus(inProcess, db, admin, options, 64));
        diagnostics.push(
          await runCommands(
            `commands, 64 connections, Idempotency-Key on each`,
            api,
            db,
            admin,
            tokens.assessor,
            options,
            64,
            { idempotencyKeys: true },
          ),
        );
        await api.close();
        api = undefined;
        api = await startApi(url, { TESSERA_PROJECTIONS: 'off' });
        diagnostics.push(
          await runCommands(`commands, 64 connections, projections off`, api, db, admin, tokens.assessor, options, 64),
        );
        await api.close();
        api = undefined;
        api = await startApi(url, {}, new CommandAnatomy());
        for (const connections of [1, 64])
          diagnostics.push(
            await runCommands(
              `commands, ${connections} connection(s), instrumented`,
              api,
              db,
              admin,
              tokens.assessor,
              options,
              connections,
            ),
          );
      }

      const { rows: ledger } = await db.query<{ type: string; n: number; data: number; metadata: number }>(
        `SELECT type, count(*)::int AS n, avg(octet_length(data::text))::int AS data,
              avg(octet_length(metadata::text))::int AS metadata
       FROM tessera_events WHERE stream_name LIKE 'record-%' GROUP BY type ORDER BY min(position)`,
      );
      const recorded = ledger.reduce((sum, row) => sum + row.n, 0);
      const { rows: indexes } = await db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'tessera_events' ORDER BY indexname`,
      );
      const at64 = pairs.find((pair) => pair.commands.connections === AIM_AT);
      const ratio = at64 ? at64.commands.commandsPerSecond / at64.ceiling.eventsPerSecond : NaN;
      console.log(`\n${header}\n\n${resultsTable(pairs)}\n`);
      if (at64)
        console.log(
          `${processesTable(at64.ceiling, [
            { way: "in the bench's process, Express", run: at64.commands },
            { way: "in the bench's process, Fastify (bench-side)", run: fastify },
            ...processRuns.map((run, index) => ({ way: `TESSERA_WORKERS=${API_WORKERS[index]}`, run })),
          ])}\n`,
        );
      console.log(
        'latencies: the ceiling per INSERT, the commands per 2xx answer; errors: non-2xx answers, connection errors, ' +
          'timeouts and abandoned flows; api thread busy: event-loop utilisation of the thread the api runs on, ' +
          'and ms/command its busy time per 2xx command; api CPU: the user and system CPU time of the api (in the ' +
          "bench's process: its main thread; TESSERA_WORKERS: the primary and every worker, all their threads) and " +
          'statements: the queries its pg clients sent (one round trip each), both from the start of the measured run ' +
          'until the projections caught up, per 2xx command',
      );
      for (const { commands } of [...pairs, ...[fastify, ...processRuns].map((commands) => ({ commands }))])
        console.log(`errors, ${commands.label}: ${describeErrors(commands)}`);
      console.log(
        `\ncommands/s ÷ ceiling at ${AIM_AT} = ${ratio.toFixed(2)}   aim ≥ ${AIM.toFixed(1)} × ceiling: ${
          ratio >= AIM ? 'MET' : 'NOT MET'
        }`,
      );
      console.log(
        `ledger: ${recorded} record events for ${commandsDone} commands answered 2xx or done on the bus (warm-ups and ` +
          `diagnostics included; the difference is requests still in flight when a run stopped)`,
      );
      console.log(
        `indexes of tessera_events, and so of the ceiling tables (${indexes.length}): ` +
          indexes.map((index) => index.indexdef.replace(/^.* USING btree /, '')).join(', '),
      );
      console.log(
        `row sizes as PostgreSQL prints jsonb: ceiling ${Buffer.byteLength(ceilingRow.data)} B data + ` +
          `${Buffer.byteLength(ceilingRow.metadata)} B metadata; the api's events on average ` +
          ledger.map((row) => `${row.type} ${row.data} B + ${row.metadata} B`).join(', '),
      );
      if (diagnostics.length > 0)
        console.log(
          `\ndiagnostics, not results (bench-side only: the server, the api's code and its settings unchanged):\n` +
            diagnosticsTable(diagnosticCeilings, diagnostics),
        );
      for (const { commands } of pairs) if (errorCount(commands) > 0) return false;
      if ([fastify, ...processRuns].some((run) => errorCount(run) > 0)) return false;
      if (diagnostics.some((run) => errorCount(run) > 0)) return false;
      if (recorded < commandsDone) {
        console.error(
          `the ledger holds fewer record events (${recorded}) than commands that succeeded (${commandsDone})`,
        );
        return false;
      }
      return true;
    } finally {
      await api?.close();
    }
  });
}

runBenchmark('commands benchmark', main);

/**
 * xAPI statement throughput benchmark: how many statements per second the api accepts at `/xapi/statements` over
 * HTTP, next to the ceiling of plain autocommit INSERTs of an event-shaped row at the same concurrency, on the same
 * PostgreSQL server, in a throwaway database created and dropped by this run.
 *
 *   npm run build && npm run bench:xapi -- [--seconds N] [--warmup N] [--connections N] [--learners N]
 *                                          [--unmatched-every N] [--workers N] [--explain]
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server. The api runs in this process
 * (createApiApp with its defaults: inline projections, its own pool). The setup goes through the api as an issuer
 * would: an issuer and an achievement (one required criterion), an xAPI client (POST /issuers/:id/xapi-clients),
 * a mapping (a completion of one quiz is evidence of the criterion) and `--learners` learner profiles with the
 * Moodle account their statements name. Then, at `--connections` (32):
 *  - ceiling: N writers, each on its own `pg` connection, insert one row at a time (autocommit) into a table made
 *    LIKE tessera_events, every row to a new stream — a copy of the first EvidenceSubmitted event a statement made;
 *  - statements: autocannon keeps N HTTP connections busy POSTing one statement each (HTTP Basic with the client's
 *    credentials, X-Experience-API-Version 1.0.3), a new statement id every time, by a random learner: a completion
 *    of the mapped quiz, which appends EvidenceSubmitted to the learner's record, or every `--unmatched-every`-th
 *    (4) a launch of the course, which matches no mapping and is only stored. A statement counts when it answers 200.
 * `--explain` prints the SQL the api sent per statement, by text. Each run follows a discarded warm-up. A benchmark, not a test: it exits 0 whatever the figures; 1 on errors (a
 * failed run, a non-2xx answer, a connection error or timeout, or a statement answered 200 whose evidence is not in
 * the ledger).
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import autocannon from 'autocannon';
import type { Pool } from 'pg';
import type { Actor } from '../../apps/api/src/auth/actor';
import { TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { apiUsage, type BenchApi, defineAchievement, post, send, settle, startInProcessApi } from '../support/api';
import { type Load, runBenchmark, stopOnSigint, withLoad } from '../support/measure';
import {
  type CeilingResult,
  ceilingRowOf,
  checkpoint,
  machineLine,
  runCeiling,
  withBenchDatabase,
} from '../support/postgres';
import { countApiStatements, statementsByText } from '../support/statement-count';
import { formatTable, ms, percent } from '../support/table';
import {
  accountName,
  benchStatement,
  HOME_PAGE,
  learnerIdOf,
  QUIZ,
  COMPLETED,
  type StatementContext,
} from './statements';

/** The aim: statements/s ≥ 0.25 × the ceiling's events/s at the same concurrency. */
const AIM = 0.25;
const JWT_SECRET = `tessera-bench-${randomUUID()}`;
const ISSUER_ID = 'bench-xapi-university';
const ACHIEVEMENT_ID = 'bench-xapi-joins';
const CRITERION_ID = 'joins';
const SETUP_REQUEST = path.join(__dirname, 'statement-request.js');

const ACTORS = {
  admin: { sub: 'bench-admin', roles: ['admin'], issuers: [] },
  issuerAdmin: { sub: 'bench-issuer-admin', roles: ['issuer-admin', 'registrar'], issuers: [ISSUER_ID] },
} satisfies Record<string, Actor>;

const FLAGS = {
  seconds: { flag: '--seconds', minimum: 1, fallback: 10 },
  warmupSeconds: { flag: '--warmup', minimum: 0, fallback: 2 },
  connections: { flag: '--connections', minimum: 1, fallback: 32 },
  learners: { flag: '--learners', minimum: 1, fallback: 2000 },
  unmatchedEvery: { flag: '--unmatched-every', minimum: 0, fallback: 4 },
  workers: { flag: '--workers', minimum: 0, fallback: 1 },
} as const;

type Options = { readonly [name in keyof typeof FLAGS]: number } & { readonly explain: boolean };

interface StatementsResult extends Load {
  readonly statements: number;
  readonly matched: number;
  readonly unmatched: number;
  readonly seconds: number;
  readonly statementsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: string;
  readonly errorCount: number;
  /** EvidenceSubmitted events the run appended (until its projections caught up). */
  readonly evidence: number;
  readonly apiCpuMs: number;
  readonly sqlStatements: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Record<string, number> = Object.fromEntries(
    Object.entries(FLAGS).map(([name, { fallback }]) => [name, fallback]),
  );
  let explain = false;
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2) as [string, string | undefined];
    if (flag === '--explain') {
      explain = true;
      continue;
    }
    const entry = Object.entries(FLAGS).find(([, spec]) => spec.flag === flag);
    if (!entry)
      throw new Error(
        `Unknown argument ${argv[index]} (expected ${Object.values(FLAGS)
          .map((spec) => `${spec.flag} N`)
          .join(', ')})`,
      );
    const text = inline ?? argv[++index];
    const value = Number(text);
    if (text === undefined || !Number.isInteger(value) || value < entry[1].minimum)
      throw new Error(`${flag} needs a whole number ≥ ${entry[1].minimum}`);
    options[entry[0]] = value;
  }
  return { ...(options as Omit<Options, 'explain'>), explain };
}

/** The learners' profiles, each with the Moodle account its statements name, 16 at a time. */
async function recordLearners(api: BenchApi, token: string, learners: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < learners) {
        const index = next++;
        await send(api, token, 'PUT', `/learners/${learnerIdOf(index)}/profile`, {
          name: `Learner ${index}`,
          email: `learner-${index}@bench.example.edu`,
          xapiAccount: { homePage: HOME_PAGE, name: accountName(index) },
        });
      }
    }),
  );
}

async function postStatement(api: BenchApi, basic: string, statement: object): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${api.port}/xapi/statements`, {
    method: 'POST',
    headers: { authorization: basic, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
    body: JSON.stringify(statement),
  });
  if (response.status !== 200)
    throw new Error(`POST /xapi/statements answered ${response.status}: ${await response.text()}`);
}

/** What the statements the ledger-side table holds came to, and the evidence the ledger holds. */
async function tally(db: Pool): Promise<{ matched: number; unmatched: number; other: number; evidence: number }> {
  const { rows } = await db.query<{ matched: number; unmatched: number; other: number; evidence: number }>(
    `SELECT count(*) FILTER (WHERE outcome = 'matched')::int AS matched,
            count(*) FILTER (WHERE outcome = 'unmatched')::int AS unmatched,
            count(*) FILTER (WHERE outcome NOT IN ('matched', 'unmatched') OR NOT processed)::int AS other,
            (SELECT count(*)::int FROM tessera_events WHERE type = 'EvidenceSubmitted') AS evidence
     FROM tessera_xapi_statements`,
  );
  return rows[0];
}

async function cannon(api: BenchApi, basic: string, options: Options, seconds: number): Promise<autocannon.Result> {
  const context: StatementContext = { learners: options.learners, unmatchedEvery: options.unmatchedEvery };
  return autocannon({
    url: `http://127.0.0.1:${api.port}`,
    connections: options.connections,
    duration: seconds,
    timeout: 30,
    ...(options.workers > 0 ? { workers: options.workers } : {}),
    headers: { authorization: basic, 'x-experience-api-version': '1.0.3', 'content-type': 'application/json' },
    initialContext: context,
    requests: [{ method: 'POST', path: '/xapi/statements', setupRequest: SETUP_REQUEST }],
  });
}

async function runStatements(api: BenchApi, db: Pool, admin: Pool, basic: string, options: Options) {
  process.stdout.write(`  statements, ${options.connections} connections ... `);
  if (options.warmupSeconds > 0) {
    await cannon(api, basic, options, options.warmupSeconds);
    await settle(api, db);
  }
  await checkpoint(admin);
  const before = await tally(db);
  const usage = apiUsage(api);
  const textsBefore = statementsByText();
  const measured = await withLoad(async () => ({ result: await cannon(api, basic, options, options.seconds) }));
  await settle(api, db);
  const after = await tally(db);
  const { result } = measured;
  const byStatus = Object.entries(result.statusCodeStats ?? {})
    .filter(([status]) => !status.startsWith('2'))
    .map(([status, stats]) => [status, stats.count ?? 0] as const);
  const connectionErrors = result.errors - result.timeouts;
  const errors = [
    ...byStatus.map(([status, count]) => `${count} × ${status}`),
    ...(connectionErrors ? [`${connectionErrors} connection errors`] : []),
    ...(result.timeouts ? [`${result.timeouts} timeouts`] : []),
  ];
  const statements = result['2xx'];
  const { apiCpuMs, statements: sqlStatements } = usage();
  if (options.explain) {
    const texts = [...statementsByText()]
      .map(([text, count]) => [text, count - (textsBefore.get(text) ?? 0)] as const)
      .filter(([, count]) => count > 0)
      .sort((x, y) => y[1] - x[1]);
    console.log(`\n  the api's SQL per statement answered 200 (diagnostic):`);
    for (const [text, count] of texts.slice(0, 30))
      console.log(`  ${(count / result['2xx']).toFixed(2).padStart(6)}  ${text.slice(0, 150)}`);
  }
  const outcome: StatementsResult = {
    statements,
    matched: after.matched - before.matched,
    unmatched: after.unmatched - before.unmatched,
    seconds: result.duration,
    statementsPerSecond: statements / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: errors.length > 0 ? errors.join(', ') : 'none',
    errorCount: byStatus.reduce((sum, [, count]) => sum + count, 0) + result.errors,
    evidence: after.evidence - before.evidence,
    apiCpuMs,
    sqlStatements,
    hostBusy: measured.hostBusy,
    loopBusy: measured.loopBusy,
    loopBusyMs: measured.loopBusyMs,
  };
  process.stdout.write(
    `${Math.round(outcome.statementsPerSecond)} statements/s${outcome.errorCount ? ' (errors)' : ''}\n`,
  );
  return outcome;
}

function resultsTable(ceiling: CeilingResult, run: StatementsResult, connections: number): string {
  return formatTable(
    [
      'at ' + connections + ' connections',
      'per second',
      'p50 ms',
      'p99 ms',
      'errors',
      'api thread busy',
      'api CPU ms each',
      'SQL statements each',
      'host busy',
    ],
    [
      [
        'ceiling: 1-row INSERT (events)',
        ceiling.eventsPerSecond.toFixed(0),
        ms(ceiling.p50Ms),
        ms(ceiling.p99Ms),
        '0',
        percent(ceiling.loopBusy),
        '-',
        '1.0',
        percent(ceiling.hostBusy),
      ],
      [
        'xAPI statements (200)',
        run.statementsPerSecond.toFixed(0),
        ms(run.p50Ms),
        ms(run.p99Ms),
        String(run.errorCount),
        percent(run.loopBusy),
        ms(run.apiCpuMs / run.statements),
        (run.sqlStatements / run.statements).toFixed(1),
        percent(run.hostBusy),
      ],
    ],
  );
}

async function main(): Promise<boolean> {
  const options = parseOptions(process.argv.slice(2));
  stopOnSigint();
  Logger.overrideLogger(['error', 'warn']);
  countApiStatements({ byText: options.explain });
  return withBenchDatabase('tessera_bench_xapi', async ({ url, db, admin, server }) => {
    let api: BenchApi | undefined;
    try {
      const header = [
        machineLine('xAPI statement throughput benchmark'),
        server,
        `${options.seconds} s measured per run after ${options.warmupSeconds} s warm-up, ${options.connections} ` +
          `connections; autocannon ${options.workers > 0 ? `in ${options.workers} worker thread(s)` : 'on the api thread'}; ` +
          `the api in this process: inline projections, its own pg pool`,
        `statements: POST /xapi/statements, one statement per request, HTTP Basic (an xAPI client made through the api), ` +
          `a new id each, by a random one of ${options.learners} learners (account actors, in the profile store); ` +
          (options.unmatchedEvery > 0
            ? `every ${options.unmatchedEvery}th a course launch that matches no mapping, the others `
            : 'every one ') +
          `a scored completion of the mapped quiz (→ EvidenceSubmitted); counted when 200`,
        `ceiling: ${options.connections} writers on as many pg connections, single-row autocommit INSERT of a copy of ` +
          `the first EvidenceSubmitted event a statement made into a table LIKE tessera_events, each row a new stream`,
      ].join('\n');
      console.log(
        `${header}\n\nsetting up: the issuer, its achievement, ${options.learners} learner profiles, an xAPI client, a mapping`,
      );

      api = await startInProcessApi(url, {}, JWT_SECRET);
      const verifier = new TokenVerifier(JWT_SECRET);
      const tokens = {
        admin: await verifier.sign(ACTORS.admin, '6h'),
        issuerAdmin: await verifier.sign(ACTORS.issuerAdmin, '6h'),
      };
      await defineAchievement(api, tokens, {
        issuerId: ISSUER_ID,
        achievementId: ACHIEVEMENT_ID,
        criterionId: CRITERION_ID,
      });
      await recordLearners(api, tokens.issuerAdmin, options.learners);
      const client = (await post(api, tokens.issuerAdmin, `/issuers/${ISSUER_ID}/xapi-clients`, {
        name: 'Bench Moodle',
      })) as {
        clientId: string;
        secret: string;
      };
      await send(api, tokens.issuerAdmin, 'PUT', `/achievements/${ACHIEVEMENT_ID}/xapi-mapping`, {
        rules: [{ criterionId: CRITERION_ID, verb: COMPLETED, activityId: QUIZ }],
      });
      const basic = `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}`;
      // A smoke test that fails fast with the api's answer, and gives the ceiling its row.
      await postStatement(api, basic, benchStatement(options.learners, true));
      await postStatement(api, basic, benchStatement(options.learners, false));
      const smoke = await tally(db);
      if (smoke.matched !== 1 || smoke.unmatched !== 1 || smoke.evidence !== 1)
        throw new Error(
          `the smoke statements came to ${JSON.stringify(smoke)}, not one matched (with its evidence) and one unmatched`,
        );
      const ceilingRow = await ceilingRowOf(db);
      await settle(api, db);

      console.log('\nrunning:');
      const ceiling = await runCeiling(admin, url, options, ceilingRow, options.connections);
      const run = await runStatements(api, db, admin, basic, options);
      const final = await tally(db);
      const ratio = run.statementsPerSecond / ceiling.eventsPerSecond;
      console.log(`\n${header}\n\n${resultsTable(ceiling, run, options.connections)}\n`);
      console.log(
        'latencies: the ceiling per INSERT, the statements per 200 answer; api thread busy: event-loop utilisation of ' +
          "the thread the api runs on; api CPU: that thread's user and system time, and SQL statements: the queries " +
          "the api's pg clients sent, both from the start of the measured run until the projections caught up, per " +
          'statement answered 200',
      );
      console.log(
        `measured run: ${run.statements} statements answered 200: ${run.matched} matched (${run.evidence} ` +
          `EvidenceSubmitted appended), ${run.unmatched} matched nothing; errors: ${run.errors}`,
      );
      console.log(
        `\nstatements/s ÷ ceiling at ${options.connections} = ${ratio.toFixed(2)}   aim ≥ ${AIM} × ceiling: ${ratio >= AIM ? 'MET' : 'NOT MET'}`,
      );
      console.log(
        `ledger: ${final.evidence} EvidenceSubmitted for ${final.matched} matched statements (warm-up and smoke test ` +
          `included); ${final.unmatched} unmatched; ${final.other} otherwise or unfinished`,
      );
      if (run.errorCount > 0) return false;
      if (final.evidence < final.matched || final.other > 0) {
        console.error('the ledger does not hold the evidence of every matched statement, or a statement is unfinished');
        return false;
      }
      return true;
    } finally {
      await api?.close();
    }
  });
}

runBenchmark('xAPI benchmark', main);

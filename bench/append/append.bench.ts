/**
 * Append throughput benchmark: how many events per second our PostgreSQL adapter appends, next to
 * (a) the ceiling of plain autocommit INSERTs into an equivalent table and (d) Emmett's PostgreSQL
 * event store, all on the same server, in a throwaway database created and dropped by this run.
 *
 *   npm run build && npm run bench:append -- [--seconds N] [--warmup N] [--rounds N] [--explain]
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server, and the
 * database to connect to in order to create and drop `tessera_bench_<timestamp>`.
 * `--rounds N` (default 1) repeats the sequence (a)–(d) N times, on fresh streams and ceiling tables,
 * and reports each benchmark's median round, which tames a noisy shared machine.
 * `--explain` adds diagnostic runs that show where the time goes (one writer; session-level
 * synchronous_commit=off; the ceiling as a named prepared statement; ours with TESSERA_PG_PREPARED=off, i.e. without
 * the named prepared statements the adapter uses by default). They are not results, and they change nothing on the
 * server nor in the adapter's code.
 *
 * A benchmark, not a test: it exits 0 whatever the figures, 1 only on errors.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Pool, type PoolConfig } from 'pg';
import { PostgresEventStore } from '../../libs/event-store/src/postgres/postgres.event-store';
import { pgSqlClient } from '../../libs/event-store/src/postgres/sql-client';

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const WRITERS = 8;
const BATCH = 100;
const EVENT_TYPE = 'CredentialIssued';
/** The aims: (b) ≥ 0.8 × (a) and (b) ≥ 1.0 × (d). */
const AIM_VS_CEILING = 0.8;
const AIM_VS_EMMETT = 1.0;
/** CPU used by other processes during a measurement, in cores, above which its figure is flagged. */
const DISTURBED_CORES = 0.25;

/** The same payload everywhere: about 200 bytes of data JSON and a little metadata; a new UUID per event. */
const DATA = {
  credentialId: '5f0c3a4e-9b1d-4c8e-a2f7-0d6b1e3c9a55',
  holderId: 'holder-0042',
  issuerId: 'issuer-academy',
  achievement: 'PostgreSQL Performance',
  level: 'proficient',
  issuedAt: '2025-01-15T10:30:00.000Z',
};
const METADATA = { correlationId: '0b7e2f1a-6c3d-4e9b-8a5f-1d2c3b4a5e6f', actor: 'bench' };

type PoolOptions = Omit<PoolConfig, 'connectionString'>;

interface Options {
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly rounds: number;
  readonly explain: boolean;
}

interface Measurement {
  readonly label: string;
  readonly events: number;
  readonly operations: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU used, in cores (1.0 = one core busy throughout): this Node process, ... */
  readonly nodeCores: number;
  /** ... the local PostgreSQL server's processes (undefined when not measurable: not Linux, or not local), ... */
  readonly postgresCores: number | undefined;
  /** ... and everything else on the host: other people's work skews the figures. */
  readonly otherCores: number | undefined;
  /** The host's cores. */
  readonly hostCores: number;
  /** Events per second of every round, when there were several. */
  readonly rounds?: readonly number[];
}

/** One unit of work by one writer; resolves to the number of events it wrote. */
type Operation = (writer: number) => Promise<number>;

/** How a run is set up; the defaults are those of the results (a)–(d). */
interface RunSetup {
  readonly writers?: number;
  /** Extra pool settings, e.g. session options for a diagnostic. */
  readonly pool?: PoolOptions;
  /** The ceiling: send its INSERT as a named prepared statement (diagnostic). */
  readonly named?: boolean;
  /** Ours: the adapter's named prepared statements, on by default (off: TESSERA_PG_PREPARED=off, diagnostic). */
  readonly prepared?: boolean;
}

let interrupted = false;

/**
 * The pids of the PostgreSQL processes that work for this benchmark: the backends of its database and the
 * server's own background processes (WAL writer, checkpointer...). Other databases' backends count as "other".
 * Set by main(); undefined pids mean every `postgres` process counts.
 */
let benchmarkBackends: () => Promise<ReadonlySet<number> | undefined> = () => Promise.resolve(undefined);

function parseOptions(argv: readonly string[]): Options {
  let seconds = 10;
  let warmupSeconds: number | undefined;
  let rounds = 1;
  let explain = false;
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2) as [string, string | undefined];
    const value = (): number => {
      const text = inline ?? argv[++index];
      const parsed = Number(text);
      if (text === undefined || !Number.isFinite(parsed) || parsed <= 0)
        throw new Error(`${flag} needs a positive number`);
      return parsed;
    };
    if (flag === '--seconds') seconds = value();
    else if (flag === '--warmup') warmupSeconds = value();
    else if (flag === '--rounds') rounds = Math.ceil(value());
    else if (flag === '--explain') explain = true;
    else throw new Error(`Unknown argument ${argv[index]} (expected --seconds N, --warmup N, --rounds N, --explain)`);
  }
  return { seconds, warmupSeconds: warmupSeconds ?? Math.min(2, seconds / 5), rounds, explain };
}

/** Runs `operation` on `writers` concurrent writers until the deadline; counts completed operations only. */
async function drive(label: string, writers: number, durationMs: number, operation: Operation): Promise<Measurement> {
  const latencies: number[] = [];
  let events = 0;
  const backendsBefore = await benchmarkBackends();
  const cpuBefore = process.cpuUsage();
  const hostBefore = hostBusyMs();
  const postgresBefore = postgresCpuTicks();
  const started = performance.now();
  const deadline = started + durationMs;
  let failed = false;
  const outcomes = await Promise.allSettled(
    Array.from({ length: writers }, async (_, writer) => {
      try {
        while (performance.now() < deadline && !interrupted && !failed) {
          const begun = performance.now();
          // Not `events += await operation(...)`: that would read `events` before awaiting and lose counts.
          const written = await operation(writer);
          events += written;
          latencies.push(performance.now() - begun);
        }
      } catch (error) {
        failed = true; // stop the other writers too
        throw error;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
  if (interrupted) throw new Error('Interrupted');
  const cpu = process.cpuUsage(cpuBefore);
  const busyCores = (hostBusyMs() - hostBefore) / 1000 / seconds;
  const postgresAfter = postgresCpuTicks();
  const backendsAfter = await benchmarkBackends();
  const backends = backendsBefore && backendsAfter && new Set([...backendsBefore, ...backendsAfter]);
  const postgresMs = postgresCpuMsSince(postgresBefore, postgresAfter, backends);
  const nodeCores = (cpu.user + cpu.system) / 1e6 / seconds;
  const postgresCores = postgresMs === undefined ? undefined : postgresMs / 1000 / seconds;
  latencies.sort((x, y) => x - y);
  return {
    label,
    events,
    operations: latencies.length,
    seconds,
    eventsPerSecond: events / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    nodeCores,
    postgresCores,
    otherCores: postgresCores === undefined ? undefined : Math.max(0, busyCores - nodeCores - postgresCores),
    hostCores: os.cpus().length,
  };
}

/** A warm-up, discarded, then the measured run. */
async function measure(label: string, options: Options, writers: number, operation: Operation): Promise<Measurement> {
  process.stdout.write(`  ${label} ... `);
  await drive(label, writers, options.warmupSeconds * 1000, operation);
  const result = await drive(label, writers, options.seconds * 1000, operation);
  process.stdout.write(`${Math.round(result.eventsPerSecond)} events/s\n`);
  return result;
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Busy CPU time of the whole host so far, in ms summed over cores. */
function hostBusyMs(): number {
  return os.cpus().reduce((sum, { times }) => sum + times.user + times.nice + times.sys + times.irq, 0);
}

/**
 * CPU time used so far by each process named `postgres` (the server, its backends and helpers), in clock ticks
 * by pid; undefined when it cannot be read (not Linux, or a remote server).
 */
function postgresCpuTicks(): Map<number, number> | undefined {
  if (process.platform !== 'linux') return undefined;
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // the process has gone
    }
    const end = stat.lastIndexOf(')');
    if (stat.slice(stat.indexOf('(') + 1, end) !== 'postgres') continue;
    const fields = stat.slice(end + 2).split(' ');
    ticks.set(Number(entry), Number(fields[11]) + Number(fields[12])); // utime + stime
  }
  return ticks.size > 0 ? ticks : undefined;
}

/**
 * CPU time used between two readings by the `postgres` processes among `pids` (all of them when undefined), in ms
 * (Linux counts 100 ticks a second). A process that exited meanwhile is left out: its time shows as "other".
 */
function postgresCpuMsSince(
  before: Map<number, number> | undefined,
  after: Map<number, number> | undefined,
  pids: ReadonlySet<number> | undefined,
): number | undefined {
  if (!before || !after) return undefined;
  let ticks = 0;
  for (const [pid, now] of after) if (!pids || pids.has(pid)) ticks += Math.max(0, now - (before.get(pid) ?? 0));
  return ticks * 10;
}

/** A fresh stream name for every append, unique per writer. */
function streamNames(prefix: string): (writer: number) => string {
  const next = new Map<number, number>();
  return (writer) => {
    const n = next.get(writer) ?? 0;
    next.set(writer, n + 1);
    return `${prefix}-${writer}-${n}`;
  };
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

function newPool(connectionString: string, options: PoolOptions = {}): Pool {
  const pool = new Pool({ connectionString, max: WRITERS, ...options });
  pool.on('error', () => undefined);
  return pool;
}

/** A statement name derived from its text, for named prepared statements. */
function statementName(sql: string): string {
  return `bench_${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`;
}

/** Starts each run without dirty buffers left by the previous one (needs superuser or pg_checkpoint). */
async function checkpoint(admin: Pool): Promise<void> {
  await admin.query('CHECKPOINT').catch(() => undefined);
}

async function count(url: string, table: string): Promise<number> {
  const pool = newPool(url, { max: 1 });
  try {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
    return Number(rows[0].n);
  } finally {
    await pool.end();
  }
}

/** Every counted event is really in the table (warm-up included). */
async function verify(url: string, table: string, expected: number): Promise<void> {
  const actual = await count(url, table);
  if (actual !== expected) throw new Error(`${table} holds ${actual} rows; the benchmark counted ${expected}`);
}

/**
 * Drops the throwaway database once the closed pools' sockets are gone: a pool's end() resolves before its
 * sockets close, and terminating them (WITH (FORCE)) then would raise errors in pools nobody listens to.
 */
async function dropDatabase(admin: Pool, database: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0].n === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  } catch {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

/** The round with the median events/s (the lower middle one for an even count), with all rounds' figures. */
function median(measurements: readonly Measurement[]): Measurement {
  const sorted = [...measurements].sort((x, y) => x.eventsPerSecond - y.eventsPerSecond);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  return measurements.length > 1 ? { ...middle, rounds: measurements.map((m) => m.eventsPerSecond) } : middle;
}

function emmettVersion(): string {
  try {
    const entry = require.resolve('@event-driven-io/emmett-postgresql');
    const manifest = JSON.parse(readFileSync(path.join(path.dirname(entry), '..', 'package.json'), 'utf8')) as {
      version?: string;
    };
    return manifest.version ?? '?';
  } catch {
    return '?';
  }
}

/**
 * A plain table with the columns, constraints and indexes of our events table as the adapter's migration made
 * them (`LIKE ... INCLUDING ALL`, so it follows schema changes), with an identity column for `position`; with
 * `uniqueOnly`, its non-unique indexes dropped.
 */
function ceilingTable(name: string, uniqueOnly: boolean): string {
  return `
    CREATE TABLE ${name} (LIKE tessera_events INCLUDING ALL);
    ALTER TABLE ${name} ALTER COLUMN position ADD GENERATED ALWAYS AS IDENTITY;
    ${
      uniqueOnly
        ? `DO $$ DECLARE i regclass; BEGIN
             FOR i IN SELECT indexrelid::regclass FROM pg_index WHERE indrelid = '${name}'::regclass AND NOT indisunique
             LOOP EXECUTE format('DROP INDEX %s', i); END LOOP;
           END $$;`
        : ''
    }`;
}

/** The indexes of our events table, e.g. `UNIQUE (event_id)`, `(type, "position")`. */
async function eventIndexes(url: string): Promise<string[]> {
  const pool = newPool(url, { max: 1 });
  try {
    const { rows } = await pool.query<{ indexdef: string }>(
      "SELECT indexdef FROM pg_indexes WHERE tablename = 'tessera_events' ORDER BY indexname",
    );
    return rows.map(
      ({ indexdef }) => `${/UNIQUE/.test(indexdef) ? 'UNIQUE ' : ''}${indexdef.replace(/^.* USING \w+ /, '')}`,
    );
  } finally {
    await pool.end();
  }
}

/** (a): single-row autocommit INSERTs through `pg`, one event each, each to a new stream at revision 0. */
async function runCeiling(
  label: string,
  admin: Pool,
  url: string,
  options: Options,
  table: string,
  uniqueOnly: boolean,
  setup: RunSetup = {},
): Promise<Measurement> {
  const pool = newPool(url, setup.pool);
  try {
    await pool.query(ceilingTable(table, uniqueOnly));
    await checkpoint(admin);
    const text = `INSERT INTO ${table} (event_id, stream_name, stream_revision, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`;
    const name = setup.named ? statementName(text) : undefined;
    const stream = streamNames(table);
    let written = 0;
    const result = await measure(label, options, setup.writers ?? WRITERS, async (writer) => {
      const values = [randomUUID(), stream(writer), 0, EVENT_TYPE, JSON.stringify(DATA), JSON.stringify(METADATA)];
      await pool.query({ name, text, values });
      written++;
      return 1;
    });
    await verify(url, table, written);
    return result;
  } finally {
    await pool.end();
  }
}

/** (b) and (c): our adapter, every append to a new stream with expectedRevision 'no_stream'. */
async function runOurs(
  label: string,
  admin: Pool,
  url: string,
  options: Options,
  prefix: string,
  eventsPerAppend: number,
  setup: RunSetup = {},
): Promise<Measurement> {
  const sql = pgSqlClient(url, { max: WRITERS, ...setup.pool, prepared: setup.prepared ?? true });
  const store = await PostgresEventStore.open(sql).catch(async (error: unknown) => {
    await sql.close();
    throw error;
  });
  try {
    const before = await count(url, 'tessera_events');
    await checkpoint(admin);
    const stream = streamNames(prefix);
    let written = 0;
    const result = await measure(label, options, setup.writers ?? WRITERS, async (writer) => {
      const events = Array.from({ length: eventsPerAppend }, () => ({
        id: randomUUID(),
        type: EVENT_TYPE,
        data: DATA,
        metadata: METADATA,
      }));
      await store.appendToStream(stream(writer), events, { expectedRevision: 'no_stream' });
      written += eventsPerAppend;
      return eventsPerAppend;
    });
    await verify(url, 'tessera_events', before + written);
    return result;
  } finally {
    await store.close();
  }
}

/** (d): Emmett's PostgreSQL event store doing (b): one event per append, a new stream each time. */
async function runEmmett(
  label: string,
  admin: Pool,
  url: string,
  options: Options,
  prefix: string,
): Promise<Measurement> {
  const store = getPostgreSQLEventStore(url);
  try {
    await store.schema.migrate();
    const before = await count(url, 'emt_messages');
    await checkpoint(admin);
    const stream = streamNames(prefix);
    let written = 0;
    const result = await measure(label, options, WRITERS, async (writer) => {
      await store.appendToStream(stream(writer), [{ type: EVENT_TYPE, data: DATA, metadata: METADATA }]);
      written++;
      return 1;
    });
    await verify(url, 'emt_messages', before + written);
    return result;
  } finally {
    await store.close();
  }
}

function formatRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
}

function formatTable(results: readonly Measurement[]): string {
  const rounds = results.some((result) => result.rounds);
  const widths = [Math.max(9, ...results.map((result) => result.label.length)), 9, 9, 6, 6, 23, 16];
  const headings = [
    'benchmark',
    'events/s',
    'appends/s',
    'p50 ms',
    'p99 ms',
    'cores: node/pg/other',
    'µs/append: node/pg',
  ];
  if (rounds) {
    headings.push('events/s of every round');
    widths.push(headings[headings.length - 1].length);
  }
  const lines = [formatRow(headings, widths), '-'.repeat(widths.reduce((sum, width) => sum + width + 2, -2))];
  for (const result of results)
    lines.push(
      formatRow(
        [
          result.label,
          result.eventsPerSecond.toFixed(0),
          (result.operations / result.seconds).toFixed(0),
          result.p50Ms.toFixed(2),
          result.p99Ms.toFixed(2),
          [result.nodeCores, result.postgresCores, result.otherCores]
            .map((cores) => (cores === undefined ? '?' : cores.toFixed(2)))
            .join(' / ') + ` of ${result.hostCores}`,
          [result.nodeCores, result.postgresCores]
            .map((cores) =>
              cores === undefined ? '?' : ((cores * 1e6 * result.seconds) / result.operations).toFixed(0),
            )
            .join(' / '),
          ...(rounds ? [(result.rounds ?? []).map((value) => value.toFixed(0)).join(' ')] : []),
        ],
        widths,
      ),
    );
  return lines.join('\n');
}

function verdict(name: string, ratio: number, aim: number): string {
  return `${name} = ${ratio.toFixed(2)}   aim ≥ ${aim.toFixed(1)}: ${ratio >= aim ? 'MET' : 'NOT MET'}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.once('SIGINT', () => {
    interrupted = true;
  });
  const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const database = `tessera_bench_${Date.now()}`;
  const url = databaseUrl(baseUrl, database);
  const admin = newPool(baseUrl, { max: 1 });
  let created = false;
  try {
    const { rows: settings } = await admin.query<{ name: string; setting: string }>(
      `SELECT name, setting FROM pg_settings
       WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'full_page_writes')`,
    );
    const setting = (name: string): string => settings.find((row) => row.name === name)?.setting ?? '?';
    await admin.query(`CREATE DATABASE ${database}`);
    created = true;
    benchmarkBackends = async () => {
      const { rows } = await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = $1 OR datname IS NULL',
        [database],
      );
      return new Set(rows.map((row) => row.pid));
    };

    // Our schema first: the ceiling tables copy the events table the adapter's migration creates.
    await (await PostgresEventStore.open(pgSqlClient(url, { max: 1 }))).close();
    const indexes = await eventIndexes(url);
    const cpus = os.cpus();
    const header = [
      `Append throughput benchmark, ${new Date().toISOString()}`,
      `node ${process.version}; CPU ${cpus[0]?.model ?? '?'}; ${cpus.length} cores; ` +
        `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average at start ${os.loadavg()[0].toFixed(2)}`,
      `PostgreSQL ${setting('server_version')} at ${new URL(baseUrl).host}, database ${database} (dropped afterwards)`,
      `server settings (unchanged): synchronous_commit=${setting('synchronous_commit')} fsync=${setting('fsync')} ` +
        `wal_sync_method=${setting('wal_sync_method')} commit_delay=${setting('commit_delay')} ` +
        `full_page_writes=${setting('full_page_writes')}`,
      `${options.seconds} s measured per benchmark after ${options.warmupSeconds} s warm-up` +
        (options.rounds > 1 ? `, ${options.rounds} rounds of (a)-(d), median round shown; ` : '; ') +
        `${WRITERS} concurrent writers, each with its own pooled connection`,
      `payload: data ${Buffer.byteLength(JSON.stringify(DATA))} B JSON, metadata ${Buffer.byteLength(JSON.stringify(METADATA))} B JSON, ` +
        `type ${EVENT_TYPE}, a new UUID per event`,
      `streams: every append goes to a new stream (ours: expectedRevision 'no_stream'; Emmett: no expected version;` +
        ` ceiling: a new stream name at revision 0)`,
      `ceiling tables: LIKE tessera_events INCLUDING ALL, position an identity column; ` +
        `(a) has all ${indexes.length} indexes of tessera_events: ${indexes.join(', ')}; (a') only the unique ones`,
      `cores: CPU used while measuring, in cores: this Node process / PostgreSQL for this database (its backends and` +
        ` the server's background processes) / everything else, other databases' backends included;` +
        ` µs/append: CPU time per append (per INSERT for the ceiling)`,
    ].join('\n');
    console.log(`${header}\n\nrunning:`);

    const benchmarks: { label: string; run: (label: string, round: string) => Promise<Measurement> }[] = [
      {
        label: '(a) ceiling: plain 1-row INSERT, autocommit, pg',
        run: (label, round) => runCeiling(label, admin, url, options, `ceiling${round}`, false),
      },
      {
        label: "(a') ceiling with its unique indexes only",
        run: (label, round) => runCeiling(label, admin, url, options, `ceiling_unique${round}`, true),
      },
      {
        label: "(b) ours: 1 event per append, 'no_stream'",
        run: (label, round) => runOurs(label, admin, url, options, `ours_b${round}`, 1),
      },
      {
        label: `(c) ours: ${BATCH} events per append, 'no_stream'`,
        run: (label, round) => runOurs(label, admin, url, options, `ours_c${round}`, BATCH),
      },
      {
        label: `(d) emmett-postgresql ${emmettVersion()}: 1 event per append`,
        run: (label, round) => runEmmett(label, admin, url, options, `emmett${round}`),
      },
    ];
    const measured = benchmarks.map((): Measurement[] => []);
    for (let round = 1; round <= options.rounds; round++) {
      if (options.rounds > 1) console.log(`round ${round} of ${options.rounds}:`);
      for (const [index, benchmark] of benchmarks.entries())
        measured[index].push(await benchmark.run(benchmark.label, `_r${round}`));
    }
    const [a, a3, b, c, d] = measured.map(median);

    const diagnostics: Measurement[] = [];
    if (options.explain) {
      console.log('diagnostics (not results):');
      const one = { writers: 1 };
      const asyncCommit = { pool: { options: '-c synchronous_commit=off' } };
      const named = { named: true };
      diagnostics.push(await runCeiling('(a) with 1 writer', admin, url, options, 'ceiling_1w', false, one));
      diagnostics.push(await runOurs('(b) with 1 writer', admin, url, options, 'ours_1w', 1, one));
      diagnostics.push(
        await runCeiling('(a) synchronous_commit=off', admin, url, options, 'ceiling_async', false, asyncCommit),
      );
      diagnostics.push(await runOurs('(b) synchronous_commit=off', admin, url, options, 'ours_async', 1, asyncCommit));
      diagnostics.push(
        await runCeiling('(a) named prepared statement', admin, url, options, 'ceiling_named', false, named),
      );
      const unprepared = { prepared: false };
      diagnostics.push(await runOurs('(b) TESSERA_PG_PREPARED=off', admin, url, options, 'ours_b_off', 1, unprepared));
      diagnostics.push(
        await runOurs('(c) TESSERA_PG_PREPARED=off', admin, url, options, 'ours_c_off', BATCH, unprepared),
      );
    }

    console.log(`\n${header}\n\n${formatTable([a, a3, b, c, d])}\n`);
    console.log(verdict('(b)/(a) ', b.eventsPerSecond / a.eventsPerSecond, AIM_VS_CEILING));
    console.log(verdict('(b)/(d) ', b.eventsPerSecond / d.eventsPerSecond, AIM_VS_EMMETT));
    console.log(`(b)/(a') = ${(b.eventsPerSecond / a3.eventsPerSecond).toFixed(2)}   (for reference)`);
    console.log(`(c)/(a)  = ${(c.eventsPerSecond / a.eventsPerSecond).toFixed(2)}   (for reference: batching)`);
    const disturbed = [a, a3, b, c, d, ...diagnostics].filter((m) => (m.otherCores ?? 0) > DISTURBED_CORES);
    if (disturbed.length > 0)
      console.log(
        `\nWARNING: other processes used more than ${DISTURBED_CORES} cores while measuring ` +
          `${disturbed.map((m) => m.label).join('; ')}. Those figures are unreliable: ` +
          (options.rounds > 1 ? 'rerun on a quiet machine.' : 'rerun on a quiet machine, or with --rounds 3.'),
      );
    if (diagnostics.length > 0)
      console.log(
        '\ndiagnostics, not results (session-level settings and a bench-side client only; server and adapter unchanged):\n' +
          formatTable(diagnostics),
      );
  } finally {
    if (created) await dropDatabase(admin, database);
    await admin.end();
  }
}

main().then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error('\nappend benchmark failed:', error);
    process.exitCode = 1;
  },
);

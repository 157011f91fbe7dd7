/**
 * Append throughput benchmark: how many events per second our PostgreSQL adapter appends, next to
 * (a) the ceiling of plain autocommit INSERTs into an equivalent table and (d) Emmett's PostgreSQL
 * event store, all on the same server, in a throwaway database created and dropped by this run.
 *
 *   npm run build && npm run bench:append -- [--seconds N] [--warmup N] [--explain]
 *
 * DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the server and the
 * database to connect to in order to create and drop `tessera_bench_<timestamp>`.
 * `--explain` adds diagnostic runs (one writer; session-level synchronous_commit=off) that show
 * where the time goes; they are not results and change nothing on the server.
 *
 * A benchmark, not a test: it exits 0 whatever the figures, 1 only on errors.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
/** Aims: (b) ≥ 0.8 × (a) and (b) ≥ 1.0 × (d). */
const AIM_VS_CEILING = 0.8;
const AIM_VS_EMMETT = 1.0;

/** The same event payload everywhere: about 200 bytes of data JSON, a little metadata. */
const DATA = {
  credentialId: '5f0c3a4e-9b1d-4c8e-a2f7-0d6b1e3c9a55',
  holderId: 'holder-0042',
  issuerId: 'issuer-academy',
  achievement: 'PostgreSQL Performance',
  level: 'proficient',
  issuedAt: '2025-01-15T10:30:00.000Z',
};
const METADATA = {
  correlationId: '0b7e2f1a-6c3d-4e9b-8a5f-1d2c3b4a5e6f',
  actor: 'bench',
};

interface Options {
  readonly seconds: number;
  readonly warmupSeconds: number;
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
  /** Share of one core used by this Node process. */
  readonly nodeCpu: number;
  /** Share of the whole machine's CPU time that was busy (all processes: Node and PostgreSQL). */
  readonly machineBusy: number;
}

/** One unit of work by one writer; resolves to the number of events it wrote. */
type Operation = (writer: number) => Promise<number>;

let interrupted = false;

function parseOptions(argv: readonly string[]): Options {
  let seconds = 10;
  let warmupSeconds: number | undefined;
  let explain = false;
  for (let index = 0; index < argv.length; index++) {
    const [flag, inline] = argv[index].split('=', 2) as [string, string | undefined];
    const value = (): number => {
      const text = inline ?? argv[++index];
      const parsed = Number(text);
      if (text === undefined || !Number.isFinite(parsed) || parsed <= 0)
        throw new Error(`${flag} needs a positive number of seconds`);
      return parsed;
    };
    if (flag === '--seconds') seconds = value();
    else if (flag === '--warmup') warmupSeconds = value();
    else if (flag === '--explain') explain = true;
    else throw new Error(`Unknown argument ${argv[index]} (expected --seconds N, --warmup N, --explain)`);
  }
  return { seconds, warmupSeconds: warmupSeconds ?? Math.min(2, seconds / 5), explain };
}

/** Runs `operation` on `writers` concurrent writers until the deadline; counts only completed operations. */
async function drive(label: string, writers: number, durationMs: number, operation: Operation): Promise<Measurement> {
  const latencies: number[] = [];
  let events = 0;
  const cpuBefore = process.cpuUsage();
  const machineBefore = machineTimes();
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      while (performance.now() < deadline && !interrupted) {
        const begun = performance.now();
        const written = await operation(writer); // not `events += await ...`: that reads `events` before awaiting
        events += written;
        latencies.push(performance.now() - begun);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (interrupted) throw new Error('Interrupted');
  const cpu = process.cpuUsage(cpuBefore);
  const machineAfter = machineTimes();
  const total = machineAfter.total - machineBefore.total;
  latencies.sort((x, y) => x - y);
  return {
    label,
    events,
    operations: latencies.length,
    seconds,
    eventsPerSecond: events / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    nodeCpu: (cpu.user + cpu.system) / 1e6 / seconds,
    machineBusy: total > 0 ? 1 - (machineAfter.idle - machineBefore.idle) / total : 0,
  };
}

/** A warm-up (discarded), then the measured run. */
async function measure(label: string, options: Options, operation: Operation, writers = WRITERS): Promise<Measurement> {
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

function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.idle + cpu.times.irq;
  }
  return { idle, total };
}

/** Stream names: one fresh stream per append, unique per writer. */
function streamNames(prefix: string): (writer: number) => string {
  const next = new Array<number>(WRITERS).fill(0);
  return (writer) => `${prefix}-${writer}-${next[writer]++}`;
}

function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

function pool(connectionString: string, config: Omit<PoolConfig, 'connectionString'> = {}): Pool {
  const created = new Pool({ connectionString, max: WRITERS, ...config });
  created.on('error', () => undefined);
  return created;
}

/** Starts each benchmark with no dirty buffers left over from the previous one (needs pg_checkpoint or superuser). */
async function checkpoint(admin: Pool): Promise<void> {
  await admin.query('CHECKPOINT').catch(() => undefined);
}

async function count(connectionString: string, table: string): Promise<number> {
  const client = pool(connectionString, { max: 1 });
  try {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`);
    return Number(rows[0].n);
  } finally {
    await client.end();
  }
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

/** A plain table with our events table's columns and indexes. */
function ceilingTable(name: string, withTypeIndex: boolean): string {
  return `
    CREATE TABLE ${name} (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      event_id uuid NOT NULL UNIQUE,
      stream_name text NOT NULL,
      stream_revision bigint NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (stream_name, stream_revision)
    );
    ${withTypeIndex ? `CREATE INDEX ${name}_type_position ON ${name} (type, position);` : ''}`;
}

/** (a): single-row autocommit INSERTs through `pg`, one event per statement, each to a new stream. */
async function runCeiling(
  label: string,
  admin: Pool,
  url: string,
  table: string,
  withTypeIndex: boolean,
  options: Options,
  writers = WRITERS,
  config: Omit<PoolConfig, 'connectionString'> = {},
): Promise<Measurement> {
  const writer = pool(url, config);
  try {
    await writer.query(ceilingTable(table, withTypeIndex));
    await checkpoint(admin);
    const stream = streamNames(`ceiling_${table}`);
    let written = 0;
    const insert = `INSERT INTO ${table} (event_id, stream_name, stream_revision, type, data, metadata) VALUES ($1, $2, $3, $4, $5, $6)`;
    const result = await measure(
      label,
      options,
      async (w) => {
        await writer.query(insert, [
          randomUUID(),
          stream(w),
          0,
          EVENT_TYPE,
          JSON.stringify(DATA),
          JSON.stringify(METADATA),
        ]);
        written++;
        return 1;
      },
      writers,
    );
    await verify(url, table, written);
    return result;
  } finally {
    await writer.end();
  }
}

/** (b) and (c): our adapter, a new stream per append with expectedRevision 'no_stream'. */
async function runOurs(
  label: string,
  admin: Pool,
  url: string,
  prefix: string,
  eventsPerAppend: number,
  options: Options,
  writers = WRITERS,
  config: Omit<PoolConfig, 'connectionString'> = {},
): Promise<Measurement> {
  const store = await PostgresEventStore.open(pgSqlClient(url, { max: WRITERS, ...config }));
  try {
    await checkpoint(admin);
    const before = await count(url, 'tessera_events');
    const stream = streamNames(prefix);
    let written = 0;
    const result = await measure(
      label,
      options,
      async (w) => {
        const events = Array.from({ length: eventsPerAppend }, () => ({
          id: randomUUID(),
          type: EVENT_TYPE,
          data: DATA,
          metadata: METADATA,
        }));
        await store.appendToStream(stream(w), events, { expectedRevision: 'no_stream' });
        written += eventsPerAppend;
        return eventsPerAppend;
      },
      writers,
    );
    await verify(url, 'tessera_events', before + written);
    return result;
  } finally {
    await store.close();
  }
}

/** (d): Emmett's PostgreSQL event store doing (b): one event per append, a new stream each time. */
async function runEmmett(label: string, admin: Pool, url: string, options: Options): Promise<Measurement> {
  const store = getPostgreSQLEventStore(url);
  try {
    await store.schema.migrate();
    await checkpoint(admin);
    const stream = streamNames('emmett');
    let written = 0;
    const result = await measure(label, options, async (w) => {
      await store.appendToStream(stream(w), [{ type: EVENT_TYPE, data: DATA, metadata: METADATA }]);
      written++;
      return 1;
    });
    await verify(url, 'emt_messages', written);
    return result;
  } finally {
    await store.close();
  }
}

/** Every counted event is really in the table (warm-up included). */
async function verify(url: string, table: string, expected: number): Promise<void> {
  const actual = await count(url, table);
  if (actual !== expected) throw new Error(`${table} holds ${actual} rows; the benchmark counted ${expected}`);
}

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells
    .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
    .join('  ');
}

function table(results: readonly Measurement[]): string {
  const widths = [62, 10, 10, 7, 7, 9, 9];
  const lines = [
    row(['benchmark', 'events/s', 'appends/s', 'p50 ms', 'p99 ms', 'node CPU', 'host busy'], widths),
    '-'.repeat(widths.reduce((sum, width) => sum + width + 2, -2)),
  ];
  for (const result of results)
    lines.push(
      row(
        [
          result.label,
          result.eventsPerSecond.toFixed(0),
          (result.operations / result.seconds).toFixed(0),
          result.p50Ms.toFixed(2),
          result.p99Ms.toFixed(2),
          `${(result.nodeCpu * 100).toFixed(0)}%`,
          `${(result.machineBusy * 100).toFixed(0)}%`,
        ],
        widths,
      ),
    );
  return lines.join('\n');
}

function verdict(name: string, ratio: number, aim: number): string {
  return `${name} = ${ratio.toFixed(2)}   aim ≥ ${aim.toFixed(2)}: ${ratio >= aim ? 'MET' : 'NOT MET'}`;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  process.once('SIGINT', () => {
    interrupted = true;
  });
  const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const database = `tessera_bench_${Date.now()}`;
  const url = databaseUrl(baseUrl, database);
  const admin = pool(baseUrl, { max: 1 });
  let created = false;
  try {
    const { rows: settings } = await admin.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
       WHERE name IN ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'full_page_writes', 'shared_buffers', 'max_connections')
       ORDER BY name`,
    );
    const setting = (name: string): string => settings.find((s) => s.name === name)?.setting ?? '?';
    await admin.query(`CREATE DATABASE ${database}`);
    created = true;

    const dataBytes = Buffer.byteLength(JSON.stringify(DATA));
    const metadataBytes = Buffer.byteLength(JSON.stringify(METADATA));
    const cpus = os.cpus();
    const header = [
      `Append throughput benchmark, ${new Date().toISOString()}`,
      `node ${process.version}; CPU ${cpus[0]?.model ?? '?'}; ${cpus.length} cores; ${Math.round(os.totalmem() / 2 ** 30)} GiB RAM`,
      `PostgreSQL ${setting('server_version')} at ${new URL(baseUrl).host}, database ${database} (dropped afterwards)`,
      `server: synchronous_commit=${setting('synchronous_commit')} fsync=${setting('fsync')} wal_sync_method=${setting('wal_sync_method')} ` +
        `commit_delay=${setting('commit_delay')} full_page_writes=${setting('full_page_writes')}`,
      `${options.seconds} s measured per benchmark after ${options.warmupSeconds} s warm-up; ${WRITERS} concurrent writers, each on its own pooled connection`,
      `payload: data ${dataBytes} B JSON, metadata ${metadataBytes} B JSON, type ${EVENT_TYPE}; a new UUID per event`,
      `(b), (c), (d): every append goes to a fresh stream (ours: expectedRevision 'no_stream'; Emmett: no expected version)`,
    ].join('\n');
    console.log(header);
    console.log('\nrunning:');

    const a = await runCeiling(
      '(a) ceiling: plain INSERT, autocommit, 1 row each, pg',
      admin,
      url,
      'bench_ceiling',
      true,
      options,
    );
    const a2 = await runCeiling(
      "(a') ceiling without the (type, position) index",
      admin,
      url,
      'bench_ceiling_3ix',
      false,
      options,
    );
    const b = await runOurs("(b) ours: 1 event per append, new stream, 'no_stream'", admin, url, 'ours_b', 1, options);
    const c = await runOurs(
      `(c) ours: ${BATCH} events per append, new stream, 'no_stream'`,
      admin,
      url,
      'ours_c',
      BATCH,
      options,
    );
    const d = await runEmmett(
      `(d) emmett-postgresql ${emmettVersion()}: 1 event per append, new stream`,
      admin,
      url,
      options,
    );

    const diagnostics: Measurement[] = [];
    if (options.explain) {
      console.log('diagnostics (not results):');
      diagnostics.push(await runCeiling('(a) with 1 writer', admin, url, 'bench_ceiling_1w', true, options, 1));
      diagnostics.push(await runOurs('(b) with 1 writer', admin, url, 'ours_b1', 1, options, 1));
      const asyncCommit = { options: '-c synchronous_commit=off' };
      diagnostics.push(
        await runCeiling(
          '(a) with synchronous_commit=off (session)',
          admin,
          url,
          'bench_ceiling_async',
          true,
          options,
          WRITERS,
          asyncCommit,
        ),
      );
      diagnostics.push(
        await runOurs(
          '(b) with synchronous_commit=off (session)',
          admin,
          url,
          'ours_b_async',
          1,
          options,
          WRITERS,
          asyncCommit,
        ),
      );
    }

    console.log(`\n${header}\n`);
    console.log(table([a, a2, b, c, d]));
    console.log(`\n${verdict('(b)/(a) ', b.eventsPerSecond / a.eventsPerSecond, AIM_VS_CEILING)}`);
    console.log(verdict('(b)/(d) ', b.eventsPerSecond / d.eventsPerSecond, AIM_VS_EMMETT));
    console.log(
      `(b)/(a') = ${(b.eventsPerSecond / a2.eventsPerSecond).toFixed(2)}   (informational: ceiling with only the three indexes of the brief)`,
    );
    console.log(
      `(c)/(a)  = ${(c.eventsPerSecond / a.eventsPerSecond).toFixed(2)}   (batching: ${BATCH} events per round trip and commit)`,
    );
    if (diagnostics.length > 0)
      console.log(`\ndiagnostics (not results; nothing on the server was changed):\n${table(diagnostics)}`);
  } finally {
    if (created) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
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

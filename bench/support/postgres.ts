/**
 * The PostgreSQL side of the benchmarks: a throwaway database on the server DATABASE_URL names, what the server is
 * and how it commits, and the ceiling every HTTP benchmark is set beside — single-row autocommit INSERTs of an
 * event-shaped row into a table like tessera_events.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { Pool, type PoolConfig } from 'pg';
import { drive, type Load, percentile, sleep, withLoad } from './measure';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** The warm-up and the measured time of every run. */
export interface RunLength {
  readonly seconds: number;
  readonly warmupSeconds: number;
}

export interface CeilingResult extends Load {
  readonly writers: number;
  readonly events: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/** The ceiling's row: the data and metadata of a real EvidenceSubmitted event, as JSON text. */
export interface CeilingRow {
  readonly data: string;
  readonly metadata: string;
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

export function newPool(connectionString: string, options: Omit<PoolConfig, 'connectionString'> = {}): Pool {
  const pool = new Pool({ connectionString, ...options });
  pool.on('error', () => undefined);
  return pool;
}

/** The first line of a report: the benchmark, when, and the machine. */
export function machineLine(title: string): string {
  const cpus = os.cpus();
  return [
    `${title}, ${new Date().toISOString()}`,
    `node ${process.version}; CPU ${cpus[0]?.model ?? '?'}; ${cpus.length} cores; ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM; load average at start ${os.loadavg()[0].toFixed(2)}`,
  ].join('\n');
}

/** The server, the throwaway database and the commit settings the run found (and does not change). */
export async function serverLines(admin: Pool, baseUrl: string, database: string): Promise<string> {
  const { rows: settings } = await admin.query<{ name: string; setting: string }>(
    `SELECT name, setting FROM pg_settings WHERE name IN
     ('server_version', 'synchronous_commit', 'fsync', 'wal_sync_method', 'commit_delay', 'max_connections', 'shared_buffers')`,
  );
  const setting = (name: string): string => settings.find((row) => row.name === name)?.setting ?? '?';
  return [
    `PostgreSQL ${setting('server_version')} at ${new URL(baseUrl).host}, database ${database} (dropped afterwards)`,
    `server settings (unchanged): synchronous_commit=${setting('synchronous_commit')} fsync=${setting('fsync')} ` +
      `wal_sync_method=${setting('wal_sync_method')} commit_delay=${setting('commit_delay')} ` +
      `max_connections=${setting('max_connections')} shared_buffers=${Number(setting('shared_buffers')) / 128} MB`,
  ].join('\n');
}

/** Starts each run without dirty buffers left by the previous one (needs superuser or pg_checkpoint). */
export async function checkpoint(admin: Pool): Promise<void> {
  await admin.query('CHECKPOINT').catch(() => undefined);
}

/**
 * A plain table like tessera_events as the api's migration left it: its columns, constraints and every index
 * (whatever the schema has become), with an identity for `position` instead of the adapter's computed one.
 */
const ceilingTable = (name: string) => `
  CREATE TABLE ${name} (LIKE tessera_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
  ALTER TABLE ${name} ALTER COLUMN position ADD GENERATED ALWAYS AS IDENTITY`;

/** Makes every ceiling row's stream name new, warm-ups included. */
let ceilingRows = 0;

/** Single-row autocommit INSERTs by `writers` loops, each row to a new stream. */
function insertFor(pool: Pool, table: string, row: CeilingRow, writers: number, ms: number) {
  const text = `INSERT INTO ${table} (event_id, stream_name, stream_revision, type, data, metadata) VALUES ($1, $2, 0, 'EvidenceSubmitted', $3, $4)`;
  const { data, metadata } = row;
  return drive(writers, ms, () => async () => {
    await pool.query(text, [randomUUID(), `record-${table}-${++ceilingRows}`, data, metadata]);
  });
}

/** The ceiling at `writers` concurrent connections, in a fresh table of the database `url` names. */
export async function runCeiling(
  admin: Pool,
  url: string,
  options: RunLength,
  row: CeilingRow,
  writers: number,
): Promise<CeilingResult> {
  const table = `ceiling_${writers}`;
  const pool = newPool(url, { max: writers });
  try {
    await pool.query(`DROP TABLE IF EXISTS ${table}; ${ceilingTable(table)}`);
    process.stdout.write(`  ceiling, ${writers} writers ... `);
    if (options.warmupSeconds > 0) await insertFor(pool, table, row, writers, options.warmupSeconds * 1000);
    await checkpoint(admin);
    const measured = await withLoad(() => insertFor(pool, table, row, writers, options.seconds * 1000));
    const latencies = measured.latencies.sort((x, y) => x - y);
    const eventsPerSecond = latencies.length / measured.seconds;
    process.stdout.write(`${Math.round(eventsPerSecond)} events/s\n`);
    return {
      writers,
      events: latencies.length,
      seconds: measured.seconds,
      eventsPerSecond,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      hostBusy: measured.hostBusy,
      loopBusy: measured.loopBusy,
      loopBusyMs: measured.loopBusyMs,
    };
  } finally {
    await pool.end();
  }
}

/** The ceiling's row: a copy of the ledger's first EvidenceSubmitted event. */
export async function ceilingRowOf(db: Pool): Promise<CeilingRow> {
  const { rows } = await db.query<CeilingRow>(
    `SELECT data::text AS data, metadata::text AS metadata FROM tessera_events
     WHERE type = 'EvidenceSubmitted' ORDER BY position LIMIT 1`,
  );
  if (rows.length === 0) throw new Error('the smoke test answered 2xx but no EvidenceSubmitted event is in the ledger');
  return rows[0];
}

/**
 * Drops the throwaway database once the closed pools' sockets are gone (a pool's end() resolves before its
 * sockets close); forces it after 5 s.
 */
export async function dropDatabase(admin: Pool, database: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const { rows } = await admin.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
      [database],
    );
    if (rows[0].n === 0) break;
    await sleep(100);
  }
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${database}`);
  } catch {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

/** A throwaway database of one bench run, with a pool on it and the server's description lines. */
export interface BenchDatabase {
  readonly url: string;
  readonly db: Pool;
  /** A pool on the server's own database (DATABASE_URL), which made this one and drops it. */
  readonly admin: Pool;
  readonly server: string;
}

/** Creates `{prefix}_{now}` on the server DATABASE_URL names, runs `work` on it, and drops it whatever happens. */
export async function withBenchDatabase<T>(prefix: string, work: (database: BenchDatabase) => Promise<T>): Promise<T> {
  const baseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const database = `${prefix}_${Date.now()}`;
  const url = databaseUrl(baseUrl, database);
  const admin = newPool(baseUrl, { max: 1 });
  let created = false;
  let db: Pool | undefined;
  try {
    const server = await serverLines(admin, baseUrl, database);
    await admin.query(`CREATE DATABASE ${database}`);
    created = true;
    db = newPool(url, { max: 1 });
    return await work({ url, db, admin, server });
  } finally {
    await db?.end();
    if (created) await dropDatabase(admin, database);
    await admin.end();
  }
}

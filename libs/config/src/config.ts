import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StorageLocation } from '@app/event-store';

export type ProjectionMode = 'inline' | 'off';

/** Tessera's configuration, read from the environment once at start (DESIGN §7). */
export interface TesseraConfig {
  readonly storage: StorageLocation;
  readonly dataDir: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly jwtSecret: string;
  readonly keyEncryptionKey?: string;
  readonly projections: ProjectionMode;
  /** How often expired awards are looked for, to reconcile the qualifications resting on them. */
  readonly expirySweepMs: number;
  /** How a projection's failing batch is retried before the projection is marked failed, and then how often. */
  readonly projectionRetry: ProjectionRetry;
  /** Requests per minute one caller may make: per token subject, or per IP address without a valid token. */
  readonly rateLimitPerMinute: number;
  /** The longest a bearer token may live, `exp` − `iat`, in seconds. */
  readonly tokenMaxAgeSeconds: number;
  /** How many `…/impact` dry runs one process computes at once; more are answered 429. */
  readonly impactConcurrency: number;
  /** A web page built elsewhere to serve at `/` instead of the one `npm run build` puts in dist/web. */
  readonly webDir?: string;
  /** The file the projector touches while healthy: its container's health check reads the file's age. */
  readonly projectorHeartbeatFile: string;
  /** How many api worker processes share the port (node:cluster); undefined: the api is this one process. */
  readonly workers?: number;
}

export const DEFAULT_PROJECTOR_HEARTBEAT_FILE = '/tmp/tessera-projector.heartbeat';

export interface ProjectionRetry {
  /** The first backoff (it doubles, up to 30 s). */
  readonly retryMs: number;
  readonly retriesBeforeFailed: number;
  /** How often a failed projection tries its failing event again. */
  readonly failedRetryMs: number;
}

/** A configuration problem, told in one line. */
export class ConfigError extends Error {}

const MIN_SECRET_LENGTH = 32;

export function loadConfig(env: NodeJS.ProcessEnv = process.env): TesseraConfig {
  const dataDir = resolve(env.TESSERA_DATA_DIR || './.tessera');
  const databaseUrl = env.DATABASE_URL?.trim();
  const eventStoreUrl = env.EVENTSTORE_URL?.trim();
  if (databaseUrl)
    assertUrl('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/database');
  if (eventStoreUrl)
    assertUrl(
      'EVENTSTORE_URL',
      eventStoreUrl,
      ['esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:'],
      'esdb://host:2113?tls=false',
    );
  const port = parsePort(env.PORT);
  const publicUrl = (env.TESSERA_PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');
  assertUrl('TESSERA_PUBLIC_URL', publicUrl, ['http:', 'https:'], 'https://credentials.example.edu');
  const projections = env.TESSERA_PROJECTIONS?.trim() || 'inline';
  if (projections !== 'inline' && projections !== 'off')
    throw new ConfigError(`TESSERA_PROJECTIONS must be "inline" or "off" (got "${projections}")`);
  const workers = parseWorkers(env.TESSERA_WORKERS, Boolean(databaseUrl));
  return {
    storage: {
      database: databaseUrl
        ? { kind: 'postgres', url: databaseUrl, prepared: parsePrepared(env.TESSERA_PG_PREPARED) }
        : { kind: 'pglite', dataDir: join(dataDir, 'pglite') },
      eventStoreUrl: eventStoreUrl || undefined,
    },
    dataDir,
    port,
    publicUrl,
    jwtSecret: jwtSecret(env.TESSERA_JWT_SECRET, databaseUrl ? undefined : dataDir),
    keyEncryptionKey: env.TESSERA_KEY_ENCRYPTION_KEY || undefined,
    webDir: env.TESSERA_WEB_DIR?.trim() ? resolve(env.TESSERA_WEB_DIR.trim()) : undefined,
    projections,
    expirySweepMs: parseWhole('TESSERA_EXPIRY_SWEEP_MS', env.TESSERA_EXPIRY_SWEEP_MS, 60_000, 50, 86_400_000),
    projectionRetry: {
      retryMs: parseWhole('TESSERA_PROJECTION_RETRY_MS', env.TESSERA_PROJECTION_RETRY_MS, 1000, 1, 60_000),
      retriesBeforeFailed: parseWhole('TESSERA_PROJECTION_RETRIES', env.TESSERA_PROJECTION_RETRIES, 6, 0, 100),
      failedRetryMs: parseWhole(
        'TESSERA_PROJECTION_FAILED_RETRY_MS',
        env.TESSERA_PROJECTION_FAILED_RETRY_MS,
        300_000,
        50,
        86_400_000,
      ),
    },
    rateLimitPerMinute: parseRateLimit(env.TESSERA_RATE_LIMIT),
    tokenMaxAgeSeconds: parseTokenMaxAge(env.TESSERA_TOKEN_MAX_AGE),
    impactConcurrency: parseImpactConcurrency(env.TESSERA_IMPACT_CONCURRENCY),
    projectorHeartbeatFile: resolve(env.TESSERA_HEARTBEAT_FILE?.trim() || DEFAULT_PROJECTOR_HEARTBEAT_FILE),
    workers,
  };
}

/** Named prepared statements on PostgreSQL: `off` behind PgBouncer in transaction mode, which cannot keep them. */
function parsePrepared(value: string | undefined): boolean {
  const mode = value?.trim() || 'on';
  if (mode !== 'on' && mode !== 'off')
    throw new ConfigError(`TESSERA_PG_PREPARED must be "on" or "off" (got "${value}")`);
  return mode === 'on';
}

/** Embedded PGlite belongs to one process, so several workers need a database server to share. */
function parseWorkers(value: string | undefined, databaseServer: boolean): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const workers = parseWhole('TESSERA_WORKERS', value, 1, 1, 256);
  if (!databaseServer)
    throw new ConfigError(
      `TESSERA_WORKERS needs DATABASE_URL: embedded PGlite belongs to one process (got "${value}" without DATABASE_URL)`,
    );
  return workers;
}

/** A registrar's UI pages and searches in bursts; 1,200 a minute (20 a second, sustained) leaves it room. */
const DEFAULT_RATE_LIMIT = 1200;

function parseRateLimit(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_RATE_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000_000)
    throw new ConfigError(
      `TESSERA_RATE_LIMIT must be a whole number of requests per minute from 1 to 10000000 (got "${value}")`,
    );
  return limit;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };

/** The seconds in a duration such as `30m`, `24h` or `7d` (negative for one already past, as tests mint), else NaN. */
export function durationSeconds(value: string): number {
  const match = /^(-?\d+)([smhdw])$/.exec(value.trim());
  return match ? Number(match[1]) * DURATION_UNITS[match[2]] : NaN;
}

/** A token's longest life by default: a working day, with room. */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 86_400;

/** A token's longest life, as `30m`, `24h` or `7d`, at most a year. */
function parseTokenMaxAge(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_TOKEN_MAX_AGE_SECONDS;
  const seconds = durationSeconds(value);
  if (!(seconds >= 60 && seconds <= 365 * 86_400))
    throw new ConfigError(
      `TESSERA_TOKEN_MAX_AGE must be a duration such as 30m, 24h or 7d, from 1m to 365d (got "${value}")`,
    );
  return seconds;
}

/** Two impact dry runs at once leave the other routes one of the two cores' worth. */
const parseImpactConcurrency = (value: string | undefined): number =>
  parseWhole('TESSERA_IMPACT_CONCURRENCY', value, 2, 1, 64);

function parseWhole(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < min || number > max)
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${value}")`);
  return number;
}

function assertUrl(name: string, value: string, protocols: string[], example: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL (expected something like ${example})`);
  }
  if (!protocols.includes(url.protocol))
    throw new ConfigError(
      `${name} must start with ${protocols.map((protocol) => `${protocol}//`).join(' or ')} (got "${redacted(url)}")`,
    );
  if (!url.hostname) throw new ConfigError(`${name} has no host (expected something like ${example})`);
}

/** A URL as given, less its password: safe to echo in an error. */
function redacted(url: URL): string {
  if (url.password) url.password = '***';
  return url.href.replace(/\/$/, '');
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be an integer from 0 to 65535 (got "${value}")`);
  return port;
}

/**
 * The HS256 secret. On the embedded default a random development secret is kept in the data folder,
 * so `npm start` works on a fresh machine and `tessera token` can mint matching tokens; with a database
 * server the secret must be given.
 */
function jwtSecret(value: string | undefined, embeddedDataDir: string | undefined): string {
  if (value) {
    if (value.length < MIN_SECRET_LENGTH)
      throw new ConfigError(`TESSERA_JWT_SECRET must have at least ${MIN_SECRET_LENGTH} characters`);
    return value;
  }
  if (!embeddedDataDir) throw new ConfigError('TESSERA_JWT_SECRET is required when DATABASE_URL is set');
  const file = join(embeddedDataDir, 'dev-jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(embeddedDataDir, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}

/** Where the configured stores are, without credentials: safe to print and to report in /health. */
export function describeStorage(storage: StorageLocation): { events: string; database: string } {
  const database =
    storage.database.kind === 'postgres' ? redact(storage.database.url) : `pglite:${storage.database.dataDir}`;
  return { events: storage.eventStoreUrl ? redact(storage.eventStoreUrl) : database, database };
}

function redact(value: string): string {
  const url = new URL(value);
  if (url.password) url.password = '***';
  return url.toString();
}

/** One line for a failure to open the stores at start, instead of a stack trace. */
export function describeStartupFailure(error: unknown, storage: StorageLocation): string {
  const where = describeStorage(storage);
  const candidate = error as { code?: string; message?: string };
  const reason = [candidate?.code, candidate?.message].filter(Boolean).join(': ') || String(error);
  return `cannot open the store (events: ${where.events}; database: ${where.database}): ${reason.split('\n')[0]}`;
}

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, describeStartupFailure, describeStorage, loadConfig } from './config';

describe('loadConfig', () => {
  const dataDir = () => mkdtempSync(join(tmpdir(), 'tessera-config-'));
  const secret = 's'.repeat(32);

  it('defaults to embedded PGlite in the data folder, port 3000, inline projections', () => {
    const dir = dataDir();
    const config = loadConfig({ TESSERA_DATA_DIR: dir });
    expect(config.storage).toEqual({
      database: { kind: 'pglite', dataDir: join(dir, 'pglite') },
      eventStoreUrl: undefined,
    });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.projections).toBe('inline');
    expect(config.rateLimitPerMinute).toBe(1200);
    expect(config.tokenMaxAgeSeconds).toBe(86_400);
    expect(config.impactConcurrency).toBe(2);
  });

  it('reads the longest token life as a duration and the impact dry runs one process computes at once', () => {
    const config = loadConfig({
      TESSERA_DATA_DIR: dataDir(),
      TESSERA_TOKEN_MAX_AGE: '90m',
      TESSERA_IMPACT_CONCURRENCY: '5',
    });
    expect(config.tokenMaxAgeSeconds).toBe(5400);
    expect(config.impactConcurrency).toBe(5);
  });

  it('reads the rate limit per caller and minute', () => {
    expect(loadConfig({ TESSERA_DATA_DIR: dataDir(), TESSERA_RATE_LIMIT: '50000' }).rateLimitPerMinute).toBe(50000);
  });

  it('retries a failing projection about a minute, then every 5 min, unless told otherwise', () => {
    expect(loadConfig({ TESSERA_DATA_DIR: dataDir() }).projectionRetry).toEqual({
      retryMs: 1000,
      retriesBeforeFailed: 6,
      failedRetryMs: 300_000,
    });
    const env = {
      TESSERA_PROJECTION_RETRY_MS: '10',
      TESSERA_PROJECTION_RETRIES: '0',
      TESSERA_PROJECTION_FAILED_RETRY_MS: '500',
    };
    expect(loadConfig({ TESSERA_DATA_DIR: dataDir(), ...env }).projectionRetry).toEqual({
      retryMs: 10,
      retriesBeforeFailed: 0,
      failedRetryMs: 500,
    });
  });

  it('serves the page npm run build made unless TESSERA_WEB_DIR names another build, resolved to an absolute path', () => {
    expect(loadConfig({ TESSERA_DATA_DIR: dataDir() }).webDir).toBeUndefined();
    expect(loadConfig({ TESSERA_DATA_DIR: dataDir(), TESSERA_WEB_DIR: 'site/build' }).webDir).toBe(
      resolve('site/build'),
    );
  });

  it('keeps one generated development secret in the data folder on the embedded default', () => {
    const dir = dataDir();
    const first = loadConfig({ TESSERA_DATA_DIR: dir }).jwtSecret;
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ TESSERA_DATA_DIR: dir }).jwtSecret).toBe(first);
    expect(readFileSync(join(dir, 'dev-jwt-secret'), 'utf8')).toBe(first);
  });

  it('uses PostgreSQL and EventStoreDB when their URLs are set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u:p@db:5432/tessera',
      EVENTSTORE_URL: 'esdb://es:2113?tls=false',
      TESSERA_JWT_SECRET: secret,
      PORT: '8080',
      TESSERA_PUBLIC_URL: 'https://badges.example.edu/',
      TESSERA_PROJECTIONS: 'off',
      TESSERA_WORKERS: '4',
    });
    expect(config.workers).toBe(4);
    expect(config.storage).toEqual({
      database: { kind: 'postgres', url: 'postgres://u:p@db:5432/tessera', prepared: true },
      eventStoreUrl: 'esdb://es:2113?tls=false',
    });
    expect(config.port).toBe(8080);
    expect(config.publicUrl).toBe('https://badges.example.edu');
    expect(config.projections).toBe('off');
    expect(describeStorage(config.storage)).toEqual({
      events: 'esdb://es:2113?tls=false',
      database: 'postgres://u:***@db:5432/tessera',
    });
  });

  it('turns prepared statements off for PgBouncer in transaction mode', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db/x',
      TESSERA_JWT_SECRET: secret,
      TESSERA_PG_PREPARED: 'off',
    });
    expect(config.storage.database).toEqual({ kind: 'postgres', url: 'postgres://u@db/x', prepared: false });
  });

  it.each([
    [
      { DATABASE_URL: 'postgres://u@db/x', TESSERA_JWT_SECRET: secret, TESSERA_PG_PREPARED: 'no' },
      /TESSERA_PG_PREPARED must be "on" or "off" \(got "no"\)/,
    ],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL is not a valid URL/],
    [{ DATABASE_URL: 'mysql://db/x' }, /DATABASE_URL must start with postgres:\/\//],
    [
      { DATABASE_URL: 'localhost:5432' },
      /DATABASE_URL must start with postgres:\/\/ or postgresql:\/\/ \(got "localhost:5432"\)$/,
    ],
    [{ DATABASE_URL: 'mysql://u:secret@db/x' }, /\(got "mysql:\/\/u:\*\*\*@db\/x"\)$/],
    [{ DATABASE_URL: 'postgres://u@db/x' }, /TESSERA_JWT_SECRET is required/],
    [{ EVENTSTORE_URL: 'http://es:2113' }, /EVENTSTORE_URL must start with esdb:\/\//],
    [{ PORT: 'eighty' }, /PORT must be an integer/],
    [{ PORT: '70000' }, /PORT must be an integer/],
    [{ TESSERA_PUBLIC_URL: 'ftp://x' }, /TESSERA_PUBLIC_URL must start with http/],
    [{ TESSERA_PROJECTIONS: 'sometimes' }, /TESSERA_PROJECTIONS must be "inline" or "off"/],
    [{ TESSERA_WORKERS: '2' }, /^TESSERA_WORKERS needs DATABASE_URL: embedded PGlite belongs to one process/],
    [
      { DATABASE_URL: 'postgres://u@db/x', TESSERA_JWT_SECRET: secret, TESSERA_WORKERS: '0' },
      /TESSERA_WORKERS must be a whole number from 1 to 256/,
    ],
    [{ TESSERA_JWT_SECRET: 'short' }, /at least 32 characters/],
    [{ TESSERA_RATE_LIMIT: 'lots' }, /TESSERA_RATE_LIMIT must be a whole number/],
    [{ TESSERA_RATE_LIMIT: '0' }, /TESSERA_RATE_LIMIT must be a whole number/],
    [{ TESSERA_RATE_LIMIT: '2.5' }, /TESSERA_RATE_LIMIT must be a whole number/],
    [{ TESSERA_TOKEN_MAX_AGE: '86400' }, /TESSERA_TOKEN_MAX_AGE must be a duration such as 30m/],
    [{ TESSERA_TOKEN_MAX_AGE: '30s' }, /TESSERA_TOKEN_MAX_AGE must be a duration such as 30m/],
    [{ TESSERA_TOKEN_MAX_AGE: '2y' }, /TESSERA_TOKEN_MAX_AGE must be a duration such as 30m/],
    [{ TESSERA_TOKEN_MAX_AGE: '400d' }, /TESSERA_TOKEN_MAX_AGE must be a duration such as 30m/],
    [{ TESSERA_IMPACT_CONCURRENCY: '0' }, /TESSERA_IMPACT_CONCURRENCY must be a whole number from 1 to 64/],
    [{ TESSERA_PROJECTION_RETRIES: 'many' }, /TESSERA_PROJECTION_RETRIES must be a whole number from 0 to 100/],
    [{ TESSERA_PROJECTION_RETRY_MS: '0' }, /TESSERA_PROJECTION_RETRY_MS must be a whole number from 1/],
    [{ TESSERA_PROJECTION_FAILED_RETRY_MS: '10' }, /TESSERA_PROJECTION_FAILED_RETRY_MS must be a whole number from 50/],
    [{ TESSERA_EXPIRY_SWEEP_MS: '10' }, /TESSERA_EXPIRY_SWEEP_MS must be a whole number from 50 to 86400000/],
  ])('refuses %j in one clear line', (env, message) => {
    const load = () => loadConfig({ TESSERA_DATA_DIR: dataDir(), ...env });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('describes a startup failure in one line, without the password', () => {
    const line = describeStartupFailure(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999\n    at stack'), { code: 'ECONNREFUSED' }),
      {
        database: { kind: 'postgres', url: 'postgres://u:secret@127.0.0.1:5999/x' },
      },
    );
    expect(line).toBe(
      'cannot open the store (events: postgres://u:***@127.0.0.1:5999/x; database: postgres://u:***@127.0.0.1:5999/x): ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5999',
    );
  });
});

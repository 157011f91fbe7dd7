import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { TokenVerifier } from '../apps/api/src/auth/token-verifier';
import { createThrowawayDatabase } from './support/postgres-server';

/** The built executables, as a newcomer runs them (npm ci builds them through `prepare`). */
const root = join(__dirname, '..');
const built = (app: string) => join(root, 'dist', 'apps', app, 'src', 'main.js');
const secret = 'process-secret-'.repeat(3);

beforeAll(() => {
  if (!existsSync(built('api')))
    throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the tests');
});

function run(script: string, env: Record<string, string>, args: string[] = []) {
  return spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('starting the api with a bad configuration', () => {
  it.each([
    [
      'a malformed DATABASE_URL',
      { DATABASE_URL: 'postgres//oops' },
      /^tessera: configuration: DATABASE_URL is not a valid URL/,
    ],
    [
      'an unreachable database',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', TESSERA_JWT_SECRET: secret },
      /^tessera: cannot open the store .*ECONNREFUSED/,
    ],
    [
      'a database that does not exist',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tessera_absent', TESSERA_JWT_SECRET: secret },
      /^tessera: cannot open the store .*does not exist/,
    ],
    ['an invalid PORT', { PORT: '-1' }, /^tessera: configuration: PORT must be an integer/],
  ])('%s: one clear line and a non-zero exit, no stack trace', (_label, env, message) => {
    const result = run(built('api'), env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the tessera executable', () => {
  it('prints its help', () => {
    const result = run(join(root, 'bin', 'tessera.js'), {}, ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Usage: tessera/);
    expect(result.stdout).toMatch(/serve/);
  });

  it('mints a development token that the api accepts', async () => {
    const result = run(join(root, 'bin', 'tessera.js'), { TESSERA_JWT_SECRET: secret }, [
      'token',
      '--role',
      'registrar',
      '--issuer',
      'uni-a',
      '--learner',
      'ada',
      '--sub',
      'reg-1',
      '--expires-in',
      '2h',
    ]);
    expect(result.status).toBe(0);
    const actor = await new TokenVerifier(secret).verify(result.stdout.trim());
    expect(actor).toEqual({ sub: 'reg-1', roles: ['registrar'], issuers: ['uni-a'], learner: 'ada' });
    const refused = run(join(root, 'bin', 'tessera.js'), { TESSERA_JWT_SECRET: secret }, ['token', '--role', 'dean']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/Allowed choices are admin, issuer-admin/);
  });

  it('refuses an unknown command with a non-zero exit', () => {
    const result = run(join(root, 'bin', 'tessera.js'), {}, ['no-such-command']);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/unknown command/);
  });
});

describe('the projector process', () => {
  it('tails the store from its stored checkpoint and stops cleanly', async () => {
    const database = await createThrowawayDatabase();
    const store = await PostgresEventStore.open(pgSqlClient(database.url));
    try {
      for (let index = 0; index < 5; index++)
        await store.appendToStream(`record-${index}`, [{ id: randomUUID(), type: 'Seeded', data: { index } }]);
      const projector = spawn(process.execPath, [built('projector')], {
        env: { ...process.env, DATABASE_URL: database.url, TESSERA_JWT_SECRET: secret },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise<number | null>((resolve) => projector.on('exit', resolve));
      const head = (await store.appendToStream('record-last', [{ id: randomUUID(), type: 'Seeded', data: {} }]))
        .position;
      const deadline = Date.now() + 20_000;
      let checkpoint: bigint | undefined;
      while (Date.now() < deadline && (checkpoint === undefined || checkpoint < head)) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const rows = await store.sql
          .query<{ position: string }>(
            "SELECT position::text AS position FROM tessera_checkpoints WHERE projection = 'stream-summary'",
          )
          .catch(() => []);
        checkpoint = rows[0] ? BigInt(rows[0].position) : undefined;
      }
      expect(checkpoint).toBe(head);
      const [{ count }] = await store.sql.query<{ count: number }>(
        'SELECT sum(event_count)::int AS count FROM tessera_stream_summary',
      );
      expect(count).toBe(6);
      projector.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await store.close();
      await database.drop();
    }
  });

  it('refuses to run on embedded PGlite, saying why', () => {
    const result = run(built('projector'), { DATABASE_URL: '', TESSERA_DATA_DIR: join(root, 'dist', 'tmp-projector') });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/the projector needs DATABASE_URL/);
  });
});

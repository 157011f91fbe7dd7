import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { TokenVerifier } from '../apps/api/src/auth/token-verifier';
import request from 'supertest';
import { awardThroughApi, definition } from './support/api-harness';
import { createThrowawayDatabase } from './support/postgres-server';
import { childEnv } from './support/child-env';

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
    env: childEnv(env),
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
    const tooLong = run(join(root, 'bin', 'tessera.js'), { TESSERA_JWT_SECRET: secret }, [
      'token',
      '--role',
      'admin',
      '--expires-in',
      '2d',
    ]);
    expect(tooLong.status).not.toBe(0);
    expect(tooLong.stdout).toBe('');
    expect(tooLong.stderr).toMatch(/--expires-in 2d is longer than TESSERA_TOKEN_MAX_AGE \(86400 s\)/);
    const allowed = run(join(root, 'bin', 'tessera.js'), { TESSERA_JWT_SECRET: secret, TESSERA_TOKEN_MAX_AGE: '7d' }, [
      'token',
      '--role',
      'admin',
      '--expires-in',
      '2d',
    ]);
    expect(allowed.status).toBe(0);
    await expect(new TokenVerifier(secret, 7 * 86_400).verify(allowed.stdout.trim())).resolves.toMatchObject({
      roles: ['admin'],
    });
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
      // A file of this run's own: one left in /tmp by another user's run may not be writable.
      const heartbeatFile = join(mkdtempSync(join(tmpdir(), 'tessera-projector-')), 'heartbeat');
      const projector = spawn(process.execPath, [built('projector')], {
        env: childEnv({
          DATABASE_URL: database.url,
          TESSERA_JWT_SECRET: secret,
          TESSERA_HEARTBEAT_FILE: heartbeatFile,
        }),
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
      // The container health check reads this file's age.
      expect(existsSync(heartbeatFile)).toBe(true);
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

describe('the api on the embedded default (what `npm start` runs)', () => {
  it('serves on PGlite in a data folder, runs the projections inline, and keeps its data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-embedded-'));
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const base = `http://127.0.0.1:${port}`;
    const start = () => {
      const api = spawn(process.execPath, [built('api')], {
        env: childEnv({ DATABASE_URL: '', TESSERA_DATA_DIR: dataDir, PORT: port, TESSERA_JWT_SECRET: secret }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      // Nest closes the app on SIGTERM, then re-raises the signal: a clean stop ends by that signal.
      const exited = new Promise((resolve) => api.on('exit', (code, signal) => resolve(code ?? signal)));
      return { api, exited };
    };
    const waitFor = async <T>(probe: () => Promise<T | undefined>, what: string): Promise<T> => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
        const found = await probe().catch(() => undefined);
        if (found !== undefined) return found;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const healthy = () =>
      waitFor(async () => ((await fetch(`${base}/health`)).ok ? true : undefined), 'the api to answer /health');
    const admin = await new TokenVerifier(secret).sign({ sub: 'admin-1', roles: ['admin'], issuers: [] });
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    try {
      let running = start();
      await healthy();
      const registered = await fetch(`${base}/issuers`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          id: 'embedded-uni',
          name: 'Embedded University',
          url: 'https://embedded.example',
          country: 'IE',
          qualityAssurance: 'QQI',
        }),
      });
      expect(registered.status).toBe(201);
      const staff = await new TokenVerifier(secret).sign({
        sub: 'staff-1',
        roles: ['issuer-admin', 'assessor', 'registrar'],
        issuers: ['embedded-uni'],
      });
      const defined = await fetch(`${base}/achievements`, {
        method: 'POST',
        headers: { ...headers, authorization: `Bearer ${staff}` },
        body: JSON.stringify({ ...definition(), id: 'embedded-sql', issuerId: 'embedded-uni' }),
      });
      expect(defined.status).toBe(201);
      // The catalogue is a read model: the projections run inline, in the api's own process, on PGlite.
      const listed = await waitFor(async () => {
        const response = await fetch(`${base}/achievements?issuerId=embedded-uni`, { headers });
        const { achievements } = (await response.json()) as {
          achievements: Array<{ achievementId: string; versions: Array<{ definition: { title: string } }> }>;
        };
        return achievements.find((achievement) => achievement.achievementId === 'embedded-sql');
      }, 'the inline projections to list the achievement');
      expect(listed.versions[0].definition.title).toBe(definition().title);
      // An award sets off every projection and the conferral process manager, all on PGlite's one connection.
      const server = { http: () => request(base) };
      const { awardId } = await awardThroughApi(server, staff, 'ada', 'embedded-sql');
      const transcript = await waitFor(async () => {
        const response = await request(base)
          .get('/learners/ada/transcript')
          .set('Authorization', `Bearer ${staff}`)
          .timeout(5000);
        const awards = (response.body as { awards?: Array<{ awardId: string }> }).awards ?? [];
        return awards.some((award) => award.awardId === awardId) ? awards : undefined;
      }, 'the transcript to show the award');
      expect(transcript).toHaveLength(1);
      await healthy();
      running.api.kill('SIGTERM');
      expect([0, 'SIGTERM']).toContain(await running.exited);

      running = start();
      await healthy();
      const issuer = await fetch(`${base}/issuers/embedded-uni`, { headers });
      expect(issuer.status).toBe(200);
      expect(((await issuer.json()) as { name: string }).name).toBe('Embedded University');
      running.api.kill('SIGTERM');
      expect([0, 'SIGTERM']).toContain(await running.exited);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

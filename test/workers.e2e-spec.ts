import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PROJECTIONS } from '@app/read-models';
import { Client } from 'pg';
import { TokenVerifier } from '../apps/api/src/auth/token-verifier';
import { definition, issuer } from './support/api-harness';
import { childEnv } from './support/child-env';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/postgres-server';

/** `TESSERA_WORKERS=N`, as `npm start` runs it: the built api, a primary and its workers, on PostgreSQL. */
const api = join(__dirname, '..', 'dist', 'apps', 'api', 'src', 'main.js');
const secret = 'workers-secret-'.repeat(3);
/** The first key of the projection runner's ownership locks (libs/read-models/src/projection-runner.ts). */
const OWNERSHIP_LOCK_CLASS = 7355611;
/** What the runner owns: the read models and the conferral process manager (libs/application/src/projections.ts). */
const OWNED = PROJECTIONS.length + 1;

beforeAll(() => {
  if (!existsSync(api)) throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the tests');
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  for (const deadline = Date.now() + ms; Date.now() < deadline;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    await sleep(50);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('TESSERA_WORKERS on embedded PGlite', () => {
  it('is refused in one line naming the variable, exit code 1', () => {
    const result = spawnSync(process.execPath, [api], {
      env: childEnv({
        DATABASE_URL: '',
        TESSERA_DATA_DIR: mkdtempSync(join(tmpdir(), 'tessera-workers-')),
        TESSERA_WORKERS: '2',
      }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(
      /^tessera: configuration: TESSERA_WORKERS needs DATABASE_URL: embedded PGlite belongs to one process/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('TESSERA_WORKERS with a database that cannot be opened', () => {
  it('fails to start as one api does: the worker’s one line, exit code 1, no worker forked again', () => {
    const result = spawnSync(process.execPath, [api], {
      env: childEnv({
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
        TESSERA_JWT_SECRET: secret,
        TESSERA_WORKERS: '2',
        PORT: '0',
      }),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^tessera: cannot open the store .*ECONNREFUSED/);
    expect(result.stdout).not.toMatch(/forking it again/);
  });
});

describe('TESSERA_WORKERS=1 on PostgreSQL', () => {
  it('forks its only worker again after a kill -9, and serves again', async () => {
    const database = await createThrowawayDatabase();
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const primary = spawn(process.execPath, [api], {
      env: childEnv({
        DATABASE_URL: database.url,
        TESSERA_JWT_SECRET: secret,
        TESSERA_WORKERS: '1',
        PORT: String(port),
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    primary.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => primary.on('exit', (code, signal) => resolve(code ?? signal)));
    const listening = () => [...output.matchAll(/worker 1 \(pid (\d+)\) listening/g)].map((match) => Number(match[1]));
    try {
      const [first] = await waitFor(async () => (listening().length === 1 ? listening() : undefined), 'the worker');
      process.kill(first, 'SIGKILL');
      // With no worker left, the primary must still be there to fork one.
      await waitFor(async () => (listening().length === 2 ? true : undefined), 'the worker to be forked again');
      expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    } finally {
      primary.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      await database.drop();
    }
  });
});

describe('TESSERA_WORKERS=2 on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let sql: Client;
  let primary: ChildProcess;
  let output = '';
  let exited: Promise<string>;
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const base = `http://127.0.0.1:${port}`;
  const tokens = new TokenVerifier(secret);
  let assessor = '';

  /** The workers alive now, by pid, from the lines they print when they listen and the primary's when one dies. */
  const workers = () => {
    const listening = [...output.matchAll(/worker \d+ \(pid (\d+)\) listening/g)].map((match) => Number(match[1]));
    const died = new Set([...output.matchAll(/worker \d+ \(pid (\d+)\) died/g)].map((match) => Number(match[1])));
    return listening.filter((pid) => !died.has(pid));
  };

  /** Who holds each projection's ownership lock: its connection's application_name names the worker's pid. */
  const owners = async () => {
    const { rows } = await sql.query<{ projection: string; application_name: string }>(
      `SELECT l.objid::text AS projection, a.application_name
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1 AND l.objsubid = 2
         AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [OWNERSHIP_LOCK_CLASS],
    );
    const byProjection = new Map<string, number[]>();
    for (const row of rows) {
      const pid = Number(/\(pid (\d+)\)/.exec(row.application_name)?.[1]);
      byProjection.set(row.projection, [...(byProjection.get(row.projection) ?? []), pid]);
    }
    return byProjection;
  };

  /** POST on a connection of its own, so that node:cluster's round robin hands each to the next worker. */
  const post = (path: string, token: string, body: object, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      const call = httpRequest(
        `${base}${path}`,
        {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        },
      );
      call.on('error', reject);
      call.end(payload);
    });

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    sql = new Client({ connectionString: database.url });
    await sql.connect();
    primary = spawn(process.execPath, [api], {
      env: childEnv({
        DATABASE_URL: database.url,
        TESSERA_JWT_SECRET: secret,
        TESSERA_WORKERS: '2',
        TESSERA_RATE_LIMIT: '1000000',
        PORT: String(port),
        PGAPPNAME: '',
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    primary.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    primary.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    exited = new Promise((resolve) => primary.on('exit', (code, signal) => resolve(String(code ?? signal))));
    await waitFor(async () => (workers().length === 2 ? true : undefined), `two workers listening:\n${output}`);
    const admin = await tokens.sign({ sub: 'admin-1', roles: ['admin'], issuers: [] });
    const issuerAdmin = await tokens.sign({ sub: 'tu-admin', roles: ['issuer-admin'], issuers: ['tu-dublin'] });
    assessor = await tokens.sign({ sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] });
    expect((await post('/issuers', admin, issuer())).status).toBe(201);
    expect(
      (await post('/achievements', issuerAdmin, { id: 'sql', issuerId: 'tu-dublin', ...definition() })).status,
    ).toBe(201);
  }, 90_000);

  afterAll(async () => {
    primary?.kill('SIGTERM');
    await exited;
    await sql?.end();
    await database?.drop();
  });

  it('gives each projection to exactly one worker, and another takes it over within 5 s of its owner’s kill -9', async () => {
    const before = await waitFor(async () => {
      const held = await owners();
      return held.size === OWNED ? held : undefined;
    }, 'every projection and the process manager to have an owner');
    for (const pids of before.values()) expect(pids).toHaveLength(1);
    const alive = workers();
    for (const [pid] of before.values()) expect(alive).toContain(pid);

    const victim = [...before.values()][0][0];
    const killedAt = Date.now();
    process.kill(victim, 'SIGKILL');
    const after = await waitFor(
      async () => {
        const held = await owners();
        return held.size === before.size && [...held.values()].every(([pid]) => pid !== victim) ? held : undefined;
      },
      'the projections of the killed worker to be taken over',
      5_000,
    );
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(5_000);
    for (const pids of after.values()) expect(pids).toHaveLength(1);

    // The new owner projects: a command's event reaches the read model the api reads.
    const submitted = await post('/learners/after-kill/achievements/sql/evidence', assessor, {
      kind: 'accomplishment',
      criterionIds: ['joins'],
      description: 'Submitted after the owner was killed',
      observedAt: '2026-03-01T10:00:00Z',
    });
    expect(submitted.status).toBe(201);
    const position = BigInt(JSON.parse(submitted.body).position as string);
    await waitFor(
      async () => {
        const { rows } = await sql.query<{ position: string }>(
          "SELECT position::text AS position FROM tessera_checkpoints WHERE projection = 'stream-summary'",
        );
        return rows[0] && BigInt(rows[0].position) >= position ? true : undefined;
      },
      'the stream summary to reach the new event',
      5_000,
    );

    // The primary forks the dead worker again, and says so.
    expect(output).toMatch(
      new RegExp(`worker \\d \\(pid ${victim}\\) died \\(signal SIGKILL\\); forking it again in \\d+ ms`),
    );
    await waitFor(async () => (workers().length === 2 ? true : undefined), 'the dead worker to be forked again');
  });

  it('turns one Idempotency-Key sent to both workers at once into one append and one answer', async () => {
    for (let round = 0; round < 6; round++) {
      const learner = `twin-${round}-${randomUUID()}`;
      const key = `twin-key-${round}`;
      const body = {
        kind: 'accomplishment',
        criterionIds: ['joins'],
        description: 'Sent twice at once',
        observedAt: '2026-03-01T10:00:00Z',
      };
      // Two connections opened together: round robin hands them to the two workers.
      const answers = await Promise.all(
        [0, 1].map(() =>
          post(`/learners/${learner}/achievements/sql/evidence`, assessor, body, { 'idempotency-key': key }),
        ),
      );
      expect(answers.map((answer) => answer.status)).toEqual([201, 201]);
      expect(answers[0].body).toBe(answers[1].body);
      const { rows } = await sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM tessera_events WHERE stream_name LIKE $1 AND type = 'EvidenceSubmitted'",
        [`%${learner}%`],
      );
      expect(rows[0].n).toBe(1);
    }
  });

  it('stops every worker, then itself, on SIGTERM', async () => {
    const pids = workers();
    primary.kill('SIGTERM');
    expect(await exited).toBe('SIGTERM');
    expect(output).toMatch(/SIGTERM: stopping 2 worker\(s\)/);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Actor } from '../apps/api/src/auth/actor';
import { definition, issuer, startApi, TEST_JWT_SECRET, type ApiHarness } from './support/api-harness';
import { childEnv } from './support/child-env';

/**
 * The audit trail over HTTP and the command line against PostgreSQL: a ledger written through the api verifies, and
 * an event changed, deleted or moved behind the api's back in the database is found and named.
 */
describe('audit verify', () => {
  let api: ApiHarness;
  let sql: Client;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    tuAdmin: { sub: 'tu-admin', roles: ['issuer-admin'], issuers: ['tu-dublin'] },
    tuAssessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registrar', roles: ['registrar'], issuers: ['tu-dublin'] },
    auditor: { sub: 'auditor', roles: ['auditor'], issuers: [] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const storedEvents = async () =>
    (await sql.query<{ n: number }>('SELECT count(*)::int AS n FROM tessera_events')).rows[0].n;
  /**
   * Readers see an event only once no older transaction runs anywhere on the server (the in-flight fence of
   * docs/event-store.md), and other test files share the server: repeat until the reader has seen every stored event.
   */
  const settled = async <T>(read: () => Promise<T>, seen: (result: T) => number): Promise<T> => {
    const stored = await storedEvents();
    for (let attempt = 1; ; attempt++) {
      const result = await read();
      if (seen(result) === stored || attempt === 100) return result;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const verify = () =>
    settled(
      () => api.http().get('/audit/verify').set('Authorization', `Bearer ${tokens.auditor}`).expect(200),
      (response) => response.body.events,
    );
  const cli = (...args: string[]) =>
    settled(
      async () =>
        spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'tessera.js'), 'audit', 'verify', ...args], {
          env: childEnv({ DATABASE_URL: api.database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET }),
          encoding: 'utf8',
          timeout: 30_000,
        }),
      (run) => Number(/(\d+) events/.exec(run.stdout)?.[1] ?? JSON.parse(run.stdout || '{}').events),
    );
  const record = (learner: string) => `record-${learner}~sql`;

  /** Two pieces of evidence and a passing assessment: revisions 0, 1 and 2 of the learner's record stream. */
  const assess = async (learner: string) => {
    const evidenceIds: string[] = [];
    for (const description of ['Built the reporting queries', 'Tuned the slow report']) {
      const evidence = await post('tuAssessor', `/learners/${learner}/achievements/sql/evidence`, {
        kind: 'accomplishment',
        criterionIds: ['joins', 'aggregates'],
        description,
        observedAt: '2026-03-01T10:00:00Z',
      }).expect(201);
      evidenceIds.push(evidence.body.evidenceId);
    }
    await post('tuAssessor', `/learners/${learner}/achievements/sql/assessments`, {
      evidenceIds,
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: true },
      ],
    }).expect(201);
  };

  beforeAll(async () => {
    if (!existsSync(join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js')))
      throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the tests');
    api = await startApi();
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('tuAdmin', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
    for (const learner of ['ada', 'bob', 'cy', 'dee']) await assess(learner);
    await post('tuAssessor', '/learners/dee/achievements/sql/award').expect(201);
    sql = new Client({ connectionString: api.database.url });
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await api?.close();
  });

  it('is for auditors only', async () => {
    await api.http().get('/audit/verify').expect(401);
    for (const who of ['registrar', 'admin', 'tuAssessor']) {
      const refused = await api.http().get('/audit/verify').set('Authorization', `Bearer ${tokens[who]}`).expect(403);
      expect(refused.body).toMatchObject({ type: 'urn:tessera:problem:role-not-allowed', status: 403 });
    }
  });

  it('finds the ledger written through the api intact, every event hash-chained', async () => {
    const { rows } = await sql.query<{ streams: number; events: number }>(
      'SELECT count(DISTINCT stream_name)::int AS streams, count(*)::int AS events FROM tessera_events',
    );
    const report = await verify();
    expect(report.body).toEqual({ ok: true, streams: rows[0].streams, events: rows[0].events, broken: [] });
    const unchained = await sql.query(
      "SELECT 1 FROM tessera_events WHERE NOT (metadata ? 'hash' AND metadata ? 'prevHash')",
    );
    expect(unchained.rowCount).toBe(0);

    const run = await cli();
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(`${report.body.streams} streams, ${report.body.events} events: ok\n`);
    expect(run.status).toBe(0);
  });

  it('names an event whose data was changed in the database', async () => {
    const changed = await sql.query(
      `UPDATE tessera_events SET data = jsonb_set(data, '{description}', '"forged"')
        WHERE stream_name = $1 AND stream_revision = 1`,
      [record('ada')],
    );
    expect(changed.rowCount).toBe(1);
    expect((await verify()).body).toMatchObject({
      ok: false,
      broken: [
        { stream: record('ada'), revision: 1, reason: 'hash does not match the event (changed after it was recorded)' },
      ],
    });
  });

  it('names the gap a deleted event leaves', async () => {
    await sql.query('DELETE FROM tessera_events WHERE stream_name = $1 AND stream_revision = 1', [record('bob')]);
    const { body } = await verify();
    expect(body.ok).toBe(false);
    expect(body.broken).toContainEqual({
      stream: record('bob'),
      revision: 2,
      reason: 'event missing before revision 2',
    });
  });

  it('names two events whose order was swapped', async () => {
    // Through a temporary revision, to get past UNIQUE (stream_name, stream_revision).
    for (const [from, to] of [
      [1, -1],
      [2, 1],
      [-1, 2],
    ])
      await sql.query(
        'UPDATE tessera_events SET stream_revision = $3 WHERE stream_name = $1 AND stream_revision = $2',
        [record('cy'), from, to],
      );
    const { body } = await verify();
    expect(body.broken).toContainEqual({
      stream: record('cy'),
      revision: 1,
      reason: 'prevHash does not match the hash of revision 0 (recorded after revision 2: events reordered)',
    });
  });

  it('reports every broken stream, once each, over HTTP and on the command line (exit 1)', async () => {
    const { body } = await verify();
    expect(body.broken.map((link: { stream: string; revision: number }) => [link.stream, link.revision])).toEqual([
      [record('ada'), 1],
      [record('bob'), 2],
      [record('cy'), 1],
    ]);

    const run = await cli();
    expect(run.status).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      `broken: ${record('ada')} at revision 1: hash does not match the event (changed after it was recorded)`,
      `broken: ${record('bob')} at revision 2: event missing before revision 2`,
      `broken: ${record('cy')} at revision 1: prevHash does not match the hash of revision 0 (recorded after revision 2: events reordered)`,
      `${body.streams} streams, ${body.events} events: 3 broken`,
    ]);
    const json = await cli('--json');
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual(body);
  });
});

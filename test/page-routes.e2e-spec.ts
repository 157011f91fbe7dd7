import { Client } from 'pg';
import type { Actor, Role } from '../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = 'tu-dublin';
const B = 'uni-porto';

/**
 * The routes the web page reads besides the transcript: a learner's records in progress, the auditor's recent
 * activity and the audit with progress, an issuer's chart data. Two issuers: ada holds an award and evidence awaiting
 * assessment at A and an award at B; bob has a not-yet assessment at A. Each route's tenancy is the transcript's or
 * the history's: the learner sees their own, staff their issuers' part, 404 unknown-learner for a learner they hold
 * nothing of (a learner's own token too), 403 for a role that may not.
 */
describe('the page’s routes: records in progress, recent activity, the audit with progress, chart data', () => {
  let api: ApiHarness;
  let sql: Client;
  const tokens: Record<string, string> = {};
  const staff = (issuerId: string, ...roles: Role[]): Actor => ({
    sub: `${roles.join('+')}-${issuerId}`,
    roles,
    issuers: [issuerId],
  });
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staffA: staff(A, 'issuer-admin', 'assessor'),
    staffB: staff(B, 'issuer-admin', 'assessor'),
    registrarA: staff(A, 'registrar'),
    registrarB: staff(B, 'registrar'),
    auditorA: staff(A, 'auditor'),
    auditorB: staff(B, 'auditor'),
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
    zed: { sub: 'zed-login', roles: ['learner'], issuers: [], learner: 'zed' },
  };
  let position = '0';
  const get = (who: string, path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const send = async (who: string, method: 'post' | 'put' | 'delete', path: string, body: object = {}) => {
    const response = await api.http()[method](path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Json;
  };
  const problem = async (
    request: PromiseLike<{ status: number; type: string; body: Json }>,
    status: number,
    code: string,
  ) => {
    const response = await request;
    expect({ status: response.status, type: response.type, code: response.body.type }).toEqual({
      status,
      type: 'application/problem+json',
      code: `urn:tessera:problem:${code}`,
    });
  };
  const evidence = (who: string, learnerId: string, achievementId: string, criterionIds: string[]) =>
    send(who, 'post', `/learners/${learnerId}/achievements/${achievementId}/evidence`, {
      kind: 'accomplishment',
      criterionIds,
      description: `Work on ${criterionIds.join(' and ')}`,
      observedAt: '2026-03-01T10:00:00Z',
    });

  beforeAll(async () => {
    api = await startApi();
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await send('admin', 'post', '/issuers', issuer());
    await send('admin', 'post', '/issuers', issuer({ id: B, name: 'Universidade do Porto', country: 'PT' }));
    await send('staffA', 'post', '/achievements', { id: 'sql', issuerId: A, ...definition() });
    await send('staffA', 'post', '/achievements', {
      id: 'model',
      issuerId: A,
      ...definition({ title: 'Relational modelling', credits: [{ framework: 'ECTS', value: 3 }] }),
    });
    await send('staffB', 'post', '/achievements', { id: 'porto-sql', issuerId: B, ...definition({ title: 'SQL' }) });
    await send('staffA', 'post', '/pathways', {
      id: 'cert',
      issuerId: A,
      title: 'Certificate in Data',
      award: {
        title: 'Certificate in Data',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 5 }],
      },
      rule: { allOf: [{ achievement: 'sql' }, { achievement: 'model' }] },
      conferral: 'automatic',
    });
    await awardThroughApi(api, tokens.staffA, 'ada', 'sql');
    await awardThroughApi(api, tokens.staffB, 'ada', 'porto-sql');
    await evidence('staffA', 'ada', 'model', ['joins']);
    const bobs = await evidence('staffA', 'bob', 'model', ['joins', 'aggregates']);
    await send('staffA', 'post', '/learners/bob/achievements/model/assessments', {
      evidenceIds: [bobs.evidenceId],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: false },
      ],
    });
    position = (await awardThroughApi(api, tokens.staffA, 'cy', 'model')).position;
    await send('registrarA', 'put', '/learners/ada/profile', { name: 'Ada Lovelace', email: 'ada@example.edu' });
    sql = new Client({ connectionString: api.database.url });
    await sql.connect();
    // The read models the routes scope by (learner-issuers, stream summary) have caught up with every write.
    await get('registrarA', `/learners/cy/transcript?minPosition=${position}`).expect(200);
  }, 120_000);
  afterAll(async () => {
    await sql?.end();
    await api?.close();
  });

  describe('GET /learners/:id/records', () => {
    const byAchievement = (body: Json) =>
      Object.fromEntries(body.records.map((record: Json) => [record.achievementId, record]));

    it('shows the learner every record: what is pending, what is missing, each criterion, the people by name', async () => {
      const body = (await get('ada', '/learners/ada/records').expect(200)).body;
      expect(body.learnerId).toBe('ada');
      expect(body.names).toEqual({ ada: 'Ada Lovelace' });
      const records = byAchievement(body);
      expect(Object.keys(records).sort()).toEqual(['model', 'porto-sql', 'sql']);
      expect(records.sql).toMatchObject({
        stage: 'awarded',
        issuerId: A,
        title: 'Querying relational data',
        missing: [],
      });
      const model = records.model;
      expect(model).toMatchObject({ stage: 'awaiting-assessment', title: 'Relational modelling', version: 1 });
      expect(model.pending).toEqual([model.evidence[0].evidenceId]);
      expect(model.evidence[0]).toMatchObject({ observedBy: 'issuer-admin+assessor-tu-dublin', assessed: false });
      expect(model.missing).toEqual(['aggregates']);
      expect(model.criteria).toEqual([
        {
          criterionId: 'joins',
          description: 'Writes a correct multi-table join',
          required: true,
          evidenceIds: model.pending,
          met: null,
        },
        {
          criterionId: 'aggregates',
          description: 'Groups and aggregates correctly',
          required: true,
          evidenceIds: [],
          met: null,
        },
        { criterionId: 'plans', description: 'Explains a query plan', required: false, evidenceIds: [], met: null },
      ]);
    });

    it('says what a not-yet assessment left missing', async () => {
      const model = byAchievement((await get('registrarA', '/learners/bob/records').expect(200)).body).model;
      expect(model).toMatchObject({ stage: 'not-yet', pending: [], missing: ['aggregates'] });
      expect(model.assessments).toEqual([
        expect.objectContaining({ assessor: 'issuer-admin+assessor-tu-dublin', outcome: 'not-yet' }),
      ]);
      expect(model.criteria.map((criterion: Json) => criterion.met)).toEqual([true, false, false]);
    });

    it('shows staff their issuers’ records only; refuses another learner and unknown learners', async () => {
      expect(
        Object.keys(byAchievement((await get('registrarA', '/learners/ada/records').expect(200)).body)).sort(),
      ).toEqual(['model', 'sql']);
      expect(Object.keys(byAchievement((await get('auditorB', '/learners/ada/records').expect(200)).body))).toEqual([
        'porto-sql',
      ]);
      await problem(get('ada', '/learners/bob/records'), 403, 'not-your-learner');
      await problem(get('registrarB', '/learners/bob/records'), 404, 'unknown-learner');
      await problem(get('zed', '/learners/zed/records'), 404, 'unknown-learner');
      await problem(get('staffA', '/learners/ada/records'), 403, 'role-not-allowed');
      await problem(get('ada', '/learners/a%20b/records'), 400, 'invalid-id');
      await api.http().get('/learners/ada/records').expect(401);
    });

    it('names people by id once their profile is erased', async () => {
      await api.http().delete('/learners/ada/profile').set('Authorization', `Bearer ${tokens.ada}`).expect(200);
      expect((await get('ada', '/learners/ada/records').expect(200)).body.names).toEqual({});
    });
  });

  it('answers a learner token for a learner no issuer holds anything of with 404 unknown-learner, on every read route', async () => {
    await problem(get('zed', '/learners/zed/transcript'), 404, 'unknown-learner');
    await problem(get('zed', '/learners/zed/transcript?asOf=2026-01-01T00:00:00Z'), 404, 'unknown-learner');
    await problem(get('zed', '/learners/zed/pathways/cert/progress'), 404, 'unknown-learner');
    await problem(get('zed', '/learners/zed/clr'), 404, 'unknown-learner');
    await get('ada', '/learners/ada/transcript').expect(200);
  });

  describe('GET /audit/events', () => {
    /** Every page, following `next`. */
    const allPages = async (who: string, limit: number): Promise<Json[]> => {
      const events: Json[] = [];
      for (let cursor: string | undefined, pages = 0; ; pages++) {
        const body = (await get(who, `/audit/events?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`).expect(200))
          .body;
        expect(body.events.length).toBeLessThanOrEqual(limit);
        events.push(...body.events);
        if (!body.next) return events;
        expect(body.events).toHaveLength(limit);
        cursor = body.next;
        expect(pages).toBeLessThan(100);
      }
    };
    const historyOf = async (who: string, learnerId: string) =>
      (await get(who, `/learners/${learnerId}/history?limit=200`).expect(200)).body.events.map((event: Json) => ({
        ...event,
        learnerId,
      }));

    it('lists, newest first and page by page, the events of the learner streams the auditor’s issuers hold', async () => {
      const paged = await allPages('auditorA', 3);
      const positions = paged.map((event) => BigInt(event.position));
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
      const expected = [
        ...(await historyOf('auditorA', 'ada')),
        ...(await historyOf('auditorA', 'bob')),
        ...(await historyOf('auditorA', 'cy')),
      ].sort((a, b) => (BigInt(a.position) < BigInt(b.position) ? 1 : -1));
      expect(paged).toEqual(expected);
      expect(paged.some((event) => event.stream === 'record-ada~porto-sql')).toBe(false);
      expect(paged[0]).toMatchObject({ type: expect.any(String), learnerId: expect.any(String) });
    });

    it('shows another issuer’s auditor theirs alone, and refuses other roles and bad cursors', async () => {
      const theirs = await allPages('auditorB', 50);
      expect(new Set(theirs.map((event) => event.stream))).toEqual(new Set(['record-ada~porto-sql']));
      await problem(get('registrarA', '/audit/events'), 403, 'role-not-allowed');
      await problem(get('ada', '/audit/events'), 403, 'role-not-allowed');
      await problem(get('auditorA', '/audit/events?cursor=nope'), 400, 'invalid-cursor');
      await problem(get('auditorA', '/audit/events?limit=0'), 400, 'validation');
    });
  });

  describe('GET /audit/verify/progress', () => {
    const lines = async (who: string) => {
      const response = await get(who, '/audit/verify/progress')
        .buffer(true)
        .parse((res, done) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
          res.on('end', () => done(null, text));
        })
        .expect(200)
        .expect('Content-Type', /application\/x-ndjson/);
      return (response.body as string)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Json);
    };

    it('streams progress after each page read, then the report GET /audit/verify gives', async () => {
      const all = await lines('auditorA');
      const report = all.at(-1)!.report;
      expect(report).toEqual((await get('auditorA', '/audit/verify').expect(200)).body);
      expect(report.ok).toBe(true);
      const progress = all.slice(0, -1).map((line) => line.progress);
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.at(-1)).toEqual({
        events: report.events,
        streams: report.streams,
        broken: 0,
        total: expect.any(Number),
      });
      expect(progress.at(-1).total).toBeGreaterThan(0);
      await problem(get('registrarA', '/audit/verify/progress'), 403, 'role-not-allowed');
    });

    it('reports a broken link in its last line', async () => {
      await sql.query(
        `UPDATE tessera_events SET data = jsonb_set(data, '{description}', '"forged"')
          WHERE stream_name = 'record-bob~model' AND stream_revision = 0`,
      );
      try {
        expect((await lines('auditorA')).at(-1)!.report).toMatchObject({
          ok: false,
          broken: [{ stream: 'record-bob~model', revision: 0, reason: expect.stringContaining('hash does not match') }],
        });
      } finally {
        await sql.query(
          `UPDATE tessera_events SET data = jsonb_set(data, '{description}', '"Work on joins and aggregates"')
            WHERE stream_name = 'record-bob~model' AND stream_revision = 0`,
        );
      }
      expect((await lines('auditorA')).at(-1)!.report.ok).toBe(true);
    });
  });

  describe('GET /analytics/issuers/:id/charts', () => {
    it('gives pass rates, days to award, credits per month and each pathway’s funnel', async () => {
      const body = (await get('staffA', `/analytics/issuers/${A}/charts?minPosition=${position}`).expect(200)).body;
      expect(body.issuerId).toBe(A);
      expect(body.passRates).toEqual([
        { achievementId: 'model', passed: 1, notYet: 1, passRate: 0.5 },
        { achievementId: 'sql', passed: 1, notYet: 0, passRate: 1 },
      ]);
      // Evidence observed on 2026-03-01, awards issued now: every learner in the same, last non-empty bucket.
      const learners = body.daysToAward.map((bucket: Json) => bucket.learners);
      expect(learners.reduce((a: number, b: number) => a + b, 0)).toBe(2);
      expect(learners.at(-1)).toBe(2);
      const month = new Date().toISOString().slice(0, 7);
      expect(body.creditsByMonth).toEqual([{ month, framework: 'ECTS', value: 5 }]);
      expect(body.pathways).toEqual([
        {
          pathwayId: 'cert',
          achievementIds: ['sql', 'model'],
          steps: [
            { atLeast: 1, learners: 2 },
            { atLeast: 2, learners: 0 },
          ],
          conferred: 0,
        },
      ]);
      expect((await get('registrarA', `/analytics/issuers/${A}/charts`).expect(200)).body).toEqual(body);
    });

    it('is for the issuer’s own issuer-admins and registrars', async () => {
      await problem(get('registrarB', `/analytics/issuers/${A}/charts`), 403, 'not-your-issuer');
      await problem(get('auditorA', `/analytics/issuers/${A}/charts`), 403, 'role-not-allowed');
      await problem(get('ada', `/analytics/issuers/${A}/charts`), 403, 'role-not-allowed');
      await problem(get('staffA', `/analytics/issuers/${A}/charts?minPosition=x`), 400, 'validation');
    });
  });
});

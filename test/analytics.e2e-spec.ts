import type { Actor } from '../apps/api/src/auth/actor';
import { definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Analytics over HTTP on PostgreSQL: per achievement and per issuer (the sum over its achievements), folded by the
 * analytics read model from the record and achievement streams. Days to award run from the first evidence's
 * `observedAt` to the first award's `issuedAt` (the server's clock): evidence is observed whole days ago, so the
 * medians come out in whole days.
 */
describe('analytics over HTTP', () => {
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    assessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
    otherAdmin: { sub: 'ucd-staff', roles: ['issuer-admin', 'assessor'], issuers: ['ucd'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    auditor: { sub: 'audit', roles: ['auditor'], issuers: ['tu-dublin'] },
    nobodysRegistrar: { sub: 'nobody-registry', roles: ['registrar'], issuers: ['nobody'] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const get = (who: string, path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
  const BOTH = [
    { criterionId: 'joins', met: true },
    { criterionId: 'aggregates', met: true },
  ];

  const evidence = async (learnerId: string, achievementId: string, observedAt: string, kind = 'accomplishment') =>
    (
      await post('staff', `/learners/${learnerId}/achievements/${achievementId}/evidence`, {
        kind,
        criterionIds: ['joins', 'aggregates'],
        description: 'Capstone work',
        observedAt,
      }).expect(201)
    ).body.evidenceId as string;
  const assess = async (learnerId: string, achievementId: string, evidenceIds: string[], results = BOTH) =>
    (
      await post('staff', `/learners/${learnerId}/achievements/${achievementId}/assessments`, {
        evidenceIds,
        results,
      }).expect(201)
    ).body;
  const award = async (learnerId: string, achievementId: string) =>
    (await post('staff', `/learners/${learnerId}/achievements/${achievementId}/award`).expect(201)).body as {
      awardId: string;
      position: string;
    };

  let position: string;

  beforeAll(async () => {
    api = await startApi();
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    for (const id of ['sql', 'model'])
      await post('staff', '/achievements', { id, issuerId: 'tu-dublin', ...definition() }).expect(201);

    // ada on sql: not yet, more evidence, passed, awarded — 10 days from her first evidence
    const adaFirst = await evidence('ada', 'sql', daysAgo(10));
    const notYet = await assess(
      'ada',
      'sql',
      [adaFirst],
      [
        { criterionId: 'joins', met: false },
        { criterionId: 'aggregates', met: true },
      ],
    );
    expect(notYet.outcome).toBe('not-yet');
    const adaSecond = await evidence('ada', 'sql', daysAgo(2), 'challenge');
    await assess('ada', 'sql', [adaFirst, adaSecond]);
    await award('ada', 'sql');
    // bob on sql: 20 days, then revoked
    await assess('bob', 'sql', [await evidence('bob', 'sql', daysAgo(20))]);
    const bob = await award('bob', 'sql');
    await post('staff', `/awards/${bob.awardId}/revoke`, { reason: 'Misconduct' }).expect(200);
    // cy on model: 4 days
    await assess('cy', 'model', [await evidence('cy', 'model', daysAgo(4))]);
    position = (await award('cy', 'model')).position;
  });
  afterAll(() => api?.close());

  it('reads the figures of each achievement', async () => {
    const sql = (await get('registrar', `/analytics/achievements/sql?minPosition=${position}`).expect(200)).body;
    expect(sql).toEqual({
      achievementId: 'sql',
      issuerId: 'tu-dublin',
      evidence: { total: 3, accomplishment: 2, challenge: 1 },
      assessments: { total: 3, passed: 2, notYet: 1, passRate: 0.6667 },
      awards: 2,
      suspensions: 0,
      revocations: 1,
      reinstatements: 0,
      medianDaysToAward: 15,
      learners: 2,
    });
    const model = (await get('staff', `/analytics/achievements/model?minPosition=${position}`).expect(200)).body;
    expect(model).toEqual({
      achievementId: 'model',
      issuerId: 'tu-dublin',
      evidence: { total: 1, accomplishment: 1, challenge: 0 },
      assessments: { total: 1, passed: 1, notYet: 0, passRate: 1 },
      awards: 1,
      suspensions: 0,
      revocations: 0,
      reinstatements: 0,
      medianDaysToAward: 4,
      learners: 1,
    });
  });

  it('sums an issuer over its achievements, the median over every learner', async () => {
    const issuer = (await get('auditor', `/analytics/issuers/tu-dublin?minPosition=${position}`).expect(200)).body;
    expect(issuer).toEqual({
      issuerId: 'tu-dublin',
      achievementIds: ['model', 'sql'],
      evidence: { total: 4, accomplishment: 3, challenge: 1 },
      assessments: { total: 4, passed: 3, notYet: 1, passRate: 0.75 },
      awards: 3,
      suspensions: 0,
      revocations: 1,
      reinstatements: 0,
      medianDaysToAward: 10,
      learners: 3,
    });
    expect((await get('staff', '/analytics/issuers/tu-dublin').expect(200)).body.awards).toBe(3);
  });

  it('answers 404 for what it holds nothing about', async () => {
    expect((await get('registrar', '/analytics/achievements/nothing').expect(404)).body).toMatchObject({
      type: 'urn:tessera:problem:unknown-achievement',
      status: 404,
    });
    expect((await get('nobodysRegistrar', '/analytics/issuers/nobody').expect(404)).body).toMatchObject({
      type: 'urn:tessera:problem:unknown-issuer',
      status: 404,
    });
  });

  it('is for the issuer-admins, registrars and auditors of the issuer', async () => {
    await api.http().get('/analytics/achievements/sql').expect(401);
    await api.http().get('/analytics/issuers/tu-dublin').expect(401);
    for (const who of ['ada', 'assessor', 'admin']) {
      await get(who, '/analytics/achievements/sql').expect(403);
      await get(who, '/analytics/issuers/tu-dublin').expect(403);
    }
    expect((await get('otherAdmin', '/analytics/achievements/sql').expect(403)).body.type).toBe(
      'urn:tessera:problem:not-your-issuer',
    );
    expect((await get('otherAdmin', '/analytics/issuers/tu-dublin').expect(403)).body.type).toBe(
      'urn:tessera:problem:not-your-issuer',
    );
    expect((await get('registrar', '/analytics/issuers/tu-dublin?minPosition=x').expect(400)).body.type).toBe(
      'urn:tessera:problem:validation',
    );
  });
});

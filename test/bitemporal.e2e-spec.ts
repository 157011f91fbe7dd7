import type { Actor } from '../apps/api/src/auth/actor';
import { definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Records moved from another system: evidence, assessments and awards carry when they happened, which lies before
 * they are recorded. `?asOf=` reads the ledger as it knew things then (by recording time); `?effectiveAt=` reads what
 * the learner had achieved by then, by the dates things happened.
 */
describe('historical records over HTTP', () => {
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const transcript = async (learnerId: string, query: Record<string, string>) =>
    (
      await api
        .http()
        .get(`/learners/${learnerId}/transcript?${new URLSearchParams(query)}`)
        .set('Authorization', `Bearer ${tokens.registrar}`)
        .expect(200)
    ).body as {
      asOf?: string;
      effectiveAt?: string;
      awards: Array<{ awardId: string; status: string; issuedAt: string; validUntil?: string }>;
      creditTotals: Array<{ framework: string; value: number }>;
    };
  const record = (learnerId: string, path: string, body: object) =>
    post('staff', `/learners/${learnerId}/achievements/sql/${path}`, body);

  let recordedAt: string;
  let awardId: string;
  let position: string;
  beforeAll(async () => {
    api = await startApi();
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', {
      id: 'sql',
      issuerId: 'tu-dublin',
      ...definition({ validity: 'P1Y' }),
    }).expect(201);
    recordedAt = new Date().toISOString();
    const evidence = await record('grace', 'evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins', 'aggregates'],
      description: 'Capstone work, 2023',
      observedAt: '2023-02-01T10:00:00Z',
    }).expect(201);
    await record('grace', 'assessments', {
      evidenceIds: [evidence.body.evidenceId],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: true },
      ],
      assessedAt: '2023-02-20T10:00:00Z',
    }).expect(201);
    const awarded = await record('grace', 'award', { awardedAt: '2023-03-01T10:00:00Z' }).expect(201);
    ({ awardId, position } = awarded.body);
    // Validity runs from when it was awarded, not from when it was recorded.
    expect(awarded.body).toMatchObject({
      issuedAt: '2023-03-01T10:00:00.000Z',
      validUntil: '2024-03-01T10:00:00.000Z',
    });
  });
  afterAll(() => api?.close());

  it('reads what had happened by an effective date: the award valid in 2023, expired now, absent before', async () => {
    const during = await transcript('grace', { effectiveAt: '2023-06-30T00:00:00Z', minPosition: position });
    expect(during.effectiveAt).toBe('2023-06-30T00:00:00.000Z');
    expect(during.awards.map((award) => [award.awardId, award.status])).toEqual([[awardId, 'valid']]);
    expect(during.creditTotals.find((total) => total.framework === 'ECTS')?.value).toBe(2);
    expect((await transcript('grace', { effectiveAt: '2023-02-28T00:00:00Z' })).awards).toEqual([]);
    const today = await transcript('grace', {});
    expect(today.awards.map((award) => award.status)).toEqual(['expired']);
    expect(today.creditTotals).toEqual([]);
  });

  it('keeps ?asOf= by recording time: before the records were moved in, the ledger knew nothing of them', async () => {
    const before = await transcript('grace', { asOf: new Date(Date.parse(recordedAt) - 60_000).toISOString() });
    expect(before.awards).toEqual([]);
    // Both: as the ledger knew it a minute from now, what had happened by mid-2023.
    const both = await transcript('grace', {
      asOf: new Date(Date.now() + 60_000).toISOString(),
      effectiveAt: '2023-06-30T00:00:00Z',
    });
    expect(both.asOf).toBeDefined();
    expect(both.awards.map((award) => award.status)).toEqual(['valid']);
  });

  it('refuses dates out of the order of the record, and dates in the future, appending nothing', async () => {
    const evidence = await record('ada', 'evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins', 'aggregates'],
      description: 'Capstone work',
      observedAt: '2024-05-01T10:00:00Z',
    }).expect(201);
    const assess = (assessedAt: string) =>
      record('ada', 'assessments', {
        evidenceIds: [evidence.body.evidenceId],
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met: true },
        ],
        assessedAt,
      });
    expect((await assess('2024-04-01T10:00:00Z').expect(422)).body.code).toBe('assessed-before-evidence');
    expect((await assess('2999-01-01T00:00:00Z').expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'assessedAt', code: 'instant-in-future' }),
    ]);
    const assessed = await assess('2024-05-10T10:00:00Z').expect(201);
    expect((await record('ada', 'award', { awardedAt: '2024-05-09T10:00:00Z' }).expect(422)).body.code).toBe(
      'awarded-before-assessment',
    );
    expect((await record('ada', 'award', { awardedAt: 'last tuesday' }).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'awardedAt' }),
    ]);
    const refusedNothing = await transcript('ada', {
      effectiveAt: '2025-01-01T00:00:00Z',
      minPosition: assessed.body.position,
    });
    expect(refusedNothing.awards).toEqual([]);
  });

  it('answers a clear 400 for an effectiveAt that is no instant', async () => {
    const refused = await api
      .http()
      .get('/learners/grace/transcript?effectiveAt=yesterday')
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .expect(400);
    expect(JSON.stringify(refused.body.errors)).toContain('effectiveAt must be an ISO 8601 instant');
  });
});

import type { EventStore } from '@app/event-store';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Transcripts over HTTP on PostgreSQL: the live transcript follows every command; `?asOf=` replays the learner's
 * streams through the same fold and gives exactly what the live transcript showed then; awards expire; registrars
 * search every learner's awards page by page; auditors read a learner's history with its metadata.
 */
describe('transcripts and history over HTTP', () => {
  let api: ApiHarness;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    auditor: { sub: 'audit', roles: ['auditor'], issuers: ['tu-dublin'] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const put = (who: string, path: string, body: object = {}) =>
    api.http().put(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const get = (who: string, path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const tick = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

  const award = async (learnerId: string, achievementId: string) => {
    const { awardId, position } = await awardThroughApi(api, tokens.staff, learnerId, achievementId);
    return { awardId, position };
  };

  const transcript = async (learnerId: string, query: { minPosition?: string; asOf?: string } = {}) => {
    const params = new URLSearchParams(query as Record<string, string>).toString();
    return (await get('registrar', `/learners/${learnerId}/transcript${params ? `?${params}` : ''}`).expect(200)).body;
  };
  const statusOf = (body: { awards: Array<{ awardId: string; status: string }> }, awardId: string) =>
    body.awards.find((entry) => entry.awardId === awardId)?.status;
  const total = (body: { creditTotals: Array<{ framework: string; value: number }> }, framework: string) =>
    body.creditTotals.find((entry) => entry.framework === framework)?.value;

  beforeAll(async () => {
    api = await startApi();
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', {
      id: 'sql',
      issuerId: 'tu-dublin',
      ...definition({
        title: 'Querying relational data',
        credits: [{ framework: 'ECTS', value: 5 }],
        validity: undefined,
      }),
    }).expect(201);
    await post('staff', '/achievements', {
      id: 'model',
      issuerId: 'tu-dublin',
      ...definition({
        title: 'Relational modelling',
        kind: 'knowledge',
        statement: 'I understand relational data modelling',
        credits: [{ framework: 'CATS', value: 10 }],
        validity: undefined,
      }),
    }).expect(201);
    await post('staff', '/achievements', {
      id: 'first-aid',
      issuerId: 'tu-dublin',
      ...definition({ title: 'First aid', credits: [{ framework: 'ECTS', value: 1 }], validity: 'PT2S' }),
    }).expect(201);
  });
  afterAll(() => api?.close());

  let sqlAward: string;

  it('follows each command: award, suspend, reinstate, revoke; as of before the revocation it is what was shown then', async () => {
    // Nothing of ada is held yet: the registrar's issuer holds no record of her
    expect((await get('registrar', '/learners/ada/transcript').expect(404)).body).toMatchObject({
      type: 'urn:tessera:problem:unknown-learner',
    });

    const sql = await award('ada', 'sql');
    sqlAward = sql.awardId;
    const first = await transcript('ada', { minPosition: sql.position });
    expect(first.awards).toEqual([
      expect.objectContaining({
        awardId: sql.awardId,
        achievementId: 'sql',
        version: 1,
        title: 'Querying relational data',
        kind: 'skill',
        status: 'valid',
        issuedAt: expect.any(String),
        credits: [{ framework: 'ECTS', value: 5 }],
        level: { framework: 'EQF', level: 6 },
      }),
    ]);
    expect(first.awards[0]).not.toHaveProperty('validUntil');
    expect(first.creditTotals).toEqual([expect.objectContaining({ framework: 'ECTS', value: 5, basis: 'official' })]);

    const model = await award('ada', 'model');
    const both = await transcript('ada', { minPosition: model.position });
    expect(statusOf(both, model.awardId)).toBe('valid');
    // CATS → ECTS is official (2:1); ECTS → CATS too
    expect(both.creditTotals).toEqual([
      expect.objectContaining({ framework: 'ECTS', value: 10, basis: 'official' }),
      expect.objectContaining({ framework: 'CATS', value: 20, basis: 'official' }),
    ]);

    const suspended = await post('staff', `/awards/${sql.awardId}/suspend`, { reason: 'Under review' }).expect(200);
    const afterSuspension = await transcript('ada', { minPosition: suspended.body.position });
    expect(statusOf(afterSuspension, sql.awardId)).toBe('suspended');
    expect(total(afterSuspension, 'ECTS')).toBe(5);

    const reinstated = await post('staff', `/awards/${sql.awardId}/reinstate`, { reason: 'Cleared' }).expect(200);
    const live = await transcript('ada', { minPosition: reinstated.body.position });
    expect(statusOf(live, sql.awardId)).toBe('valid');
    expect(total(live, 'ECTS')).toBe(10);
    await tick();
    const beforeRevocation = new Date().toISOString();
    await tick();

    const revoked = await post('staff', `/awards/${sql.awardId}/revoke`, { reason: 'Misconduct' }).expect(200);
    const afterRevocation = await transcript('ada', { minPosition: revoked.body.position });
    expect(statusOf(afterRevocation, sql.awardId)).toBe('revoked');
    expect(total(afterRevocation, 'ECTS')).toBe(5);

    const then = await transcript('ada', { asOf: beforeRevocation });
    expect(then.asOf).toBe(beforeRevocation);
    expect(statusOf(then, sql.awardId)).toBe('valid');
    // Exactly the live transcript captured at that moment
    const { asOf, ...replayed } = then;
    expect(asOf).toBeDefined();
    expect(replayed).toEqual(live);
    // Before anything was awarded: empty
    expect((await transcript('ada', { asOf: '2020-01-01T00:00:00Z' })).awards).toEqual([]);
  });

  it('shows an award valid, then expired once its validity has run out (and as of before and after)', async () => {
    const { awardId, position } = await award('ada', 'first-aid');
    const fresh = await transcript('ada', { minPosition: position });
    const entry = fresh.awards.find((candidate: { awardId: string }) => candidate.awardId === awardId);
    expect(entry).toMatchObject({ status: 'valid', title: 'First aid', validUntil: expect.any(String) });
    expect(total(fresh, 'ECTS')).toBe(6);
    const validUntil = Date.parse(entry.validUntil);
    const whileValid = new Date(validUntil - 500).toISOString();

    await tick(Math.max(0, validUntil - Date.now()) + 50);
    const expired = await transcript('ada');
    expect(statusOf(expired, awardId)).toBe('expired');
    expect(total(expired, 'ECTS')).toBe(5);

    expect(statusOf(await transcript('ada', { asOf: whileValid }), awardId)).toBe('valid');
    expect(statusOf(await transcript('ada', { asOf: new Date(validUntil).toISOString() }), awardId)).toBe('expired');
  });

  it('lets a registrar search every learner’s awards, page by page, without duplicates', async () => {
    const learners = ['lin', 'kai', 'bea', 'zoe', 'max'];
    let position = '0';
    for (const learnerId of learners) position = (await award(learnerId, 'sql')).position;

    const seen: Array<{ learnerId: string; awardId: string; status: string }> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({
        issuerId: 'tu-dublin',
        achievementId: 'sql',
        limit: '2',
        minPosition: position,
        ...(cursor ? { cursor } : {}),
      });
      const page = (await get('registrar', `/transcripts?${query}`).expect(200)).body;
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 20);
    expect(pages).toBe(3);
    const keys = seen.map((item) => `${item.learnerId}/${item.awardId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(seen.map((item) => item.learnerId)).toEqual(['ada', 'bea', 'kai', 'lin', 'max', 'zoe']);
    expect(seen.find((item) => item.learnerId === 'ada')).toMatchObject({ awardId: sqlAward, status: 'revoked' });
    expect(seen[1]).toEqual({
      learnerId: 'bea',
      awardId: expect.any(String),
      issuerId: 'tu-dublin',
      achievementId: 'sql',
      version: 1,
      status: 'valid',
      issuedAt: expect.any(String),
    });

    const revoked = (await get('registrar', '/transcripts?status=revoked').expect(200)).body;
    expect(revoked.items.map((item: { awardId: string }) => item.awardId)).toEqual([sqlAward]);
    expect(revoked).not.toHaveProperty('next');
    const expired = (await get('registrar', '/transcripts?status=expired&achievementId=first-aid').expect(200)).body;
    expect(expired.items).toEqual([expect.objectContaining({ learnerId: 'ada', status: 'expired' })]);
    const all = (await get('registrar', '/transcripts').expect(200)).body;
    expect(all.items).toHaveLength(8);

    for (const bad of [
      'limit=0',
      'limit=201',
      'limit=abc',
      'limit=1.5',
      'cursor=nope!',
      'cursor=bm9wZQ',
      'status=lost',
    ])
      expect((await get('registrar', `/transcripts?${bad}`).expect(400)).body).toMatchObject({ status: 400 });
    await get('auditor', '/transcripts').expect(403);
  });

  it('lists every event about the learner in order, with metadata, page by page', async () => {
    await put('registrar', '/learners/ada/profile', { name: 'Ada Lovelace', email: 'ada@example.edu' }).expect(200);
    await put('registrar', '/learners/adam/profile', { name: 'Adam', email: 'adam@example.edu' }).expect(200);

    const events: Array<Record<string, unknown>> = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = (
        await get('auditor', `/learners/ada/history?limit=4${cursor ? `&cursor=${cursor}` : ''}`).expect(200)
      ).body;
      expect(page.events.length).toBeLessThanOrEqual(4);
      events.push(...page.events);
      cursor = page.next;
      pages += 1;
    } while (cursor && pages < 50);

    const positions = events.map((event) => BigInt(event.position as string));
    expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(positions).size).toBe(positions.length);
    expect(events.map((event) => event.type)).toEqual([
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'AchievementAwarded',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'AchievementAwarded',
      'AwardSuspended',
      'AwardReinstated',
      'AwardRevoked',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'AchievementAwarded',
      'LearnerProfileRecorded',
    ]);
    expect(
      events.every((event) => event.stream === 'learner-ada' || String(event.stream).startsWith('record-ada~')),
    ).toBe(true);
    expect(events[2]).toMatchObject({
      type: 'AchievementAwarded',
      stream: 'record-ada~sql',
      revision: '2',
      recordedAt: expect.any(String),
      data: { learnerId: 'ada', achievementId: 'sql', awardId: sqlAward },
      metadata: expect.objectContaining({ actor: expect.objectContaining({ sub: 'tu-staff' }) }),
    });
    // The same as the store holds, in the same order
    const stored = (
      await store.readAll({
        maxCount: 100_000,
        filter: { streamPrefix: ['record-ada~', 'qualification-ada~'] },
        visibility: 'committed',
      })
    ).map((event) => event.position.toString());
    expect(events.filter((event) => event.stream !== 'learner-ada').map((event) => event.position)).toEqual(stored);

    await get('auditor', '/learners/ada/history?cursor=%7B%7D').expect(400);
    await get('auditor', '/learners/ada/history?limit=500').expect(400);
  });

  it('lets a learner read only their own transcript, and never history; asks for a token; refuses a bad asOf', async () => {
    const own = (await get('ada', '/learners/ada/transcript').expect(200)).body;
    expect(own.learnerId).toBe('ada');
    expect((await get('ada', '/learners/bea/transcript').expect(403)).body.type).toBe(
      'urn:tessera:problem:not-your-learner',
    );
    await get('ada', '/learners/ada/history').expect(403);
    await get('registrar', '/learners/ada/history').expect(403);
    await get('auditor', '/learners/ada/transcript').expect(200);
    await api.http().get('/learners/ada/transcript').expect(401);
    await api.http().get('/learners/ada/history').expect(401);
    await api.http().get('/transcripts').expect(401);
    for (const bad of ['asOf=yesterday', 'asOf=2026-13-01T00:00:00Z', 'minPosition=-1'])
      expect((await get('registrar', `/learners/ada/transcript?${bad}`).expect(400)).body).toMatchObject({
        type: 'urn:tessera:problem:validation',
      });
  });
});

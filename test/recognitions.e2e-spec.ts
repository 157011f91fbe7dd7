import type { EventStore, RecordedEvent } from '@app/event-store';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Cross-issuer stacking only by recognition (issue 13.3): TU Dublin's pathways count Porto's micro-credentials only
 * under a recognition on TU Dublin's stream, for awards Porto made within its window, as recorded by the instant asked
 * about; a withdrawal stops new counting and takes no conferred qualification away.
 */
describe('recognitions over HTTP', () => {
  let api: ApiHarness;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    dublin: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    porto: { sub: 'porto-staff', roles: ['issuer-admin', 'assessor'], issuers: ['uni-porto'] },
    tartu: { sub: 'tartu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['uni-tartu'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}, key?: string) => {
    const call = api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`);
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body);
  };
  const get = (who: string, path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const award = async (who: 'dublin' | 'porto' | 'tartu', learnerId: string, achievementId: string) =>
    (await awardThroughApi(api, tokens[who], learnerId, achievementId)).awardId;
  const progress = async (learnerId: string, pathwayId: string, asOf?: string) =>
    (
      await get(
        'registrar',
        `/learners/${learnerId}/pathways/${pathwayId}/progress${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
      ).expect(200)
    ).body;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 30));
  const streamOf = (stream: string): Promise<RecordedEvent[]> => store.readStream(stream).catch(() => []);

  async function qualificationEvents(learnerId: string, pathwayId: string, count: number): Promise<RecordedEvent[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const events = await streamOf(`qualification-${learnerId}~${pathwayId}`);
      if (events.length >= count) return events;
      if (Date.now() > deadline) throw new Error(`qualification-${learnerId}~${pathwayId} did not reach ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const pathway = (id: string, rule: object, conferral = 'automatic') => ({
    id,
    issuerId: 'tu-dublin',
    title: id,
    award: {
      title: id,
      type: 'Certificate',
      level: { framework: 'EQF', level: 6 },
      credits: [{ framework: 'ECTS', value: 10 }],
    },
    rule,
    conferral,
  });
  const JOINT_RULE = { allOf: [{ achievement: 'dublin-sql' }, { achievement: 'porto-stats' }] };

  beforeAll(async () => {
    api = await startApi();
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('admin', '/issuers', issuer({ id: 'uni-porto', name: 'Universidade do Porto', country: 'PT' })).expect(
      201,
    );
    const achievements: Array<[string, string]> = [
      ['dublin', 'dublin-sql'],
      ['porto', 'porto-stats'],
      ['porto', 'porto-ml'],
    ];
    for (const [who, id] of achievements)
      await post(who, '/achievements', {
        id,
        issuerId: who === 'dublin' ? 'tu-dublin' : 'uni-porto',
        ...definition({
          title: id,
          credits: [{ framework: 'ECTS', value: 5 }],
          level: { framework: 'EQF', level: 6 },
          validity: undefined,
        }),
      }).expect(201);
    // Names no achievement of Porto's, so needs no recognition; but its credits count only what TU Dublin counts.
    await post(
      'dublin',
      '/pathways',
      pathway('credit-10', { credits: { framework: 'ECTS', min: 10 } }, 'registrar'),
    ).expect(201);
  });
  afterAll(() => api?.close());

  it('refuses a pathway naming another issuer’s achievement without a recognition: 422 recognition-missing', async () => {
    const refused = await post('dublin', '/pathways', pathway('joint', JOINT_RULE)).expect(422);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('recognition-missing');
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'rule.allOf[1]', code: 'recognition-missing' }),
    ]);
    await get('dublin', '/pathways/joint').expect(404);
  });

  it('records, refuses and withdraws recognitions; counts only awards made within one, as the ledger knew then', async () => {
    // bo holds Porto's award made before the recognition's from; dee, one made within it (before it was recorded).
    const boStats = await award('porto', 'bo', 'porto-stats');
    await award('dublin', 'bo', 'dublin-sql');
    await tick();
    const from = new Date().toISOString();
    await tick();
    const deeStats = await award('porto', 'dee', 'porto-stats');
    await tick();
    const beforeRecognition = new Date().toISOString();
    await tick();

    const body = { recognisedIssuerId: 'uni-porto', achievementIds: ['porto-stats'], from, agreement: 'IIA-2026-17' };
    const refusals: Array<[string, string, object, number, string]> = [
      ['porto', 'tu-dublin', body, 403, 'not-your-issuer'],
      ['dublin', 'tu-dublin', { ...body, recognisedIssuerId: 'tu-dublin' }, 400, 'self-recognition'],
      ['dublin', 'tu-dublin', { ...body, recognisedIssuerId: 'uni-nowhere' }, 404, 'unknown-issuer'],
      ['dublin', 'tu-dublin', { ...body, achievementIds: ['dublin-sql'] }, 422, 'achievement-not-of-issuer'],
      ['dublin', 'tu-dublin', { ...body, until: from }, 400, 'invalid-field'],
      ['registrar', 'tu-dublin', body, 403, 'role-not-allowed'],
    ];
    const issuerEvents = (await streamOf('issuer-tu-dublin')).length;
    for (const [who, issuerId, refused, status, code] of refusals) {
      const response = await post(who, `/issuers/${issuerId}/recognitions`, refused).expect(status);
      expect(response.body.code ?? response.body.type).toMatch(new RegExp(code));
    }
    expect(await streamOf('issuer-tu-dublin')).toHaveLength(issuerEvents); // nothing appended

    const recorded = await post('dublin', '/issuers/tu-dublin/recognitions', body, 'recognise-porto').expect(201);
    expect(recorded.body).toEqual({ recognitionId: expect.any(String), position: expect.any(String) });
    const again = await post('dublin', '/issuers/tu-dublin/recognitions', body, 'recognise-porto').expect(201);
    expect(again.body).toEqual(recorded.body);
    const { recognitionId } = recorded.body;
    const issuerStream = await streamOf('issuer-tu-dublin');
    expect(issuerStream).toHaveLength(issuerEvents + 1);
    expect(issuerStream.at(-1)).toMatchObject({ type: 'RecognitionRecorded', data: { recognitionId, from } });
    const listed = (await api.http().get('/issuers/tu-dublin/recognitions').expect(200)).body;
    expect(listed.recognitions).toEqual([
      expect.objectContaining({ recognitionId, recognisedIssuerId: 'uni-porto', window: { from }, inForce: true }),
    ]);
    expect((await api.http().get('/issuers/tu-dublin').expect(200)).body.recognitions).toHaveLength(1);

    // With the recognition, the pathway naming Porto's achievement is defined.
    await post('dublin', '/pathways', pathway('joint', JOINT_RULE)).expect(201);

    // bo's award was made before from: not counted.
    const bo = await progress('bo', 'joint');
    expect(bo).toMatchObject({ satisfied: false, countedAwards: [expect.any(String)] });
    expect(bo.countedAwards).not.toContain(boStats);
    expect(bo.missing).toEqual([expect.objectContaining({ achievementId: 'porto-stats', status: 'not-recognised' })]);

    // dee's was made within: counted, and the award that completes the pathway has TU Dublin confer it.
    await award('dublin', 'dee', 'dublin-sql');
    const [conferred] = await qualificationEvents('dee', 'joint', 1);
    expect(conferred).toMatchObject({ type: 'QualificationConferred', data: { pathwayId: 'joint' } });
    expect((conferred.data.basis as { awardIds: string[] }).awardIds).toContain(deeStats);
    expect(await progress('dee', 'credit-10')).toMatchObject({ satisfied: true, credits: { earned: 10 } });
    // As the ledger knew it before the recognition was recorded, Porto's award did not count.
    expect(await progress('dee', 'credit-10', beforeRecognition)).toMatchObject({
      satisfied: false,
      credits: { earned: 0 },
      countedAwards: [],
    });

    // Withdrawal: refused when in the past, for an unknown id, or twice.
    await post('dublin', `/issuers/tu-dublin/recognitions/${recognitionId}/withdraw`, {
      effectiveAt: from,
    }).expect(400);
    const unknown = await post('dublin', '/issuers/tu-dublin/recognitions/nope/withdraw').expect(404);
    expect(unknown.body.code).toBe('unknown-recognition');
    const withdrawn = await post('dublin', `/issuers/tu-dublin/recognitions/${recognitionId}/withdraw`, {
      reason: 'agreement ended',
    }).expect(200);
    expect(withdrawn.body).toMatchObject({ recognitionId, effectiveAt: expect.any(String) });
    const twice = await post('dublin', `/issuers/tu-dublin/recognitions/${recognitionId}/withdraw`).expect(409);
    expect(twice.body.code).toBe('recognition-withdrawn');
    const after = (await api.http().get('/issuers/tu-dublin/recognitions').expect(200)).body.recognitions[0];
    expect(after).toMatchObject({ inForce: false, window: { from, until: withdrawn.body.effectiveAt } });
    expect((await api.http().get('/issuers/tu-dublin').expect(200)).body.recognitions).toEqual([]);

    // No new counting: eve's Porto award made after the withdrawal does not count, and nothing is conferred on her.
    await award('porto', 'eve', 'porto-stats');
    await award('dublin', 'eve', 'dublin-sql');
    // dee's qualification stays: a new event of hers has the process manager evaluate her again.
    await award('porto', 'dee', 'porto-ml');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await progress('eve', 'joint')).toMatchObject({ satisfied: false });
    expect(await streamOf('qualification-eve~joint')).toEqual([]);
    expect(await progress('dee', 'joint')).toMatchObject({ satisfied: true });
    expect((await streamOf('qualification-dee~joint')).map((event) => event.type)).toEqual(['QualificationConferred']);
  });

  it('evaluates another issuer’s nested pathway from its rule: its conferral does not count Porto’s awards', async () => {
    await post('porto', '/pathways', {
      ...pathway('porto-cert', { achievement: 'porto-ml' }),
      issuerId: 'uni-porto',
    }).expect(201);
    await award('porto', 'fay', 'porto-ml');
    await qualificationEvents('fay', 'porto-cert', 1);
    await tick();
    await post('dublin', '/issuers/tu-dublin/recognitions', {
      recognisedIssuerId: 'uni-porto',
      achievementIds: 'all',
      from: new Date().toISOString(),
    }).expect(201);
    await post(
      'dublin',
      '/pathways',
      pathway('nested-joint', { allOf: [{ achievement: 'dublin-sql' }, { pathway: 'porto-cert' }] }, 'registrar'),
    ).expect(201);
    await award('dublin', 'fay', 'dublin-sql');
    // fay holds Porto's certificate, but its award was made before TU Dublin recognised Porto.
    const fay = await progress('fay', 'nested-joint');
    expect(fay).toMatchObject({ satisfied: false });
    expect(JSON.stringify(fay.missing)).toContain('not-recognised');
  });

  it('confers on awards made before a recognition was recorded, once it is: the recognition is a trigger', async () => {
    await post('admin', '/issuers', issuer({ id: 'uni-tartu', name: 'University of Tartu', country: 'EE' })).expect(
      201,
    );
    await post('tartu', '/achievements', {
      id: 'tartu-logic',
      issuerId: 'uni-tartu',
      ...definition({ title: 'Logic', credits: [{ framework: 'ECTS', value: 5 }], validity: undefined }),
    }).expect(201);
    const from = new Date().toISOString();
    await award('tartu', 'hal', 'tartu-logic');
    await award('dublin', 'hal', 'dublin-sql');
    // A recognition from next year lets the pathway be defined; the backdated one makes hal's award count.
    const recognise = (since: string) =>
      post('dublin', '/issuers/tu-dublin/recognitions', {
        recognisedIssuerId: 'uni-tartu',
        achievementIds: ['tartu-logic'],
        from: since,
      }).expect(201);
    await recognise('2027-09-01T00:00:00Z');
    await post(
      'dublin',
      '/pathways',
      pathway('logic-joint', { allOf: [{ achievement: 'dublin-sql' }, { achievement: 'tartu-logic' }] }),
    ).expect(201);
    expect(await progress('hal', 'logic-joint')).toMatchObject({ satisfied: false });
    await recognise(from);
    const [conferred] = await qualificationEvents('hal', 'logic-joint', 1);
    expect(conferred).toMatchObject({ type: 'QualificationConferred', data: { pathwayId: 'logic-joint' } });
  });
});

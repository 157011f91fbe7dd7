import type { EventStore, RecordedEvent } from '@app/event-store';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * A micro-degree of six micro-credentials (30 ECTS, EQF 6): a nested certificate (two core skills), a core
 * disposition, and an elective group (three of four). Conferred automatically on the award that completes it,
 * invalidated when a basis award is revoked; progress, credits and what is missing read right at every step and as of
 * earlier instants.
 */
describe('stackable pathways over HTTP', () => {
  let api: ApiHarness;
  let store: EventStore;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const get = (who: string, path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const kinds: Record<string, [string, string]> = {
    'core-sql': ['skill', 'I can query a relational database with SQL'],
    'core-model': ['knowledge', 'I understand relational data modelling'],
    'core-ethics': ['disposition', 'I exhibit care for the people behind the data'],
    'elective-spark': ['skill', 'I can process data at scale with Spark'],
    'elective-kafka': ['skill', 'I can build streaming pipelines with Kafka'],
    'elective-dbt': ['skill', 'I can build tested transformations with dbt'],
    'elective-viz': ['skill', 'I can present data visually'],
  };

  const award = async (learnerId: string, achievementId: string) =>
    (await awardThroughApi(api, tokens.staff, learnerId, achievementId)).awardId;

  async function qualificationEvents(learnerId: string, pathwayId: string, count: number): Promise<RecordedEvent[]> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const events = await store.readStream(`qualification-${learnerId}~${pathwayId}`).catch(() => []);
      if (events.length >= count) return events;
      if (Date.now() > deadline)
        throw new Error(`qualification-${learnerId}~${pathwayId} did not reach ${count} events`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  const progress = async (pathwayId: string, asOf?: string) =>
    (
      await get(
        'registrar',
        `/learners/ada/pathways/${pathwayId}/progress${asOf ? `?asOf=${encodeURIComponent(asOf)}` : ''}`,
      ).expect(200)
    ).body;
  const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

  beforeAll(async () => {
    api = await startApi({ TESSERA_EXPIRY_SWEEP_MS: '100' });
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    for (const [id, [kind, statement]] of Object.entries(kinds))
      await post('staff', '/achievements', {
        id,
        issuerId: 'tu-dublin',
        ...definition({
          title: id,
          kind,
          statement,
          credits: [{ framework: 'ECTS', value: 5 }],
          level: { framework: 'EQF', level: 6 },
          validity: undefined,
        }),
      }).expect(201);
    await post('staff', '/pathways', {
      id: 'cert-data',
      issuerId: 'tu-dublin',
      title: 'Certificate in Data Foundations',
      award: {
        title: 'Certificate in Data Foundations',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 10 }],
      },
      rule: { allOf: [{ achievement: 'core-sql' }, { achievement: 'core-model' }] },
      conferral: 'automatic',
    }).expect(201);
    await post('staff', '/pathways', {
      id: 'md-data',
      issuerId: 'tu-dublin',
      title: 'Micro-degree in Data Engineering',
      award: {
        title: 'Micro-degree in Data Engineering',
        type: 'ext:MicroDegree',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 30 }],
      },
      rule: {
        allOf: [
          { pathway: 'cert-data' },
          { achievement: 'core-ethics' },
          {
            nOf: {
              n: 3,
              of: [
                { achievement: 'elective-spark' },
                { achievement: 'elective-kafka' },
                { achievement: 'elective-dbt' },
                { achievement: 'elective-viz' },
              ],
            },
          },
          { credits: { framework: 'ECTS', min: 30 } },
        ],
      },
      conferral: 'automatic',
    }).expect(201);
  });
  afterAll(() => api?.close());

  it('refuses a rule naming an unknown achievement, a bad nOf and a cycle, naming the node', async () => {
    const bad = await post('staff', '/pathways', {
      id: 'bad',
      issuerId: 'tu-dublin',
      title: 'Bad',
      award: {
        title: 'Bad',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 5 }],
      },
      rule: { allOf: [{ achievement: 'nope' }, { nOf: { n: 3, of: [{ achievement: 'core-sql' }] } }] },
      conferral: 'automatic',
    }).expect(422);
    expect(bad.body.code).toBe('invalid-rule');
    expect(bad.body.errors.map((error: { field: string }) => error.field)).toEqual(
      expect.arrayContaining([expect.stringContaining('allOf[0]'), expect.stringContaining('allOf[1]')]),
    );
    const cycle = await post('staff', '/pathways/cert-data/revisions', {
      title: 'Certificate in Data Foundations',
      award: {
        title: 'Certificate',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 10 }],
      },
      rule: { allOf: [{ achievement: 'core-sql' }, { pathway: 'md-data' }] },
      conferral: 'automatic',
    }).expect(422);
    expect(cycle.body.code).toBe('pathway-cycle');
  });

  it('confers the nested certificate, then the micro-degree on the award that completes it, and invalidates it on revocation', async () => {
    // Before any record of ada no issuer holds anything of her: unknown to her registrar and to her own token alike
    for (const who of ['registrar', 'ada']) {
      const unknown = await get(who, '/learners/ada/pathways/md-data/progress').expect(404);
      expect(unknown.body.type).toBe('urn:tessera:problem:unknown-learner');
    }

    await award('ada', 'core-sql');
    expect((await get('ada', '/learners/ada/pathways/md-data/progress').expect(200)).body).toMatchObject({
      satisfied: false,
    });
    await award('ada', 'core-model');
    const [certificate] = await qualificationEvents('ada', 'cert-data', 1);
    expect(certificate).toMatchObject({
      type: 'QualificationConferred',
      data: { pathwayId: 'cert-data', conferral: 'automatic', credits: [{ framework: 'ECTS', value: 10 }] },
    });

    await award('ada', 'core-ethics');
    await award('ada', 'elective-spark');
    await award('ada', 'elective-kafka');
    await tick();
    const beforeLast = new Date().toISOString();
    await tick();
    const partial = await progress('md-data');
    expect(partial).toMatchObject({ satisfied: false, credits: { framework: 'ECTS', earned: 25 } });
    expect(JSON.stringify(partial.missing)).toMatch(/elective-dbt|elective-viz/);

    const lastAward = await award('ada', 'elective-dbt');
    const [degree] = await qualificationEvents('ada', 'md-data', 1);
    expect(degree.data).toMatchObject({
      pathwayId: 'md-data',
      awardType: 'ext:MicroDegree',
      conferral: 'automatic',
      credits: [{ framework: 'ECTS', value: 30 }],
      basis: { pathwayQualificationIds: [certificate.data.qualificationId] },
    });
    expect((degree.data.basis as { awardIds: string[] }).awardIds).toContain(lastAward);
    expect(degree.metadata).toMatchObject({ actor: { sub: 'tessera:conferral' }, causationId: expect.any(String) });
    const complete = await progress('md-data');
    expect(complete).toMatchObject({ satisfied: true, missing: [], credits: { framework: 'ECTS', earned: 30 } });
    const inCats = await get(
      'registrar',
      `/frameworks/convert?from=ECTS&to=CATS&value=${complete.credits.earned}`,
    ).expect(200);
    expect(inCats.body).toMatchObject({
      from: 'ECTS',
      to: 'CATS',
      value: 30,
      result: 60,
      basis: expect.stringMatching(/official|convention/),
    });

    // As of an instant before the last award, the micro-degree was not yet complete
    expect(await progress('md-data', beforeLast)).toMatchObject({ satisfied: false, credits: { earned: 25 } });
    // The learner may read their own progress; another learner's token may not
    await get('ada', '/learners/ada/pathways/md-data/progress').expect(200);

    await post('staff', `/awards/${lastAward}/revoke`, { reason: 'Academic misconduct' }).expect(200);
    const [, invalidated] = await qualificationEvents('ada', 'md-data', 2);
    expect(invalidated).toMatchObject({ type: 'QualificationBasisInvalidated', data: { lostAwardIds: [lastAward] } });
    expect(await progress('md-data')).toMatchObject({ satisfied: false, credits: { earned: 25 } });
    // The certificate still stands
    expect(await qualificationEvents('ada', 'cert-data', 1)).toHaveLength(1);
  });

  it('invalidates a qualification when an award it rests on expires, with no event to trigger it', async () => {
    await post('staff', '/achievements', {
      id: 'first-aid',
      issuerId: 'tu-dublin',
      ...definition({ title: 'First aid', validity: 'PT2S' }),
    }).expect(201);
    await post('staff', '/pathways', {
      id: 'safety-cert',
      issuerId: 'tu-dublin',
      title: 'Lab safety certificate',
      award: {
        title: 'Lab safety',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 2 }],
      },
      rule: { achievement: 'first-aid' },
      conferral: 'automatic',
    }).expect(201);
    const awardId = await award('carl', 'first-aid');
    const [conferred] = await qualificationEvents('carl', 'safety-cert', 1);
    expect(conferred.type).toBe('QualificationConferred');
    const [, expired] = await qualificationEvents('carl', 'safety-cert', 2);
    expect(expired).toMatchObject({ type: 'QualificationBasisInvalidated', data: { lostAwardIds: [awardId] } });
    expect(Date.parse(expired.data.at as string)).toBeGreaterThan(Date.parse(conferred.data.conferredAt as string));
  });

  it('lets a registrar confer a registrar pathway only when its rule is met', async () => {
    await post('staff', '/pathways', {
      id: 'ethics-badge',
      issuerId: 'tu-dublin',
      title: 'Ethics recognition',
      award: {
        title: 'Ethics recognition',
        type: 'Badge',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 5 }],
      },
      rule: { count: { min: 1, kind: 'disposition' } },
      conferral: 'registrar',
    }).expect(201);
    await post('registrar', '/learners/bob/pathways/ethics-badge/confer').expect(422);
    await post('registrar', '/learners/ada/pathways/ethics-badge/confer').expect(201);
    await post('registrar', '/learners/ada/pathways/ethics-badge/confer').expect(409);
  });

  it('lists pathways and shows the impact of a revision as a dry run', async () => {
    const revised = await post('staff', '/pathways/cert-data/revisions', {
      title: 'Certificate in Data Foundations',
      award: {
        title: 'Certificate in Data Foundations',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 15 }],
      },
      rule: { allOf: [{ achievement: 'core-sql' }, { achievement: 'core-model' }, { achievement: 'elective-viz' }] },
      conferral: 'automatic',
    }).expect(201);
    const before = (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length;
    const impact = await get('staff', `/pathways/cert-data/revisions/${revised.body.version}/impact`).expect(200);
    expect(impact.body).toMatchObject({ pathwayId: 'cert-data', version: 2, lose: ['ada'], gain: [] });
    expect((await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length).toBe(before);
    const listed = await get('registrar', `/pathways?minPosition=${revised.body.position}`).expect(200);
    expect(listed.body.pathways.map((pathway: { pathwayId: string }) => pathway.pathwayId)).toEqual(
      expect.arrayContaining(['cert-data', 'md-data', 'ethics-badge']),
    );
  });
});

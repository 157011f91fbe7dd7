import { pathwayProgress, StreamCommands } from '@app/application';
import type { EventStore } from '@app/event-store';
import type { Actor } from '../apps/api/src/auth/actor';
import { ImpactComputations } from '../apps/api/src/pathways/impact-computations';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * `GET /pathways/:id/revisions/:v/impact` (issue 13, point 7): only the pathway's issuer's staff, only learners who
 * hold an achievement some version names, evaluated from the transcript read model as progress evaluates them, paged,
 * and at most TESSERA_IMPACT_CONCURRENCY computations at once.
 *
 * Pathway `cert` (registrar conferral) v1 needs a and b; v2 needs a, b and c. Ann holds a, b and cert v1 (conferred
 * before v2); Ben holds a and b; Cat a, b and c; Eve b; Dan only z, which no version names.
 */
describe('the impact of a pathway revision', () => {
  let api: ApiHarness;
  let lastPosition = '0';
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    otherAdmin: { sub: 'ul-admin', roles: ['issuer-admin'], issuers: ['ul'] },
    otherRegistrar: { sub: 'ul-registry', roles: ['registrar'], issuers: ['ul'] },
  };
  const holdings: Record<string, string[]> = {
    ann: ['a', 'b'],
    ben: ['a', 'b'],
    cat: ['a', 'b', 'c'],
    dan: ['z'],
    eve: ['b'],
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const impact = (who: string, version: number, query = '') =>
    api
      .http()
      .get(`/pathways/cert/revisions/${version}/impact?minPosition=${lastPosition}${query}`)
      .set('Authorization', `Bearer ${tokens[who]}`);
  const pathway = (achievements: string[]) => ({
    title: 'Certificate',
    award: {
      title: 'Certificate',
      type: 'Certificate',
      level: { framework: 'EQF', level: 6 },
      credits: [{ framework: 'ECTS', value: 10 }],
    },
    rule: { allOf: achievements.map((achievement) => ({ achievement })) },
    conferral: 'registrar',
  });

  beforeAll(async () => {
    api = await startApi({ TESSERA_IMPACT_CONCURRENCY: '2' });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('admin', '/issuers', issuer({ id: 'ul', name: 'UL', url: 'https://ul.ie' })).expect(201);
    for (const id of ['a', 'b', 'c', 'z'])
      await post('staff', '/achievements', {
        id,
        issuerId: 'tu-dublin',
        ...definition({ title: id, credits: [{ framework: 'ECTS', value: 5 }], validity: undefined }),
      }).expect(201);
    await post('staff', '/pathways', { id: 'cert', issuerId: 'tu-dublin', ...pathway(['a', 'b']) }).expect(201);
    for (const [learnerId, achievements] of Object.entries(holdings))
      for (const achievementId of achievements) await awardThroughApi(api, tokens.staff, learnerId, achievementId);
    // The conferral is the last write the transcript read model sees
    lastPosition = (await post('registrar', '/learners/ann/pathways/cert/confer').expect(201)).body.position;
    await post('staff', '/pathways/cert/revisions', pathway(['a', 'b', 'c'])).expect(201);
  });
  afterAll(() => api?.close());

  it("answers another issuer's admin or registrar 403 not-your-issuer, and the pathway's own 200", async () => {
    for (const who of ['otherAdmin', 'otherRegistrar']) {
      const refused = await impact(who, 2).expect(403);
      expect(refused.body).toMatchObject({ type: 'urn:tessera:problem:not-your-issuer', status: 403 });
      expect(JSON.stringify(refused.body)).not.toMatch(/ann|ben|cat/);
    }
    for (const who of ['staff', 'registrar']) await impact(who, 2).expect(200);
  });

  it('finds who loses on a revision that adds a requirement and who gains on one without it', async () => {
    const adding = await impact('staff', 2).expect(200);
    expect(adding.body).toMatchObject({ pathwayId: 'cert', version: 2, gain: [], lose: ['ann'] });
    const removing = await impact('staff', 1).expect(200);
    expect(removing.body).toMatchObject({ pathwayId: 'cert', version: 1, gain: ['ben'], lose: [] });
  });

  it('evaluates only the learners who hold an achievement a version names', async () => {
    const { body } = await impact('registrar', 2).expect(200);
    expect(body.learners).toBe(4); // ann, ben, cat, eve; not dan, who holds only z
    expect(body.next).toBeUndefined();
  });

  it('evaluates every learner with a transcript when a rule counts any award', async () => {
    const counting = { ...pathway([]), rule: { count: { min: 3 } } };
    await post('staff', '/pathways', { id: 'three-of-any', issuerId: 'tu-dublin', ...counting }).expect(201);
    const { body } = await api
      .http()
      .get(`/pathways/three-of-any/revisions/1/impact?minPosition=${lastPosition}`)
      .set('Authorization', `Bearer ${tokens.staff}`)
      .expect(200);
    expect(body).toMatchObject({ learners: 5, gain: [], lose: [] });
  });

  it('agrees with what each learner’s progress says, for both versions', async () => {
    const streams = api.app.get(StreamCommands);
    const store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const version of [1, 2]) {
      const { body } = await impact('staff', version).expect(200);
      for (const learnerId of Object.keys(holdings)) {
        const [now, then] = await Promise.all([
          pathwayProgress(streams, store, learnerId, 'cert', body.evaluatedAt),
          pathwayProgress(streams, store, learnerId, 'cert', body.evaluatedAt, { version }),
        ]);
        expect([learnerId, body.gain.includes(learnerId)]).toEqual([
          learnerId,
          !now.result.satisfied && then.result.satisfied,
        ]);
        expect([learnerId, body.lose.includes(learnerId)]).toEqual([
          learnerId,
          now.result.satisfied && !then.result.satisfied,
        ]);
      }
    }
  });

  it('pages by learner with an opaque cursor that keeps the instant evaluated', async () => {
    const pages: Array<{ learners: number; gain: string[]; lose: string[]; evaluatedAt: string; next?: string }> = [];
    let cursor = '';
    do {
      const { body } = await impact('staff', 1, `&limit=1${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      pages.push(body);
      cursor = body.next ?? '';
    } while (cursor && pages.length < 10);
    expect(pages.map((page) => page.learners)).toEqual([1, 1, 1, 1]);
    expect(pages.flatMap((page) => page.gain)).toEqual(['ben']);
    expect(pages[1].gain).toEqual(['ben']);
    expect(new Set(pages.map((page) => page.evaluatedAt)).size).toBe(1);
    const bad = await impact('staff', 1, '&cursor=bm90LWEtY3Vyc29y').expect(400);
    expect(bad.body.type).toBe('urn:tessera:problem:invalid-cursor');
    await impact('staff', 1, '&limit=0').expect(400);
  });

  it('answers 429 impact-busy with Retry-After while TESSERA_IMPACT_CONCURRENCY computations run, and computes again after', async () => {
    const computations = api.app.get(ImpactComputations);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = [computations.run(() => gate), computations.run(() => gate)];
    const busy = await impact('staff', 2);
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('1');
    expect(busy.body).toMatchObject({ type: 'urn:tessera:problem:impact-busy', status: 429 });
    release();
    await Promise.all(held);
    const [first, second] = await Promise.all([impact('staff', 2), impact('registrar', 2)]);
    expect([first.status, second.status]).toEqual([200, 200]);
  });

  it('refuses an unknown version with 422 unknown-version', async () => {
    const { body } = await impact('staff', 9).expect(422);
    expect(body.type).toBe('urn:tessera:problem:unknown-version');
  });
});

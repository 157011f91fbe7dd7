import type { EventStore } from '@app/event-store';
import { decodeJwt } from 'jose';
import type { Actor, Role } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const A = 'tu-dublin';
const B = 'uni-porto';

/**
 * Tenancy (issue 13): a university's records about a learner are that university's data. Two issuers: ada holds
 * records at both, bob only at B, cy only evidence at A, dee only a profile A's registrar recorded. A's registrar,
 * auditor and issuer-admin see A's part on every read route, 404 `unknown-learner` for a learner A holds nothing of,
 * 403 for another issuer's search, analytics and CLR; a profile only A knows is kept by A's registrars alone.
 */
describe('tenancy: staff see and change only their own issuers’ records', () => {
  let api: ApiHarness;
  let store: EventStore;
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
    issuerAdminA: staff(A, 'issuer-admin'),
    registrarAB: { sub: 'registrar-both', roles: ['registrar'], issuers: [A, B] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
  };
  const awards: Record<string, string> = {};
  let position = '0';
  const send = (who: string, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) => {
    const request = api.http()[method](path).set('Authorization', `Bearer ${tokens[who]}`);
    return body ? request.send(body) : request;
  };
  const get = (who: string, path: string) => send(who, 'get', path);
  const ok = async (who: string, method: 'post' | 'put', path: string, body: object = {}) => {
    const response = await send(who, method, path, body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    // the read models wait for a record's position (a profile's stream is not theirs)
    if (method === 'post' && response.body.position) position = response.body.position;
    return response.body as Json;
  };
  const award = async (who: string, learnerId: string, achievementId: string) => {
    const awarded = await awardThroughApi(api, tokens[who], learnerId, achievementId);
    awards[`${learnerId}/${achievementId}`] = awarded.awardId;
    position = awarded.position;
  };
  const pathway = (id: string, issuerId: string, achievement: string, conferral: string) => ({
    id,
    issuerId,
    title: `Certificate ${id}`,
    award: {
      title: `Certificate ${id}`,
      type: 'Certificate',
      level: { framework: 'EQF', level: 6 },
      credits: [{ framework: 'ECTS', value: 2 }],
    },
    rule: { achievement },
    conferral,
  });
  const problem = async (request: PromiseLike<{ status: number; body: Json }>, status: number, code: string) => {
    const response = await request;
    expect({ status: response.status, type: response.body.type }).toEqual({
      status,
      type: `urn:tessera:problem:${code}`,
    });
  };
  const streamLength = async (stream: string) => (await store.readStream(stream).catch(() => [])).length;

  beforeAll(async () => {
    api = await startApi({ TESSERA_KEY_ENCRYPTION_KEY: 'tenancy-key-encryption-key-'.repeat(2) });
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await ok('admin', 'post', '/issuers', issuer({ id: A }));
    await ok('admin', 'post', '/issuers', issuer({ id: B, name: 'Universidade do Porto', url: 'https://up.pt' }));
    await ok('staffA', 'post', '/achievements', { id: 'sql', issuerId: A, ...definition() });
    await ok('staffB', 'post', '/achievements', { id: 'ethics', issuerId: B, ...definition({ title: 'Data ethics' }) });
    await ok('staffA', 'post', '/pathways', pathway('sql-cert', A, 'sql', 'registrar'));
    await ok('staffA', 'post', '/pathways', pathway('sql-auto', A, 'sql', 'automatic'));
    await ok('staffB', 'post', '/pathways', pathway('ethics-cert', B, 'ethics', 'registrar'));
    await award('staffA', 'ada', 'sql');
    await award('staffB', 'ada', 'ethics');
    await award('staffB', 'bob', 'ethics');
    await ok('registrarA', 'post', '/learners/ada/pathways/sql-cert/confer');
    await ok('registrarB', 'post', '/learners/ada/pathways/ethics-cert/confer');
    await ok('staffA', 'post', '/learners/cy/achievements/sql/evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins'],
      description: 'First attempt',
      observedAt: '2026-03-01T10:00:00Z',
    });
    await ok('registrarA', 'put', '/learners/dee/profile', { name: 'Dee Example', email: 'dee@example.edu' });
    await ok('registrarA', 'put', '/learners/ada/profile', { name: 'Ada Lovelace', email: 'ada@example.edu' });
  }, 60_000);
  afterAll(() => api?.close());

  const transcriptOf = async (who: string, learnerId: string, query = `minPosition=${position}`) =>
    (await get(who, `/learners/${learnerId}/transcript?${query}`).expect(200)).body as Json;
  const achievementsOf = (transcript: Json) => transcript.awards.map((entry: Json) => entry.achievementId).sort();
  const pathwaysOf = (transcript: Json) => transcript.qualifications.map((entry: Json) => entry.pathwayId).sort();

  it("shows A's staff A's part of a learner with records at both, now and as of an instant; the learner all of it", async () => {
    for (const who of ['registrarA', 'auditorA']) {
      const live = await transcriptOf(who, 'ada');
      expect(achievementsOf(live)).toEqual(['sql']);
      expect(pathwaysOf(live)).toContain('sql-cert');
      expect([...live.awards, ...live.qualifications].every((entry: Json) => entry.issuerId === A)).toBe(true);
      expect(pathwaysOf(live)).not.toContain('ethics-cert');
      const asOf = await transcriptOf(who, 'ada', `asOf=${encodeURIComponent(new Date().toISOString())}`);
      expect(achievementsOf(asOf)).toEqual(['sql']);
      expect(pathwaysOf(asOf)).not.toContain('ethics-cert');
    }
    const atB = await transcriptOf('registrarB', 'ada');
    expect(achievementsOf(atB)).toEqual(['ethics']);
    expect(pathwaysOf(atB)).toEqual(['ethics-cert']);
    const own = await transcriptOf('ada', 'ada');
    expect(achievementsOf(own)).toEqual(['ethics', 'sql']);
    expect(pathwaysOf(own)).toEqual(expect.arrayContaining(['ethics-cert', 'sql-cert']));
  });

  it('answers 404 unknown-learner to the staff of an issuer that holds nothing of the learner, on every read route', async () => {
    const encodedNow = encodeURIComponent(new Date().toISOString());
    for (const who of ['registrarA', 'auditorA']) {
      await problem(get(who, `/learners/bob/transcript?minPosition=${position}`), 404, 'unknown-learner');
      await problem(get(who, `/learners/bob/transcript?asOf=${encodedNow}`), 404, 'unknown-learner');
      await problem(get(who, '/learners/bob/pathways/sql-cert/progress'), 404, 'unknown-learner');
    }
    await problem(get('auditorA', '/learners/bob/history'), 404, 'unknown-learner');
    await problem(get('registrarA', '/learners/bob/clr'), 404, 'unknown-learner');
    // evidence alone is a record of A; a profile A's registrar recorded is A's too; neither is B's
    expect(achievementsOf(await transcriptOf('registrarA', 'cy'))).toEqual([]);
    expect(achievementsOf(await transcriptOf('registrarA', 'dee'))).toEqual([]);
    await problem(get('registrarB', '/learners/cy/transcript'), 404, 'unknown-learner');
    await problem(get('auditorB', '/learners/dee/history'), 404, 'unknown-learner');
  });

  it("keeps progress to the issuer's own pathways and history to the streams it holds", async () => {
    const progress = (await get('registrarA', '/learners/ada/pathways/sql-cert/progress').expect(200)).body;
    expect(progress).toMatchObject({ pathwayId: 'sql-cert', satisfied: true });
    await problem(get('registrarA', '/learners/ada/pathways/ethics-cert/progress'), 403, 'not-your-issuer');
    await problem(get('auditorA', '/learners/ada/pathways/ethics-cert/progress'), 403, 'not-your-issuer');
    expect((await get('ada', '/learners/ada/pathways/ethics-cert/progress').expect(200)).body.satisfied).toBe(true);

    const history = (await get('auditorA', '/learners/ada/history?limit=200').expect(200)).body.events as Json[];
    const streams = [...new Set(history.map((event) => event.stream))].sort();
    expect(streams).toEqual(expect.arrayContaining(['learner-ada', 'qualification-ada~sql-cert', 'record-ada~sql']));
    expect(streams.filter((stream) => /ethics/.test(stream))).toEqual([]);
    const atB = (await get('auditorB', '/learners/ada/history?limit=200').expect(200)).body.events as Json[];
    expect([...new Set(atB.map((event) => event.stream))].filter((stream) => /sql/.test(stream))).toEqual([]);
    expect(atB.map((event) => event.stream)).toContain('record-ada~ethics');
  });

  it("searches the claim's issuers only, and refuses another issuer's search with 403", async () => {
    const page = (await get('registrarA', `/transcripts?minPosition=${position}`).expect(200)).body;
    expect(page.items.map((item: Json) => `${item.learnerId}/${item.issuerId}`)).toEqual([`ada/${A}`]);
    await problem(get('registrarA', `/transcripts?issuerId=${B}`), 403, 'not-your-issuer');
    const atB = (await get('registrarB', `/transcripts?minPosition=${position}`).expect(200)).body;
    expect(atB.items.map((item: Json) => `${item.learnerId}/${item.achievementId}`)).toEqual([
      'ada/ethics',
      'bob/ethics',
    ]);
    const both = (await get('registrarAB', `/transcripts?issuerId=${B}`).expect(200)).body;
    expect(both.items).toHaveLength(2);
  });

  it("gives analytics of an issuer and its achievements to that issuer's staff only", async () => {
    for (const who of ['registrarA', 'auditorA', 'issuerAdminA']) {
      await problem(get(who, `/analytics/issuers/${B}?minPosition=${position}`), 403, 'not-your-issuer');
      await problem(get(who, `/analytics/achievements/ethics?minPosition=${position}`), 403, 'not-your-issuer');
      expect((await get(who, `/analytics/issuers/${A}?minPosition=${position}`).expect(200)).body.awards).toBe(1);
      await get(who, '/analytics/achievements/sql').expect(200);
    }
  });

  it("signs a CLR of A with A's part only: no award or qualification of B, in the JSON or the signed JWT", async () => {
    const json = (await get('registrarA', '/learners/ada/clr').expect(200)).body as Json;
    const jwt = (await get('registrarA', '/learners/ada/clr?format=jwt').expect(200)).text;
    const learnerJwt = (await get('ada', `/learners/ada/clr?issuer=${A}&format=jwt`).expect(200)).text;
    for (const clr of [json, decodeJwt(jwt).vc as Json, decodeJwt(learnerJwt).vc as Json]) {
      const text = JSON.stringify(clr);
      expect(clr.issuer.id).toMatch(new RegExp(`/issuers/${A}$`));
      expect(text).toContain(awards['ada/sql']);
      expect(text).not.toContain(awards['ada/ethics']);
      expect(text).not.toContain('ethics');
      for (const credential of clr.credentialSubject.verifiableCredential as Json[])
        expect(credential.issuer.id).toMatch(new RegExp(`/issuers/${A}$`));
    }
    await problem(get('registrarA', `/learners/ada/clr?issuer=${B}`), 403, 'not-your-issuer');
    // the issuer asked for is refused before anything is read of the learner
    await problem(get('registrarA', `/learners/bob/clr?issuer=${B}`), 403, 'not-your-issuer');
    await problem(get('registrarAB', '/learners/ada/clr'), 400, 'issuer-required');
  });

  it("keeps a profile only A knows to A's registrars: B's registrar gets 403 and appends nothing", async () => {
    const before = await streamLength('learner-dee');
    await problem(get('registrarB', '/learners/dee/profile'), 403, 'not-your-learner');
    await problem(
      send('registrarB', 'put', '/learners/dee/profile', { name: 'Someone Else', email: 'x@up.pt' }),
      403,
      'not-your-learner',
    );
    await problem(send('registrarB', 'delete', '/learners/dee/profile'), 403, 'not-your-learner');
    expect(await streamLength('learner-dee')).toBe(before);
    expect((await get('registrarA', '/learners/dee/profile').expect(200)).body).toMatchObject({ name: 'Dee Example' });

    // ada's profile: A registered it, B holds records of her, so both keep it
    expect((await get('registrarB', '/learners/ada/profile').expect(200)).body.name).toBe('Ada Lovelace');
    // a learner no issuer holds: the first registrar records the profile for their issuer, then it is theirs
    await ok('registrarA', 'put', '/learners/eve/profile', { name: 'Eve Example', email: 'eve@example.edu' });
    expect((await store.readStream('learner-eve'))[0].data).toMatchObject({ issuerId: A });
    await problem(get('registrarB', '/learners/eve/profile'), 403, 'not-your-learner');
    // a registrar of two issuers names the one they record it for
    await problem(
      send('registrarAB', 'put', '/learners/eve/profile', { name: 'Eve', email: 'eve@example.edu' }),
      400,
      'issuer-required',
    );
    await problem(
      send('registrarAB', 'put', '/learners/eve/profile', { name: 'Eve', email: 'eve@example.edu', issuerId: B }),
      403,
      'not-your-learner',
    );
    await ok('registrarAB', 'put', '/learners/eve/profile', { name: 'Eve', email: 'eve@example.edu', issuerId: A });
  });

  it("confers by hand only a registrar pathway, only for the pathway's issuer, and appends nothing otherwise", async () => {
    const before = await streamLength('qualification-ada~sql-auto');
    await problem(send('registrarA', 'post', '/learners/ada/pathways/sql-auto/confer'), 422, 'automatic-conferral');
    await problem(send('registrarA', 'post', '/learners/cy/pathways/sql-auto/confer'), 422, 'automatic-conferral');
    await problem(send('registrarB', 'post', '/learners/ada/pathways/sql-cert/confer'), 403, 'not-your-issuer');
    // another issuer's registrar learns nothing of the learner's standing: 403 before the rule is evaluated
    await problem(send('registrarB', 'post', '/learners/cy/pathways/sql-cert/confer'), 403, 'not-your-issuer');
    expect(await streamLength('qualification-ada~sql-auto')).toBe(before);
    expect(await streamLength('qualification-cy~sql-auto')).toBe(0);
  });
});

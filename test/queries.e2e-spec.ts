import { runIn } from './cli/cli-harness';
import type { Actor } from '../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, TEST_JWT_SECRET } from './support/api-harness';

const actors: Record<string, Actor> = {
  admin: { sub: 'root', roles: ['admin'], issuers: [] },
  staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
  registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
  auditor: { sub: 'audit', roles: ['auditor'], issuers: ['tu-dublin'] },
};

/** An api with an issuer and two achievements, and tokens for `actors`. */
async function catalogueApi(env: Record<string, string> = {}) {
  const api = await startApi(env);
  const tokens: Record<string, string> = {};
  for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  await post('admin', '/issuers', issuer()).expect(201);
  for (const [id, ects] of [
    ['sql', 5],
    ['model', 10],
  ] as const)
    await post('staff', '/achievements', {
      id,
      issuerId: 'tu-dublin',
      ...definition({ title: `Achievement ${id}`, credits: [{ framework: 'ECTS', value: ects }], validity: undefined }),
    }).expect(201);
  return { api, tokens, post };
}

/** The query layer: one function per read, the api (through the QueryBus) and the CLI (directly) alike. */
describe('queries shared by the api and the CLI', () => {
  let harness: Awaited<ReturnType<typeof catalogueApi>>;
  afterEach(() => harness?.api.close());

  it('gives the same transcript (now from the read model over HTTP, replayed by the CLI; and as of) and the same history', async () => {
    harness = await catalogueApi();
    const { api, tokens, post } = harness;
    await awardThroughApi(api, tokens.staff, 'ada', 'sql');
    await new Promise((resolve) => setTimeout(resolve, 20));
    const between = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await awardThroughApi(api, tokens.staff, 'ada', 'model');
    const revoked = await post('staff', `/awards/${second.awardId}/revoke`, { reason: 'plagiarism' }).expect(200);

    const http = async (query: string) =>
      (
        await api
          .http()
          .get(`/learners/ada/transcript?${query}`)
          .set('Authorization', `Bearer ${tokens.registrar}`)
          .expect(200)
      ).body;
    const tessera = async (...args: string[]) => {
      const run = await runIn(
        { DATABASE_URL: api.database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET },
        process.cwd(),
        args,
      );
      expect(run.stderr).toBe('');
      return run.stdout;
    };
    const cli = async (...args: string[]) =>
      JSON.parse(await tessera('transcript', 'ada', '--format', 'json', ...args));

    const now = await http(`minPosition=${revoked.body.position}`);
    expect(now.awards.map((award: { status: string }) => award.status).sort()).toEqual(['revoked', 'valid']);
    expect(now.creditTotals).toMatchObject([{ framework: 'ECTS', value: 5, basis: 'official' }]);
    expect(await cli()).toEqual(now);

    const then = await http(`asOf=${between}`);
    expect(then.awards).toHaveLength(1);
    expect(await cli('--as-of', between)).toEqual(then);

    // The history too: every event, in order, the same entries (the auditor's issuers hold every stream here).
    const history = (
      await api
        .http()
        .get('/learners/ada/history?limit=200')
        .set('Authorization', `Bearer ${tokens.auditor}`)
        .expect(200)
    ).body;
    expect(history.events.length).toBeGreaterThanOrEqual(7);
    const lines = (await tessera('history', 'ada', '--json')).trim().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(history.events);
  });

  it('finds an award just made by its id before the award-index projection has run', async () => {
    // No projection runs in this api: the award index stays empty, and the award is found in the store's tail.
    harness = await catalogueApi({ TESSERA_PROJECTIONS: 'off' });
    const { api, tokens, post } = harness;
    const { awardId } = await awardThroughApi(api, tokens.staff, 'ada', 'sql');
    const credential = await api.http().get(`/awards/${awardId}/credential`).expect(200);
    expect(credential.body.credentialSubject.achievement.name).toBe('Achievement sql');
    const suspended = await post('staff', `/awards/${awardId}/suspend`, { reason: 'under review' }).expect(200);
    expect(suspended.body).toMatchObject({ awardId, status: 'suspended' });
    const unknown = await api.http().get('/awards/no-such-award/credential').expect(404);
    expect(unknown.body.type).toBe('urn:tessera:problem:unknown-award');
  });
});

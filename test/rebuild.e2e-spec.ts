import { type EventStore, type SqlClient } from '@app/event-store';
import { PROJECTIONS, rebuildProjections } from '@app/read-models';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/storage.tokens';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { awardThroughApi, definition, issuer, startApi, TEST_JWT_SECRET, type ApiHarness } from './support/api-harness';
import { caughtUp as projectionsCaughtUp, contentHashes as readModelHashes } from './support/read-models';
import { childEnv } from './support/child-env';

/** A rebuild gives the same rows as the live projections (compared by content hash), while the api keeps serving. */
describe('rebuilding the read models', () => {
  let api: ApiHarness;
  let store: EventStore;
  let sql: SqlClient;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);

  const awardTo = async (learnerId: string) => (await awardThroughApi(api, tokens.staff, learnerId, 'sql')).awardId;

  const contentHashes = () => readModelHashes(sql);
  const caughtUp = () => projectionsCaughtUp(store, sql);

  beforeAll(async () => {
    api = await startApi();
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    sql = api.app.get<symbol, SqlClient>(SQL_CLIENT);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
  });
  afterAll(() => api?.close());

  it('builds fresh tables equal to the live ones, swaps them in, and live projection goes on after', async () => {
    const awards = await Promise.all(['ada', 'bob', 'cy', 'dee'].map(awardTo));
    await post('staff', `/awards/${awards[1]}/revoke`, { reason: 'Misconduct' }).expect(200);
    await caughtUp();
    const live = await contentHashes();

    const progress: number[] = [];
    let answered = 0;
    const querying = (async () => {
      for (let index = 0; index < 20; index++) {
        await api.http().get('/learners/ada/transcript').set('Authorization', `Bearer ${tokens.registrar}`).expect(200);
        answered++;
      }
    })();
    const result = await rebuildProjections(store, sql, PROJECTIONS, ({ events }) => progress.push(events));
    await querying;
    expect(answered).toBe(20);
    expect(result.events).toBeGreaterThan(0);
    expect(progress.at(-1)).toBe(result.events);
    expect(await contentHashes()).toEqual(live);

    await awardTo('eve');
    await caughtUp();

    // The same through the command line, as an operator runs it, while the api keeps projecting
    const cli = spawnSync(process.execPath, [join(__dirname, '..', 'bin', 'tessera.js'), 'projections', 'rebuild'], {
      env: childEnv({ DATABASE_URL: api.database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET }),
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/rebuilt \d+ read models from \d+ events/);
    await caughtUp();
    const transcript = await api
      .http()
      .get('/learners/eve/transcript')
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .expect(200);
    expect(transcript.body.awards).toHaveLength(1);
  });
});

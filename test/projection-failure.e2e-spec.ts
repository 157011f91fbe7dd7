import { type EventStore, type SqlClient } from '@app/event-store';
import { PROJECTIONS, rebuildProjections } from '@app/read-models';
import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE, SQL_CLIENT } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';
import { eventually } from './support/failing-projection';
import { caughtUp } from './support/read-models';

const staff: Actor = { sub: 'staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] };
const registrar: Actor = { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] };

/**
 * Issue 13, point 1c: two learners holding one award id (appended through the adapter without claims, as the port
 * allows) wedged the transcript projection forever while /health said ok. Now it is marked failed and /health says so.
 */
describe('a projection that cannot go on, through the api', () => {
  let api: ApiHarness;
  let store: EventStore;
  let sql: SqlClient;
  let staffToken: string;
  let registrarToken: string;
  const errors = jest.spyOn(Logger.prototype, 'error');
  const warnings = jest.spyOn(Logger.prototype, 'warn');
  const said = (spy: jest.SpyInstance, pattern: RegExp) =>
    spy.mock.calls.filter(([message]) => typeof message === 'string' && pattern.test(message)).length;
  const transcript = (learnerId: string, minPosition: string) =>
    api
      .http()
      .get(`/learners/${learnerId}/transcript?minPosition=${minPosition}`)
      .set('Authorization', `Bearer ${registrarToken}`);

  beforeAll(async () => {
    api = await startApi({
      TESSERA_PROJECTION_RETRY_MS: '10',
      TESSERA_PROJECTION_RETRIES: '3',
      TESSERA_PROJECTION_FAILED_RETRY_MS: '600000',
    });
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    sql = api.app.get<symbol, SqlClient>(SQL_CLIENT);
    [staffToken, registrarToken] = await Promise.all([api.token(staff), api.token(registrar)]);
    const adminToken = await api.token({ sub: 'root', roles: ['admin'], issuers: [] });
    await api.http().post('/issuers').set('Authorization', `Bearer ${adminToken}`).send(issuer()).expect(201);
    await api
      .http()
      .post('/achievements')
      .set('Authorization', `Bearer ${staffToken}`)
      .send({ id: 'sql', issuerId: 'tu-dublin', ...definition() })
      .expect(201);
  });
  afterAll(async () => {
    errors.mockRestore();
    warnings.mockRestore();
    await api?.close();
  });

  it('answers 503 degraded naming the transcript, refuses reads waiting for it at once, and heals after a rebuild', async () => {
    const ada = await awardThroughApi(api, staffToken, 'ada', 'sql');
    await caughtUp(store, sql);
    expect((await api.http().get('/health').expect(200)).body.status).toBe('ok');

    const [awarded] = (await store.readStream('record-ada~sql')).filter((event) => event.type === 'AchievementAwarded');
    const started = Date.now();
    const { position: clash } = await store.appendToStream('record-bob~sql', [
      { id: randomUUID(), type: 'AchievementAwarded', data: { ...awarded.data, learnerId: 'bob' } },
    ]);
    const degraded = await eventually('GET /health to answer 503', async () => {
      const response = await api.http().get('/health');
      return response.status === 503 && response;
    });
    const failedMs = Date.now() - started;
    expect(degraded.body).toMatchObject({
      status: 'degraded',
      store: { eventsReachable: true, databaseReachable: true },
      projections: {
        failed: [
          {
            projection: 'transcript',
            position: clash.toString(),
            error: expect.stringMatching(/award id is already held by another learner/),
          },
        ],
      },
    });
    expect(Date.parse(degraded.body.projections.failed[0].since)).toBeGreaterThanOrEqual(started - 1000);

    // The other projections go on past the clash.
    const checkpoints = new Map<string, string>(
      degraded.body.projections.checkpoints.map((row: { projection: string; position: string }) => [
        row.projection,
        row.position,
      ]),
    );
    await eventually('the stream summary to pass the clash', async () => {
      const response = await api.http().get('/health');
      const summary = response.body.projections.checkpoints.find(
        (row: { projection: string }) => row.projection === 'stream-summary',
      );
      return BigInt(summary.position) >= clash;
    });
    expect(BigInt(checkpoints.get('transcript') ?? '0')).toBeLessThan(clash);

    // A read waiting for the failed projection is told so at once, not after the 3 s wait.
    const asked = Date.now();
    const refused = await transcript('ada', clash.toString()).expect(503);
    const refusedMs = Date.now() - asked;
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'urn:tessera:problem:projection-failed', status: 503 });
    expect(refused.body.detail).toMatch(/transcript read model is failed at position/);
    expect(refusedMs).toBeLessThan(1000);
    // A read of a position before the failed event answers: every event before that one is applied.
    await transcript('ada', ada.position).expect(200);
    const beforeClash = Date.now();
    await transcript('ada', (clash - 1n).toString()).expect(200);
    expect(Date.now() - beforeClash).toBeLessThan(1000);

    // The log said it once: failing, then failed, not once per retry.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(said(warnings, /^projection transcript failing at position/)).toBe(1);
    expect(said(errors, /^projection transcript FAILED at position/)).toBe(1);

    // The cause removed (the clashing event gone) and the read models rebuilt: the mark goes, the runner goes on.
    await sql.query('DELETE FROM tessera_events WHERE position = $1', [clash.toString()]);
    const repaired = Date.now();
    await rebuildProjections(store, sql, PROJECTIONS);
    const healthy = await api.http().get('/health').expect(200);
    const recoveredMs = Date.now() - repaired;
    expect(healthy.body).toMatchObject({ status: 'ok', projections: { failed: [] } });
    const cy = await awardThroughApi(api, staffToken, 'cy', 'sql');
    expect((await transcript('cy', cy.position).expect(200)).body.awards).toHaveLength(1);
    expect(said(warnings, /^projection transcript recovered/)).toBe(1);
    console.log(
      `transcript: 503 degraded ${failedMs} ms after the clash, read refused in ${refusedMs} ms, healthy ${recoveredMs} ms after the repair began`,
    );
  });
});

import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventStore, SqlClient } from '@app/event-store';
import { loadCheckpoint, PROJECTIONS, REBUILD_SCHEMA, rebuildProjections } from '@app/read-models';
import type { Actor } from '../../apps/api/src/auth/actor';
import { EVENT_STORE, SQL_CLIENT } from '../../apps/api/src/storage.tokens';
import {
  awardThroughApi,
  definition,
  issuer,
  startApi,
  TEST_JWT_SECRET,
  type ApiHarness,
} from '../support/api-harness';
import { caughtUp, contentHashes } from '../support/read-models';
import { call, listening } from './support/http';
import { recordFigures } from './support/results';
import { childEnv } from '../support/child-env';

/** The compiled programs (`npm run build`, which `npm test` and CI run first); TESSERA_DIST points elsewhere. */
const DIST = process.env.TESSERA_DIST ?? join(__dirname, '..', '..', 'dist');
const PROJECTOR = join(DIST, 'apps', 'projector', 'src', 'main.js');
const CLI = join(DIST, 'apps', 'cli', 'src', 'main.js');

const staff: Actor = { sub: 'projector-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] };
const admin: Actor = { sub: 'root', roles: ['admin'], issuers: [] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The projector as its own process (the api with TESSERA_PROJECTIONS=off), killed with SIGKILL at the worst moments:
 * replaying a full ledger, tailing live writes, and while `tessera projections rebuild` runs beside it. After each
 * restart the read models must equal a clean rebuild, table by table (content hashes).
 */
describe('faults: the projector killed with SIGKILL', () => {
  let api: ApiHarness;
  let base: string;
  let store: EventStore;
  let sql: SqlClient;
  let token: string;
  let projector: ChildProcess | undefined;
  const figures: Record<string, unknown> = {};
  const env = () => childEnv({ DATABASE_URL: api.database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET });

  /** Started, and watched: a projector that exits by itself fails the test at once, with what it printed. */
  const startProjector = () => {
    const child = spawn(process.execPath, [PROJECTOR], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code, signal) => {
      if (signal === null) crashed = new Error(`the projector exited by itself (${code}): ${stderr.slice(0, 500)}`);
    });
    projector = child;
    return child;
  };
  let crashed: Error | undefined;
  const alive = () => {
    if (crashed) throw crashed;
  };
  const kill9 = async (child: ChildProcess) => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
  const checkpoints = async () =>
    Object.fromEntries(
      await Promise.all(
        PROJECTIONS.map(async (projection) => [
          projection.name,
          (await loadCheckpoint(sql.query, projection.name).catch(() => undefined)) ?? 0n,
        ]),
      ),
    ) as Record<string, bigint>;
  const head = async () =>
    (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).at(-1)?.position ?? 0n;
  /** Caught up, the live tables must hash like tables rebuilt from scratch; answers the time to catch up. */
  const expectEqualToCleanRebuild = async (since: number) => {
    await caughtUp(store, sql, 60_000).finally(alive);
    const recoveredMs = Date.now() - since;
    const live = await contentHashes(sql);
    expect(Object.values(live).some((hash) => hash !== 'empty')).toBe(true);
    await kill9(projector!); // nothing may move while the rebuild compares
    await rebuildProjections(store, sql, PROJECTIONS);
    expect(await contentHashes(sql)).toEqual(live);
    return recoveredMs;
  };
  const awardMany = async (prefix: string, learners: number) => {
    for (let batch = 0; batch < learners; batch += 25)
      await Promise.all(
        Array.from({ length: Math.min(25, learners - batch) }, (_, index) =>
          awardThroughApi(api, token, `${prefix}-${batch + index}`, batch % 50 ? 'sql' : 'ethics'),
        ),
      );
  };

  beforeAll(async () => {
    if (!existsSync(PROJECTOR) || !existsSync(CLI))
      throw new Error(`${PROJECTOR} is missing: run npm run build first (or set TESSERA_DIST to a build)`);
    api = await startApi({ TESSERA_PROJECTIONS: 'off' });
    base = await listening(api);
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    sql = api.app.get<symbol, SqlClient>(SQL_CLIENT);
    token = await api.token(staff);
    await call(base, 'POST', '/issuers', {
      token: await api.token(admin),
      body: issuer(),
    });
    for (const id of ['sql', 'ethics'])
      expect(
        (await call(base, 'POST', '/achievements', { token, body: { id, issuerId: 'tu-dublin', ...definition() } }))
          .status,
      ).toBe(201);
    // About 1,500 events: three batches of the projector's 500, so a kill after the first lands mid-replay
    await awardMany('seed', 500);
  });
  afterAll(async () => {
    if (projector && projector.exitCode === null && projector.signalCode === null) await kill9(projector);
    await api?.close();
  });

  it('replaying the whole ledger: killed after its first batch, restarted, equal to a clean rebuild', async () => {
    const target = await head();
    const first = startProjector();
    const deadline = Date.now() + 30_000;
    while (Object.values(await checkpoints()).every((position) => position === 0n) && Date.now() < deadline) {
      alive();
      await sleep(5);
    }
    await kill9(first);
    const atKill = await checkpoints();
    expect(Object.values(atKill).some((position) => position > 0n && position < target)).toBe(true);
    const restarted = Date.now();
    startProjector();
    figures.replay = {
      events: (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length,
      projectionsMidwayAtKill: Object.values(atKill).filter((position) => position > 0n && position < target).length,
      timeToRecoverMs: await expectEqualToCleanRebuild(restarted),
    };
  });

  it('tailing live writes: killed while they flow, restarted, equal to a clean rebuild', async () => {
    startProjector();
    await caughtUp(store, sql, 60_000);
    const writing = awardMany('live', 150);
    await sleep(1_500);
    const before = await head();
    await kill9(projector!);
    await writing; // the writes go on while the projector is down
    expect(await head()).toBeGreaterThan(before);
    const restarted = Date.now();
    startProjector();
    figures.live = { timeToRecoverMs: await expectEqualToCleanRebuild(restarted) };
  });

  it('during `tessera projections rebuild`: both killed mid-rebuild, restarted, equal to a clean rebuild', async () => {
    startProjector();
    await caughtUp(store, sql, 60_000);
    const before = await contentHashes(sql);
    const rebuild = spawn(process.execPath, [CLI, 'projections', 'rebuild'], { env: env(), stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    const building = async () =>
      (
        await sql.query<{ tables: number }>(
          'SELECT count(*)::int AS tables FROM information_schema.tables WHERE table_schema = $1',
          [REBUILD_SCHEMA],
        )
      )[0].tables > 0;
    while (!(await building()) && Date.now() < deadline) await sleep(5);
    await Promise.all([kill9(rebuild), kill9(projector!)]);
    expect(rebuild.signalCode).toBe('SIGKILL');
    // The live tables are untouched by a rebuild that never swapped in
    expect(await contentHashes(sql)).toEqual(before);
    const restarted = Date.now();
    startProjector();
    await awardThroughApi(api, token, 'after-rebuild-kill', 'sql');
    figures.rebuild = { timeToRecoverMs: await expectEqualToCleanRebuild(restarted) };
    recordFigures('projector-kill', figures);
  });
});

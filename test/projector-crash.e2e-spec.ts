import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { foldStreamSummaries, listStreamSummaries, loadCheckpoint } from '@app/read-models';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/postgres-server';
import { childEnv } from './support/child-env';

const projectorMain = join(__dirname, '..', 'dist', 'apps', 'projector', 'src', 'main.js');

/** A projector killed with SIGKILL mid-catch-up resumes from its checkpoint: nothing lost, nothing counted twice. */
describe('the projector after kill -9', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = await PostgresEventStore.open(pgSqlClient(database.url));
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const startProjector = () =>
    spawn(process.execPath, [projectorMain], {
      env: childEnv({ DATABASE_URL: database.url, TESSERA_JWT_SECRET: 'crash-test-secret-'.repeat(3) }),
      stdio: 'ignore',
    });
  const checkpoint = () => loadCheckpoint(store.sql.query, 'stream-summary').catch(() => undefined);

  it('resumes without loss or duplication', async () => {
    // 8,000 events: sixteen batches of the projector's 500, so a kill after the first lands mid-catch-up.
    const streams = Array.from({ length: 400 }, (_, index) => `record-crash-${index}~sql`);
    for (let round = 0; round < 2; round++)
      await Promise.all(
        streams.map((stream) =>
          store.appendToStream(
            stream,
            Array.from({ length: 10 }, (_, index) => ({ id: randomUUID(), type: 'Seeded', data: { round, index } })),
          ),
        ),
      );
    const head = (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).at(-1)!.position;

    const first = startProjector();
    const deadline = Date.now() + 20_000;
    while (((await checkpoint()) ?? 0n) === 0n && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 5));
    first.kill('SIGKILL');
    await new Promise((resolve) => first.on('exit', resolve));
    const killedAt = (await checkpoint()) ?? 0n;
    expect(killedAt).toBeGreaterThan(0n);
    expect(killedAt).toBeLessThan(head); // killed mid-catch-up, not after it

    // More events while it is down, then a restart.
    const finalHead = (await store.appendToStream(streams[0], [{ id: randomUUID(), type: 'Late', data: {} }])).position;
    expect(finalHead).toBeGreaterThan(head);
    const second = startProjector();
    try {
      while (((await checkpoint()) ?? 0n) < finalHead && Date.now() < deadline + 20_000)
        await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.on('exit', resolve));
    }
    expect(await checkpoint()).toBe(finalHead);
    const byStream = (a: { stream: string }, b: { stream: string }) =>
      a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0;
    const expected = [
      ...foldStreamSummaries(await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).values(),
    ].sort(byStream);
    expect((await listStreamSummaries(store.sql.query)).sort(byStream)).toEqual(expected);
  });
});

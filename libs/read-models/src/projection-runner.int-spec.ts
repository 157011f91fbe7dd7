import { randomUUID } from 'node:crypto';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { loadCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { foldStreamSummaries, listStreamSummaries, streamSummaryProjection } from './stream-summary.projection';

describe('ProjectionRunner on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = await PostgresEventStore.open(pgSqlClient(database.url), { pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const append = (stream: string, count: number) =>
    store.appendToStream(
      stream,
      Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type: `Step${index}`, data: { index } })),
    );

  async function waitForCheckpoint(projection: string, position: bigint): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const checkpoint = await loadCheckpoint(store.sql.query, projection);
      if (checkpoint !== undefined && checkpoint >= position) return;
      if (Date.now() > deadline) throw new Error(`${projection} did not reach ${position} (at ${checkpoint})`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('projects the feed, and a restarted runner resumes from its checkpoint without counting twice', async () => {
    const first = new ProjectionRunner(store, store.sql, [streamSummaryProjection], { batchSize: 7 });
    await first.start();
    await Promise.all([append('record-a-x', 5), append('issuer-b', 3), append('record-a-y', 20)]);
    const head = (await append('record-a-x', 2)).position;
    await waitForCheckpoint('stream-summary', head);
    await first.stop();

    await append('issuer-b', 4);
    const later = (await append('achievement-c', 1)).position;
    const second = new ProjectionRunner(store, store.sql, [streamSummaryProjection], { batchSize: 7 });
    await second.start();
    await waitForCheckpoint('stream-summary', later);
    await second.stop();

    const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
      a.stream.localeCompare(b.stream),
    );
    expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
    expect(expected.map((summary) => [summary.stream, summary.eventCount])).toEqual([
      ['achievement-c', 1],
      ['issuer-b', 7],
      ['record-a-x', 7],
      ['record-a-y', 20],
    ]);
    expect((await listStreamSummaries(store.sql.query, 'record')).map((summary) => summary.stream)).toEqual([
      'record-a-x',
      'record-a-y',
    ]);
  });

  it('applies each event once when two runners tail the same projection (several api instances)', async () => {
    const runners = [1, 2].map(
      () => new ProjectionRunner(store, store.sql, [streamSummaryProjection], { batchSize: 3 }),
    );
    await Promise.all(runners.map((runner) => runner.start()));
    let head = 0n;
    for (let index = 0; index < 40; index++) head = (await append(`twin-${index % 7}`, 2)).position;
    await waitForCheckpoint('stream-summary', head);
    await Promise.all(runners.map((runner) => runner.stop()));
    const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
      a.stream.localeCompare(b.stream),
    );
    expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
  });

  it('writes a batch and its checkpoint together: a failed batch leaves no trace and is retried', async () => {
    await store.sql.query('CREATE TABLE IF NOT EXISTS flaky_seen (event_id uuid PRIMARY KEY)');
    let failures = 0;
    const flaky: Projection = {
      name: 'flaky',
      filter: { streamPrefix: 'flaky-' },
      migration: 'SELECT 1',
      async apply(events, query) {
        // A duplicate event_id would violate the primary key: each event must be applied exactly once.
        await query('INSERT INTO flaky_seen SELECT jsonb_array_elements_text($1::jsonb)::uuid', [
          JSON.stringify(events.map((e) => e.id)),
        ]);
        if (failures++ < 2) throw new Error('transient failure after writing rows');
      },
    };
    const errors: unknown[] = [];
    const runner = new ProjectionRunner(store, store.sql, [flaky], {
      retryMs: 10,
      onError: (_name, error) => errors.push(error),
    });
    await runner.start();
    const head = (await append('flaky-1', 30)).position;
    await waitForCheckpoint('flaky', head);
    await runner.stop();
    expect(errors).toHaveLength(2);
    const [{ count }] = await store.sql.query<{ count: number }>('SELECT count(*)::int AS count FROM flaky_seen');
    expect(count).toBe(30);
  });
});

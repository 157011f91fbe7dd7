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

  describe('ownership: one runner at a time applies a projection', () => {
    /** The stream-summary projection under another name, counting the events each runner applies. */
    const countingSummary = (name: string, applied: { count: number }): Projection => ({
      ...streamSummaryProjection,
      name,
      async apply(events, query) {
        applied.count += events.length;
        await streamSummaryProjection.apply(events, query);
      },
    });
    const ownerPid = async (name: string) => {
      const rows = await store.sql.query<{ pid: number }>(
        `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = hashtext($1)::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
        [name],
      );
      return rows.map((row) => row.pid);
    };

    it('leaves the standby idle while the owner lives, and the standby takes over when the owner stops', async () => {
      await store.sql.query('TRUNCATE tessera_stream_summary');
      const name = 'stream-summary';
      await store.sql.query('DELETE FROM tessera_checkpoints WHERE projection = $1', [name]);
      const [ownerCount, standbyCount] = [{ count: 0 }, { count: 0 }];
      const owner = new ProjectionRunner(store, store.sql, [countingSummary(name, ownerCount)], { takeoverMs: 50 });
      await owner.start();
      for (const deadline = Date.now() + 5000; (await ownerPid(name)).length === 0;) {
        if (Date.now() > deadline) throw new Error(`no runner took ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const standby = new ProjectionRunner(store, store.sql, [countingSummary(name, standbyCount)], {
        takeoverMs: 50,
      });
      await standby.start();
      let head = 0n;
      for (let index = 0; index < 10; index++) head = (await append(`owned-${index % 3}`, 2)).position;
      await waitForCheckpoint(name, head);
      expect(standbyCount.count).toBe(0);
      expect(ownerCount.count).toBeGreaterThan(0);

      await owner.stop();
      const beforeTakeover = ownerCount.count;
      for (let index = 0; index < 10; index++) head = (await append(`owned-${index % 3}`, 1)).position;
      await waitForCheckpoint(name, head);
      await standby.stop();
      expect(ownerCount.count).toBe(beforeTakeover);
      expect(standbyCount.count).toBeGreaterThanOrEqual(10);
      const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
        a.stream.localeCompare(b.stream),
      );
      expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
    });

    it('hands the projection over when the owner’s connection dies, without applying an event twice', async () => {
      await store.sql.query('TRUNCATE tessera_stream_summary');
      const name = 'stream-summary';
      await store.sql.query('DELETE FROM tessera_checkpoints WHERE projection = $1', [name]);
      const counts = [{ count: 0 }, { count: 0 }];
      const runners = counts.map(
        (count) =>
          new ProjectionRunner(store, store.sql, [countingSummary(name, count)], {
            takeoverMs: 50,
            heartbeatMs: 50,
            retryMs: 50,
          }),
      );
      await Promise.all(runners.map((runner) => runner.start()));
      let head = 0n;
      for (let index = 0; index < 6; index++) head = (await append(`handover-${index % 2}`, 2)).position;
      await waitForCheckpoint(name, head);
      const [firstOwner] = await ownerPid(name);
      expect(firstOwner).toBeDefined();

      // The owning instance's connection dies (as when its host goes away): its lock goes with it.
      await store.sql.query('SELECT pg_terminate_backend($1)', [firstOwner]);
      for (let index = 0; index < 6; index++) head = (await append(`handover-${index % 2}`, 3)).position;
      await waitForCheckpoint(name, head);
      const owners = await ownerPid(name);
      await Promise.all(runners.map((runner) => runner.stop()));
      expect(owners).toHaveLength(1);
      expect(owners[0]).not.toBe(firstOwner);
      const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
        a.stream.localeCompare(b.stream),
      );
      expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
    });
  });
});

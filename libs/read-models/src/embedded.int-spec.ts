import { randomUUID } from 'node:crypto';
import { PostgresEventStore, pgliteSqlClient } from '@app/event-store';
import { eventually, poisonedEvents, poisonedProjection } from '../../../test/support/failing-projection';
import { loadCheckpoint, loadFailure } from './checkpoints';
import type { Reactor } from './projection';
import { ProjectionRunner, type ProjectionStateChange } from './projection-runner';
import { rebuildProjections } from './rebuild';
import { migrateReadSide } from './typeorm/read-side';
import { foldStreamSummaries, listStreamSummaries, streamSummaryProjection } from './stream-summary.projection';

/**
 * Embedded PGlite has one connection: a transaction holds it, and any other query waits for the transaction to end.
 * Work that reads or appends to the store from inside a projection's batch or the rebuild's swap would wait forever.
 */
describe('read models on embedded PGlite', () => {
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await PostgresEventStore.open(await pgliteSqlClient(), { pollIntervalMs: 10 });
    await migrateReadSide(store.sql);
  });
  afterAll(() => store.close());

  const append = (stream: string, count: number) =>
    store.appendToStream(
      stream,
      Array.from({ length: count }, (_, index) => ({ id: randomUUID(), type: `Step${index}`, data: { index } })),
    );

  it('rebuilds into fresh tables and swaps them in', async () => {
    await append('record-a~x', 3);
    await append('issuer-b', 2);
    const result = await rebuildProjections(store, store.sql, [streamSummaryProjection]);
    expect(result.events).toBe(5);
    const expected = [...foldStreamSummaries(await store.readAll()).values()].sort((a, b) =>
      a.stream.localeCompare(b.stream),
    );
    expect(await listStreamSummaries(store.sql.query)).toEqual(expected);
  });

  it('runs a reactor that reads and appends to the store from its batch', async () => {
    const echoes: Reactor = {
      name: 'echo',
      filter: { streamPrefix: 'ping-' },
      async react(events) {
        const answered = new Set((await store.readAll()).map((event) => event.stream));
        for (const event of events)
          if (!answered.has(`pong-${event.id}`))
            await store.appendToStream(`pong-${event.id}`, [{ id: randomUUID(), type: 'Ponged', data: {} }]);
      },
    };
    const runner = new ProjectionRunner(store, store.sql, [echoes]);
    await runner.start();
    try {
      await append('ping-1', 3);
      for (const deadline = Date.now() + 10_000; ;) {
        const pongs = (await store.readAll()).filter((event) => event.type === 'Ponged');
        if (pongs.length === 3) break;
        if (Date.now() > deadline) throw new Error(`3 pongs expected, ${pongs.length} appended`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await runner.stop();
    }
  });

  it('marks a projection and a process manager failed at the event they cannot apply, and both heal', async () => {
    const poisoned = poisonedProjection('embedded-poisoned', 'embedded_poisoned_seen', 'dose-');
    let causePresent = true;
    const answered: string[] = [];
    // A reactor (its batches outside a transaction) that cannot answer a Poison event while the cause lasts.
    const echoes: Reactor = {
      name: 'embedded-echo',
      filter: { streamPrefix: 'dose-' },
      async react(events) {
        // Idempotent, as a process manager's appends are: a retried batch answers each event once.
        for (const event of events.filter((candidate) => !answered.includes(candidate.id))) {
          if (event.type === 'Poison' && causePresent) throw new Error(`cannot answer the poison at ${event.position}`);
          await store.appendToStream(`reply-${event.id}`, [{ id: randomUUID(), type: 'Replied', data: {} }], {
            expectedRevision: 'no_stream',
          });
          answered.push(event.id);
        }
      },
    };
    const changes: ProjectionStateChange[] = [];
    const runner = new ProjectionRunner(store, store.sql, [poisoned, echoes], {
      retryMs: 10,
      maxRetryMs: 40,
      retriesBeforeFailed: 2,
      failedRetryMs: 200,
      onStateChange: (change) => changes.push(change),
    });
    await runner.start();
    try {
      const started = Date.now();
      const { position: head } = await store.appendToStream('dose-1', poisonedEvents(3, 2));
      const recorded = await store.readStream('dose-1');
      const poisonAt = recorded[3].position;
      for (const name of ['embedded-poisoned', 'embedded-echo'])
        expect(await eventually(`${name} failed`, () => loadFailure(store.sql.query, name))).toMatchObject({
          position: poisonAt,
        });
      const failedMs = Date.now() - started;
      expect(await loadCheckpoint(store.sql.query, 'embedded-echo')).toBe(recorded[2].position);
      expect(answered).toEqual(recorded.slice(0, 3).map((event) => event.id));

      poisoned.causePresent = false;
      causePresent = false;
      for (const name of ['embedded-poisoned', 'embedded-echo'])
        await eventually(`${name} past the poison`, async () => (await loadCheckpoint(store.sql.query, name)) === head);
      expect(await loadFailure(store.sql.query, 'embedded-echo')).toBeUndefined();
      expect(answered).toEqual(recorded.map((event) => event.id));
      expect(changes.map((change) => [change.projection, change.state]).sort()).toEqual([
        ['embedded-echo', 'failed'],
        ['embedded-echo', 'failing'],
        ['embedded-echo', 'recovered'],
        ['embedded-poisoned', 'failed'],
        ['embedded-poisoned', 'failing'],
        ['embedded-poisoned', 'recovered'],
      ]);
      console.log(`embedded: failed after ${failedMs} ms`);
    } finally {
      await runner.stop();
    }
  });
});

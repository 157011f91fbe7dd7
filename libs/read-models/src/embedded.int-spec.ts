import { randomUUID } from 'node:crypto';
import { PostgresEventStore, pgliteSqlClient } from '@app/event-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { rebuildProjections } from './rebuild';
import { foldStreamSummaries, listStreamSummaries, streamSummaryProjection } from './stream-summary.projection';

/**
 * Embedded PGlite has one connection: a transaction holds it, and any other query waits for the transaction to end.
 * Work that reads or appends to the store from inside a projection's batch or the rebuild's swap would wait forever.
 */
describe('read models on embedded PGlite', () => {
  let store: PostgresEventStore;

  beforeAll(async () => {
    store = await PostgresEventStore.open(await pgliteSqlClient(), { pollIntervalMs: 10 });
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

  it('runs a process manager that reads and appends to the store from its batch', async () => {
    const echoes: Projection = {
      name: 'echo',
      filter: { streamPrefix: 'ping-' },
      migration: 'SELECT 1',
      appendsToStore: true,
      async apply(events) {
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
});

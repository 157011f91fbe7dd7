import { Client } from 'pg';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../../test/support/postgres-server';
import type { RecordedEvent } from '../event-store.port';
import { newEvent } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { pgSqlClient } from './sql-client';

/**
 * The in-flight gap: append A takes its transaction id (hence its position) first but commits last;
 * append B commits in between. A naive reader ordered by position would hand B to a subscriber,
 * checkpoint past A, and never deliver A. Ours must hold B back until A has committed.
 */
describe('postgres adapter: a catch-up subscriber never skips an event that commits late', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;
  let blocker: Client;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = await PostgresEventStore.open(pgSqlClient(database.url), { pollIntervalMs: 10 });
    blocker = new Client({ connectionString: database.url });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker.end();
    await store.close();
    await database.drop();
  });

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('delivers both appends exactly once, in position order, although they commit in reverse order', async () => {
    await store.appendToStream('gap-a', [newEvent('Seeded')]);
    const seeded = await store.readAll({ visibility: 'committed' });
    const received: RecordedEvent[] = [];
    const controller = new AbortController();
    const subscriber = (async () => {
      for await (const event of store.subscribe({ from: seeded[0].position, signal: controller.signal }))
        received.push(event);
    })();

    // Hold stream gap-a's row so that append A gets its transaction id, then waits before it can commit.
    await blocker.query('BEGIN');
    await blocker.query("SELECT revision FROM tessera_streams WHERE stream_name = 'gap-a' FOR UPDATE");
    // An exact expected revision takes the UPDATE path, which is given its transaction id before it waits.
    const appendA = store.appendToStream('gap-a', [newEvent('A')], { expectedRevision: 0n });
    await waitUntil(async () => {
      // Asked outside the blocker's transaction, which would keep seeing its first snapshot of pg_stat_activity.
      const [row] = await store.sql.query<{ waiting: number }>(
        `SELECT count(*)::int AS waiting FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL`,
      );
      return row.waiting === 1;
    }, 'append A waiting with a transaction id');

    const appendB = await store.appendToStream('gap-b', [newEvent('B')]);
    // B is committed and visible to plain SQL, yet must not reach the subscriber while A is in flight.
    const { rows: visible } = await blocker.query(
      "SELECT count(*)::int AS n FROM tessera_events WHERE stream_name = 'gap-b'",
    );
    expect(visible[0].n).toBe(1);
    await sleep(300);
    expect(received).toEqual([]);

    await blocker.query('COMMIT');
    const resultA = await appendA;
    expect(resultA.position).toBeLessThan(appendB.position); // A holds the lower position but committed last

    await waitUntil(async () => received.length >= 2, 'both events delivered');
    await sleep(100);
    controller.abort();
    await subscriber;
    expect(received.map((event) => event.type)).toEqual(['A', 'B']);
    expect(received.map((event) => event.position)).toEqual([resultA.position, appendB.position]);
  });
});

async function waitUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

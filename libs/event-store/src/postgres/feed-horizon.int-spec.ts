import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../../test/support/postgres-server';
import type { RecordedEvent } from '../event-store.port';
import { newEvent } from '../testing/event-store.contract';
import { PostgresEventStore } from './postgres.event-store';
import { pgSqlClient, type SqlClient } from './sql-client';

/**
 * A subscriber whose filter rarely matches (a catalogue of definitions beside a stream of records) reads its feed from
 * the horizon its last read looked below, not from its last event: else every wake-up reads again all it skipped.
 */
describe('postgres adapter: a subscriber’s feed reads move past the events its filter skipped', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;
  /** The `from` of every feed read, in order. */
  const feedFroms: bigint[] = [];

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    const sql = pgSqlClient(database.url);
    const watched: SqlClient = {
      ...sql,
      query: (text, params, options) => {
        if (text.includes('WITH horizon')) feedFroms.push(BigInt(params?.[0] as string));
        return sql.query(text, params, options);
      },
    };
    store = await PostgresEventStore.open(watched, { pollIntervalMs: 10 });
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  it('reads after the skipped events once caught up, and still delivers the next matching event', async () => {
    await store.appendToStream('rare-1', [newEvent('Defined')]);
    const received: RecordedEvent[] = [];
    const controller = new AbortController();
    const subscriber = (async () => {
      for await (const event of store.subscribe({ filter: { streamPrefix: 'rare-' }, signal: controller.signal }))
        received.push(event);
    })();
    for (let index = 0; index < 30; index++) await store.appendToStream(`common-${index}`, [newEvent('Recorded')]);
    const [lastCommon] = await store.readAll({
      from: 0n,
      filter: { streamPrefix: 'common-29' },
      visibility: 'committed',
    });
    // The horizon is the whole server's: other test files' open transactions may hold it back a while.
    const movedOn = () => feedFroms.some((from) => from >= lastCommon.position);
    const until = async (done: () => boolean) => {
      const deadline = Date.now() + 20_000;
      while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    await until(movedOn);
    // The reads moved on past the 30 skipped events, though none of them was delivered…
    expect(movedOn()).toBe(true);
    expect(received.map((event) => event.stream)).toEqual(['rare-1']);
    // …and the next matching event is still delivered.
    await store.appendToStream('rare-2', [newEvent('Defined')]);
    await until(() => received.length >= 2);
    controller.abort();
    await subscriber;
    expect(received.map((event) => event.stream)).toEqual(['rare-1', 'rare-2']);
  }, 60_000);
});

import { randomUUID } from 'node:crypto';
import {
  CommandKeyTaken,
  IdClaimedByAnotherStream,
  InvalidEvent,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';
import { type EventStore, MAX_EVENT_BYTES, type NewEvent, type RecordedEvent } from '../event-store.port';

/**
 * A store under test. `reopen` gives a second instance over the same storage (a restart);
 * stores that keep nothing (memory) return the same instance.
 */
export interface ContractSubject {
  readonly store: EventStore;
  reopen(): Promise<EventStore>;
  dispose(): Promise<void>;
}

export const newEvent = (type = 'SomethingHappened', data: NewEvent['data'] = { value: 1 }): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: { correlationId: randomUUID() },
});

/** Collects events from a subscription until `count` arrived or the time runs out. */
export async function take(
  subscription: AsyncIterable<RecordedEvent>,
  count: number,
  controller: AbortController,
  timeoutMs = 20_000,
) {
  const received: RecordedEvent[] = [];
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    for await (const event of subscription) {
      received.push(event);
      if (received.length >= count) break;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return received;
}

/** The one contract every adapter must satisfy. */
export function describeEventStoreContract(adapter: string, open: () => Promise<ContractSubject>): void {
  describe(`EventStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: EventStore;
    const streamOf = (label: string) => `${label}-${randomUUID()}`;
    // Other test files share the PostgreSQL server: their open transactions hold back what `settled` reads show.
    const countAll = async () => (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length;

    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(() => subject?.dispose());

    it('appends and reads back every field, in order', async () => {
      const stream = streamOf('order');
      const events = [
        newEvent('Opened', { a: 1, nested: { list: [1, 'two', null, true] } }),
        newEvent('Closed', { b: 'x' }),
      ];
      const result = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(result.nextRevision).toBe(1n);

      const read = await store.readStream(stream);
      expect(
        read.map((event) => [event.id, event.type, event.data, event.metadata, event.stream, event.revision]),
      ).toEqual(
        events.map((event, index) => [event.id, event.type, event.data, event.metadata, stream, BigInt(index)]),
      );
      expect(read[1].position).toBe(result.position);
      expect(read[0].position).toBeLessThan(read[1].position);
      expect(read[0].recordedAt).toBeInstanceOf(Date);
      expect(Math.abs(read[0].recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
    });

    it('reads a stream from a revision, backwards and with a maximum count', async () => {
      const stream = streamOf('slice');
      await store.appendToStream(
        stream,
        [1, 2, 3, 4, 5].map((value) => newEvent('Counted', { value })),
      );
      const values = (events: RecordedEvent[]) => events.map((event) => event.data.value);
      expect(values(await store.readStream(stream, { fromRevision: 2n }))).toEqual([3, 4, 5]);
      expect(values(await store.readStream(stream, { fromRevision: 1n, maxCount: 2 }))).toEqual([2, 3]);
      expect(values(await store.readStream(stream, { direction: 'backwards', maxCount: 2 }))).toEqual([5, 4]);
      expect(values(await store.readStream(stream, { direction: 'backwards', fromRevision: 2n }))).toEqual([3, 2, 1]);
      await expect(store.readStream(streamOf('missing'))).rejects.toBeInstanceOf(StreamNotFound);
    });

    it('refuses a stale or wrong expected revision, naming expected and actual, and writes nothing', async () => {
      const stream = streamOf('conflict');
      await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [newEvent()], { expectedRevision: 0n });

      const stale = store.appendToStream(stream, [newEvent()], { expectedRevision: 0n });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(stale).rejects.toMatchObject({ stream, expected: 0n, actual: 1n });
      await expect(store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream' })).rejects.toMatchObject(
        {
          expected: 'no_stream',
          actual: 1n,
        },
      );
      const missing = streamOf('missing');
      await expect(
        store.appendToStream(missing, [newEvent()], { expectedRevision: 'stream_exists' }),
      ).rejects.toMatchObject({
        expected: 'stream_exists',
        actual: 'no_stream',
      });
      await expect(store.appendToStream(missing, [newEvent()], { expectedRevision: 0n })).rejects.toBeInstanceOf(
        WrongExpectedVersion,
      );

      expect(await store.readStream(stream)).toHaveLength(2);
      await expect(store.readStream(missing)).rejects.toBeInstanceOf(StreamNotFound);
      expect(
        (await store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' })).nextRevision,
      ).toBe(2n);
      expect((await store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' })).nextRevision).toBe(3n);
    });

    it('treats a retried append with the same event ids as done: same result, nothing appended', async () => {
      const stream = streamOf('retry');
      const events = [newEvent(), newEvent()];
      const first = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const again = await store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const anyway = await store.appendToStream(stream, events);
      expect(first.appended).toBe(true);
      expect(again).toEqual({ ...first, appended: false });
      expect(anyway).toEqual({ ...first, appended: false });
      expect(await store.readStream(stream)).toHaveLength(2);
      await expect(store.appendToStream(stream, [events[0], newEvent()])).rejects.toBeInstanceOf(InvalidEvent);
      expect(await store.readStream(stream)).toHaveLength(2);
    });

    it('lets exactly one of 50 concurrent appenders win each revision', async () => {
      const stream = streamOf('race');
      await store.appendToStream(stream, [newEvent('Started')]);

      const firstRound = await Promise.allSettled(
        Array.from({ length: 50 }, (_, writer) =>
          store.appendToStream(stream, [newEvent('Raced', { writer })], { expectedRevision: 0n }),
        ),
      );
      const winners = firstRound.filter((outcome) => outcome.status === 'fulfilled');
      const losers = firstRound.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(49);
      for (const loser of losers) expect(loser.reason).toBeInstanceOf(WrongExpectedVersion);

      // Now every writer retries on conflict until it lands: revisions stay contiguous, each writer lands once.
      const writers = Array.from({ length: 50 }, (_, writer) => async () => {
        for (;;) {
          const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
          try {
            return await store.appendToStream(stream, [newEvent('Retried', { writer })], {
              expectedRevision: last.revision,
            });
          } catch (error) {
            if (!(error instanceof WrongExpectedVersion)) throw error;
          }
        }
      });
      const results = await Promise.all(writers.map((write) => write()));
      const revisions = results.map((result) => result.nextRevision).sort((a, b) => (a < b ? -1 : 1));
      expect(revisions).toEqual(Array.from({ length: 50 }, (_, index) => BigInt(index + 2)));

      const events = await store.readStream(stream);
      expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 52 }, (_, index) => BigInt(index)));
      const retried = events.filter((event) => event.type === 'Retried').map((event) => event.data.writer);
      expect(new Set(retried).size).toBe(50);
      expect(retried).toHaveLength(50);
    });

    it('delivers every event exactly once, in one order, to a subscriber tailing 20 concurrent appenders, and resumes from its checkpoint', async () => {
      const prefix = `tail-${randomUUID()}-`;
      const perWriter = 10;
      const total = 20 * perWriter;
      const controller = new AbortController();
      const live = take(
        store.subscribe({ filter: { streamPrefix: prefix }, signal: controller.signal }),
        total,
        controller,
      );

      await Promise.all(
        Array.from({ length: 20 }, async (_, writer) => {
          for (let index = 0; index < perWriter; index++)
            await store.appendToStream(`${prefix}${writer}`, [newEvent('Tailed', { writer, index })]);
        }),
      );
      const received = await live;
      expect(received).toHaveLength(total);
      expect(new Set(received.map((event) => event.id)).size).toBe(total);
      const positions = received.map((event) => event.position);
      expect(positions).toEqual([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
      expect(new Set(positions).size).toBe(total);
      const stored = await store.readAll({ filter: { streamPrefix: prefix } });
      expect(stored.map((event) => event.id)).toEqual(received.map((event) => event.id));
      for (let writer = 0; writer < 20; writer++) {
        const ofWriter = received
          .filter((event) => event.stream === `${prefix}${writer}`)
          .map((event) => event.data.index);
        expect(ofWriter).toEqual(Array.from({ length: perWriter }, (_, index) => index));
      }

      // A restart: a new store instance, resuming after the 73rd event, sees the rest exactly once.
      const checkpoint = received[72].position;
      const restarted = await subject.reopen();
      store = restarted;
      await restarted.appendToStream(`${prefix}late`, [newEvent('Late')]);
      const resumedController = new AbortController();
      const resumed = await take(
        restarted.subscribe({ from: checkpoint, filter: { streamPrefix: prefix }, signal: resumedController.signal }),
        total - 73 + 1,
        resumedController,
      );
      expect(resumed.map((event) => event.id)).toEqual([
        ...received.slice(73).map((event) => event.id),
        expect.any(String),
      ]);
      expect(resumed[resumed.length - 1].stream).toBe(`${prefix}late`);
    });

    it('filters by stream prefix and by event type, in reads and subscriptions', async () => {
      const prefix = `filter-${randomUUID()}-`;
      await store.appendToStream(`${prefix}a-1`, [newEvent('Kept'), newEvent('Dropped')]);
      await store.appendToStream(`${prefix}b-1`, [newEvent('Kept')]);
      await store.appendToStream(`other-${prefix}a-1`, [newEvent('Kept')]);

      const byPrefix = await store.readAll({ filter: { streamPrefix: `${prefix}a-` }, visibility: 'committed' });
      expect(byPrefix.map((event) => [event.stream, event.type])).toEqual([
        [`${prefix}a-1`, 'Kept'],
        [`${prefix}a-1`, 'Dropped'],
      ]);
      const byPrefixes = await store.readAll({
        filter: { streamPrefix: [`${prefix}a-`, `${prefix}b-`] },
        visibility: 'committed',
      });
      expect(byPrefixes).toHaveLength(3);

      const type = `Typed${randomUUID().replace(/-/g, '')}`;
      await store.appendToStream(`${prefix}c-1`, [newEvent(type), newEvent('Other'), newEvent(type)]);
      const byType = await store.readAll({ filter: { eventTypes: [type] }, visibility: 'committed' });
      expect(byType.map((event) => event.type)).toEqual([type, type]);

      const controller = new AbortController();
      const subscribed = await take(
        store.subscribe({ filter: { eventTypes: [type] }, signal: controller.signal }),
        2,
        controller,
      );
      expect(subscribed.map((event) => event.id)).toEqual(byType.map((event) => event.id));
      const tail = await store.readAll({
        from: byPrefix[0].position,
        filter: { streamPrefix: `${prefix}a-` },
        visibility: 'committed',
      });
      expect(tail.map((event) => event.id)).toEqual([byPrefix[1].id]);
    });

    it('shows, once settled, exactly what committed reads show', async () => {
      const prefix = `settle-${randomUUID()}-`;
      await Promise.all([1, 2, 3].map((index) => store.appendToStream(`${prefix}${index}`, [newEvent(), newEvent()])));
      const committed = await store.readAll({ filter: { streamPrefix: prefix }, visibility: 'committed' });
      expect(committed).toHaveLength(6);
      const deadline = Date.now() + 15_000;
      let settled = await store.readAll({ filter: { streamPrefix: prefix } });
      while (settled.length < committed.length && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        settled = await store.readAll({ filter: { streamPrefix: prefix } });
      }
      expect(settled.map((event) => event.id)).toEqual(committed.map((event) => event.id));
    });

    it('keeps unicode exactly, in payloads and stream names', async () => {
      const stream = `unicode-${randomUUID()}-Ünïcødé-学生-طالب-🎓`;
      const data = {
        name: 'Zoë Ó Briain — 王小明 — محمد — 🧑‍🎓👩🏽‍🔬',
        combining: 'e\u0301 a\u0308',
        rtl: '\u202eabc',
        keys: { 'clé-🔑': 'välue', 学分: 30 },
        astral: '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
      };
      await store.appendToStream(stream, [{ id: randomUUID(), type: 'Ünicode✓', data, metadata: { by: 'Åsa' } }]);
      const [event] = await store.readStream(stream);
      expect(event.data).toEqual(data);
      expect(event.type).toBe('Ünicode✓');
      expect(event.stream).toBe(stream);
      expect(event.metadata).toEqual({ by: 'Åsa' });
    });

    it('refuses an event over 1 MiB with a clear error and writes nothing', async () => {
      const stream = streamOf('large');
      const before = await countAll();
      const huge = newEvent('Huge', { blob: 'x'.repeat(MAX_EVENT_BYTES) });
      const append = store.appendToStream(stream, [newEvent(), huge]);
      await expect(append).rejects.toBeInstanceOf(InvalidEvent);
      await expect(append).rejects.toThrow(/1 MiB/);
      expect(await countAll()).toBe(before);
      const justUnder = newEvent('Large', { blob: 'y'.repeat(MAX_EVENT_BYTES - 100) });
      await store.appendToStream(stream, [{ ...justUnder, metadata: {} }]);
      const [stored] = await store.readStream(stream);
      expect((stored.data.blob as string).length).toBe(MAX_EVENT_BYTES - 100);
    });

    describe('batch appends to many streams', () => {
      it('appends every part whose expected revision holds, and reads them back together', async () => {
        const fresh = streamOf('batch-new');
        const existing = streamOf('batch-old');
        await store.appendToStream(existing, [newEvent('First')]);
        const parts = [
          { stream: fresh, events: [newEvent('A'), newEvent('B')], expectedRevision: 'no_stream' as const },
          { stream: existing, events: [newEvent('Second')], expectedRevision: 0n },
        ];
        const results = await store.appendToStreams(parts);
        expect(results.map((result) => [result.stream, result.outcome])).toEqual([
          [fresh, 'appended'],
          [existing, 'appended'],
        ]);
        expect(results[0].outcome === 'appended' && results[0].nextRevision).toBe(1n);
        expect(results[1].outcome === 'appended' && results[1].nextRevision).toBe(1n);

        const read = await store.readStreams([fresh, existing, streamOf('batch-absent')]);
        expect([...read.keys()].sort()).toEqual([fresh, existing].sort());
        expect(read.get(fresh)!.map((event) => [event.type, event.revision])).toEqual([
          ['A', 0n],
          ['B', 1n],
        ]);
        expect(read.get(existing)!.map((event) => [event.type, event.revision])).toEqual([
          ['First', 0n],
          ['Second', 1n],
        ]);
        expect(read.get(fresh)![1].position).toBe(results[0].outcome === 'appended' && results[0].position);
      });

      it('reads only the events after the revision a caller holds, in the same call as whole streams', async () => {
        const cached = streamOf('after-cached');
        const whole = streamOf('after-whole');
        const unchanged = streamOf('after-unchanged');
        await store.appendToStream(cached, [newEvent('One'), newEvent('Two'), newEvent('Three')]);
        await store.appendToStream(whole, [newEvent('Only')]);
        await store.appendToStream(unchanged, [newEvent('Old')]);
        const read = await store.readStreams([cached, whole, unchanged], {
          after: new Map([
            [cached, 0n],
            [unchanged, 0n],
          ]),
        });
        expect(read.get(cached)!.map((event) => [event.type, event.revision])).toEqual([
          ['Two', 1n],
          ['Three', 2n],
        ]);
        expect(read.get(whole)!.map((event) => event.type)).toEqual(['Only']);
        expect(read.has(unchanged)).toBe(false);
      });

      it('reads and appends streams whose names hold quotes, backslashes, commas and braces', async () => {
        const odd = streamOf('batch-"odd\\,{name}');
        const [result] = await store.appendToStreams([
          { stream: odd, events: [newEvent('Odd')], expectedRevision: 'no_stream' },
        ]);
        expect(result.outcome).toBe('appended');
        const [conflict] = await store.appendToStreams([
          { stream: odd, events: [newEvent('Again')], expectedRevision: 'no_stream' },
        ]);
        expect(conflict).toEqual({ stream: odd, outcome: 'conflict', actual: 0n });
        const read = await store.readStreams([odd]);
        expect(read.get(odd)!.map((event) => event.type)).toEqual(['Odd']);
      });

      it('refuses only the parts whose stream moved, writing the others', async () => {
        const moved = streamOf('batch-moved');
        const taken = streamOf('batch-taken');
        const free = streamOf('batch-free');
        await store.appendToStream(moved, [newEvent(), newEvent()]);
        await store.appendToStream(taken, [newEvent()]);
        const results = await store.appendToStreams([
          { stream: moved, events: [newEvent('Late')], expectedRevision: 0n },
          { stream: taken, events: [newEvent('Late')], expectedRevision: 'no_stream' },
          { stream: free, events: [newEvent('OnTime')], expectedRevision: 'no_stream' },
        ]);
        expect(results).toEqual([
          { stream: moved, outcome: 'conflict', actual: 1n },
          { stream: taken, outcome: 'conflict', actual: 0n },
          expect.objectContaining({ stream: free, outcome: 'appended', nextRevision: 0n }),
        ]);
        expect((await store.readStream(moved)).map((event) => event.type)).not.toContain('Late');
        expect((await store.readStream(taken)).map((event) => event.type)).not.toContain('Late');
        expect((await store.readStream(free)).map((event) => event.type)).toEqual(['OnTime']);
      });

      it('writes nothing twice when a batch is repeated with the same event ids', async () => {
        const stream = streamOf('batch-retry');
        const part = { stream, events: [newEvent('Once'), newEvent('Twice')], expectedRevision: 'no_stream' as const };
        const [first] = await store.appendToStreams([part]);
        const [again] = await store.appendToStreams([part]);
        expect(again).toEqual(first);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('refuses a malformed batch with InvalidEvent and writes nothing', async () => {
        const stream = streamOf('batch-bad');
        const before = await countAll();
        await expect(
          store.appendToStreams([
            { stream, events: [newEvent()], expectedRevision: 'no_stream' },
            { stream, events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toBeInstanceOf(InvalidEvent);
        await expect(
          store.appendToStreams([
            { stream, events: [newEvent()], expectedRevision: 'no_stream' },
            { stream: '', events: [newEvent()], expectedRevision: 'no_stream' },
          ]),
        ).rejects.toBeInstanceOf(InvalidEvent);
        expect(await countAll()).toBe(before);
        expect(await store.appendToStreams([])).toEqual([]);
      });
    });

    describe('command keys (AppendOptions.key), where the store keeps them', () => {
      const keyOf = (fingerprint: string, key = randomUUID()) => ({ subject: 'caller', key, fingerprint });
      const keeps = () => store.keepsCommandKeys === true;

      it('says in the read who holds a key, which the append took with its events, and nothing for a free key', async () => {
        if (!keeps()) return;
        const stream = streamOf('keyed');
        const key = keyOf('fingerprint-a');
        const free = await store.readStreams([stream], { key });
        expect(free.keyHolder).toBeUndefined();
        expect(free.size).toBe(0);
        await store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream', key });
        const held = await store.readStreams([stream], { key });
        expect(held.keyHolder).toBe('fingerprint-a');
        expect(held.get(stream)).toHaveLength(1);
        // Asked about alone, and beside a read after a revision.
        expect((await store.readStreams([], { key })).keyHolder).toBe('fingerprint-a');
        const after = await store.readStreams([stream], { key, after: new Map([[stream, 0n]]) });
        expect([after.keyHolder, after.size]).toEqual(['fingerprint-a', 0]);
        // In revision order past revision 9, with the streams beside it.
        const long = streamOf('keyed-long');
        await store.appendToStream(
          long,
          Array.from({ length: 12 }, () => newEvent()),
        );
        const both = await store.readStreams([long, stream], { key });
        expect(both.get(long)?.map((event) => event.revision)).toEqual(Array.from({ length: 12 }, (_, i) => BigInt(i)));
        expect(both.get(stream)).toHaveLength(1);
        // The same fingerprint again (a twin, a second stream of one request) appends.
        await expect(
          store.appendToStream(streamOf('keyed-second'), [newEvent()], { expectedRevision: 'no_stream', key }),
        ).resolves.toMatchObject({ appended: true });
      });

      it('refuses an append whose key another fingerprint holds, writing nothing', async () => {
        if (!keeps()) return;
        const key = keyOf('fingerprint-a');
        await store.appendToStream(streamOf('keyed'), [newEvent()], { expectedRevision: 'no_stream', key });
        const before = await countAll();
        const other = streamOf('keyed-other');
        for (const expectedRevision of ['no_stream', 'any'] as const)
          await expect(
            store.appendToStream(other, [newEvent()], { expectedRevision, key: { ...key, fingerprint: 'b' } }),
          ).rejects.toBeInstanceOf(CommandKeyTaken);
        await expect(store.readStream(other)).rejects.toBeInstanceOf(StreamNotFound);
        // Nor was the stream claimed: it is still new.
        await expect(
          store.appendToStream(other, [newEvent()], { expectedRevision: 'no_stream' }),
        ).resolves.toMatchObject({ nextRevision: 0n });
        await expect(
          store.appendToStream(other, [newEvent()], { expectedRevision: 0n, key: { ...key, fingerprint: 'b' } }),
        ).rejects.toBeInstanceOf(CommandKeyTaken);
        expect(await countAll()).toBe(before + 1);
      });

      it('gives a key to exactly one of 20 fingerprints appending with it at once, and holds none for a failed append', async () => {
        if (!keeps()) return;
        const key = randomUUID();
        const streams = Array.from({ length: 20 }, (_, index) => streamOf(`keyed-race-${index}`));
        const settled = await Promise.allSettled(
          streams.map((stream, index) =>
            store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream', key: keyOf(`f${index}`, key) }),
          ),
        );
        const won = settled.findIndex((result) => result.status === 'fulfilled');
        const lost = settled.filter((result) => result.status === 'rejected') as PromiseRejectedResult[];
        expect(lost.map((result) => result.reason.constructor)).toEqual(Array(19).fill(CommandKeyTaken));
        expect((await store.readStreams(streams, { key: keyOf('', key) })).keyHolder).toBe(`f${won}`);

        // An append refused for its revision takes no key.
        const stream = streamOf('keyed-stale');
        await store.appendToStream(stream, [newEvent()]);
        const stale = keyOf('stale');
        await expect(
          store.appendToStream(stream, [newEvent()], { expectedRevision: 'no_stream', key: stale }),
        ).rejects.toBeInstanceOf(WrongExpectedVersion);
        expect((await store.readStreams([stream], { key: stale })).keyHolder).toBeUndefined();
      });

      it('keeps a key across a restart', async () => {
        if (!keeps()) return;
        const key = keyOf('kept');
        await store.appendToStream(streamOf('keyed'), [newEvent()], { expectedRevision: 'no_stream', key });
        store = await subject.reopen();
        expect((await store.readStreams([], { key })).keyHolder).toBe('kept');
      });
    });

    describe('id claims (NewEvent.claims)', () => {
      const claiming = (claims: string[], type = 'Claiming'): NewEvent => ({ ...newEvent(type), claims });

      it('refuses an append claiming an id another stream holds, writing nothing, and lets the holder claim it again', async () => {
        const id = `award:${randomUUID()}`;
        const holder = streamOf('claims-holder');
        const other = streamOf('claims-other');
        await store.appendToStream(holder, [claiming([id], 'Awarded')], { expectedRevision: 'no_stream' });
        const before = await countAll();

        const refused = store.appendToStream(other, [newEvent('Before'), claiming([`evidence:${randomUUID()}`, id])]);
        await expect(refused).rejects.toBeInstanceOf(IdClaimedByAnotherStream);
        await expect(refused).rejects.toMatchObject({ id, stream: other, code: 'id-claimed-by-another-stream' });
        await expect(store.readStream(other)).rejects.toBeInstanceOf(StreamNotFound);
        expect(await countAll()).toBe(before);
        // The refused append took none of its claims: another stream may still take the free one.
        await expect(
          store.appendToStream(other, [claiming([`evidence:${randomUUID()}`])], { expectedRevision: 'no_stream' }),
        ).resolves.toMatchObject({ appended: true, nextRevision: 0n });

        const later = claiming([id], 'Suspended');
        await expect(store.appendToStream(holder, [later], { expectedRevision: 0n })).resolves.toMatchObject({
          appended: true,
          nextRevision: 1n,
        });
        await expect(store.appendToStream(holder, [later])).resolves.toMatchObject({ appended: false });
        expect((await store.readStream(holder)).map((event) => event.type)).toEqual(['Awarded', 'Suspended']);
      });

      it('gives an id to exactly one of 20 streams claiming it at once', async () => {
        const id = `award:${randomUUID()}`;
        const streams = Array.from({ length: 20 }, (_, index) => streamOf(`claims-race-${index}`));
        const settled = await Promise.allSettled(
          streams.map((stream) => store.appendToStream(stream, [claiming([id])], { expectedRevision: 'no_stream' })),
        );
        const won = settled.filter((result) => result.status === 'fulfilled');
        const lost = settled.filter((result) => result.status === 'rejected') as PromiseRejectedResult[];
        expect(won).toHaveLength(1);
        expect(lost.map((result) => result.reason.constructor)).toEqual(Array(19).fill(IdClaimedByAnotherStream));
        const read = await store.readStreams(streams);
        expect(read.size).toBe(1);
      });

      it('refuses in a batch only the parts claiming an id held elsewhere or by an earlier part', async () => {
        const held = `award:${randomUUID()}`;
        const shared = `award:${randomUUID()}`;
        const holder = streamOf('claims-batch-holder');
        await store.appendToStream(holder, [claiming([held])]);
        const [late, first, second, free] = ['late', 'first', 'second', 'free'].map((label) =>
          streamOf(`claims-batch-${label}`),
        );
        const results = await store.appendToStreams([
          { stream: late, events: [claiming([held])], expectedRevision: 'no_stream' },
          { stream: first, events: [claiming([shared])], expectedRevision: 'no_stream' },
          { stream: second, events: [newEvent(), claiming([shared])], expectedRevision: 'no_stream' },
          { stream: free, events: [claiming([`award:${randomUUID()}`])], expectedRevision: 'no_stream' },
        ]);
        expect(results).toEqual([
          { stream: late, outcome: 'id-claimed', id: held },
          expect.objectContaining({ stream: first, outcome: 'appended', nextRevision: 0n }),
          { stream: second, outcome: 'id-claimed', id: shared },
          expect.objectContaining({ stream: free, outcome: 'appended', nextRevision: 0n }),
        ]);
        const read = await store.readStreams([late, first, second, free]);
        expect([...read.keys()].sort()).toEqual([first, free].sort());
        const [again] = await store.appendToStreams([
          { stream: holder, events: [claiming([held])], expectedRevision: 0n },
        ]);
        expect(again).toMatchObject({ stream: holder, outcome: 'appended', nextRevision: 1n });
      });

      it('refuses a malformed claim with InvalidEvent', async () => {
        for (const claims of [[''], ['x'.repeat(201)], ['a\u0000b'], [7], 'award:1'])
          await expect(
            store.appendToStream(streamOf('claims-bad'), [{ ...newEvent(), claims } as unknown as NewEvent]),
          ).rejects.toBeInstanceOf(InvalidEvent);
      });
    });

    describe('refuses bad input with InvalidEvent and writes nothing', () => {
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      const cases: Array<[string, string, unknown[]]> = [
        ['an empty stream name', '', [newEvent()]],
        ['an over-long stream name', 's'.repeat(201), [newEvent()]],
        ['a control character in the stream name', 'bad\u0007stream', [newEvent()]],
        ['a newline in the stream name', 'bad\nstream', [newEvent()]],
        ['no events', 'fine-stream', []],
        ['an event without a type', 'fine-stream', [{ id: randomUUID(), data: {} }]],
        ['an event with an empty type', 'fine-stream', [{ id: randomUUID(), type: '', data: {} }]],
        ['an event without an id', 'fine-stream', [{ type: 'T', data: {} }]],
        ['an id that is not a UUID', 'fine-stream', [{ id: 'not-a-uuid', type: 'T', data: {} }]],
        [
          'the same id twice',
          'fine-stream',
          (() => {
            const event = newEvent();
            return [event, event];
          })(),
        ],
        ['data that is not an object', 'fine-stream', [{ id: randomUUID(), type: 'T', data: [1, 2] }]],
        ['a bigint in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { n: 1n } }]],
        ['a function in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { f: () => 1 } }]],
        ['undefined in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { u: undefined } }]],
        ['NaN in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { n: Number.NaN } }]],
        ['a Date in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { d: new Date() } }]],
        ['a circular structure', 'fine-stream', [{ id: randomUUID(), type: 'T', data: circular }]],
        ['a NUL character in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { s: 'a\u0000b' } }]],
        ['an unpaired surrogate in data', 'fine-stream', [{ id: randomUUID(), type: 'T', data: { s: 'a\ud800b' } }]],
        ['metadata that is not an object', 'fine-stream', [{ id: randomUUID(), type: 'T', data: {}, metadata: 'm' }]],
      ];
      it.each(cases)('%s', async (_label, stream, events) => {
        const before = await countAll();
        await expect(store.appendToStream(stream, events as NewEvent[])).rejects.toBeInstanceOf(InvalidEvent);
        expect(await countAll()).toBe(before);
      });

      it('an empty or control-character stream name on read', async () => {
        await expect(store.readStream('')).rejects.toBeInstanceOf(InvalidEvent);
        await expect(store.readStream('x\u0000y')).rejects.toBeInstanceOf(InvalidEvent);
      });
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}

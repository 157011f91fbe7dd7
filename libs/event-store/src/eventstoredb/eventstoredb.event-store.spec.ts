import { randomUUID } from 'node:crypto';
import { IdClaimedByAnotherStream, InvalidEvent, WrongExpectedVersion } from '../event-store.errors';
import { MAX_EVENT_BYTES, type NewEvent } from '../event-store.port';
import { EventStoreDbEventStore, STREAMS_IN_FLIGHT } from './eventstoredb.event-store';
import { CLAIM_STREAM_PREFIX } from './eventstoredb.mapping';
import { FakeEventStoreDbClient, type FakeServerOptions } from './testing/fake-eventstoredb-client';

const event = (type = 'Noted', data: NewEvent['data'] = {}, claims?: string[]): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  ...(claims ? { claims } : {}),
});

function storeOver(options: FakeServerOptions & { maxAppendBytes?: number } = {}) {
  const server = new FakeEventStoreDbClient(options);
  return { server, store: new EventStoreDbEventStore(server.asClient(), { maxAppendBytes: options.maxAppendBytes }) };
}

describe('EventStoreDbEventStore over a fake of the 6.2.1 client', () => {
  it('keeps no command keys: says so, and refuses a keyed read or append with InvalidEvent, writing nothing', async () => {
    const { store } = storeOver();
    const key = { subject: 'caller', key: 'k', fingerprint: 'f' };
    expect(store.keepsCommandKeys).toBe(false);
    await expect(store.readStreams(['keyed-a'], { key })).rejects.toBeInstanceOf(InvalidEvent);
    await expect(store.appendToStream('keyed-a', [event()], { key })).rejects.toBeInstanceOf(InvalidEvent);
    expect(await store.readAll()).toEqual([]);
  });

  describe('appended, decided from positions', () => {
    it('answers a retry the server treats as done with the first result and appended: false', async () => {
      const { server, store } = storeOver();
      const events = [event(), event()];
      const first = await store.appendToStream('s-1', events, { expectedRevision: 'no_stream' });
      const again = await store.appendToStream('s-1', events, { expectedRevision: 'no_stream' });
      const anyway = await store.appendToStream('s-1', events);
      expect(first).toEqual({ nextRevision: 1n, position: 200n, appended: true });
      expect(again).toEqual({ ...first, appended: false });
      expect(anyway).toEqual({ ...first, appended: false });
      const next = [event()];
      const third = await store.appendToStream('s-1', next, { expectedRevision: 1n });
      expect(third).toEqual({ nextRevision: 2n, position: 300n, appended: true });
      expect(await store.appendToStream('s-1', next, { expectedRevision: 1n })).toEqual({ ...third, appended: false });
      expect(server.streams.get('s-1')).toHaveLength(3);
    });

    it('still says appended: false for an exact-revision retry after the server forgot its id cache', async () => {
      const { server, store } = storeOver();
      const events = [event()];
      const first = await store.appendToStream('s-2', events, { expectedRevision: 'no_stream' });
      server.forgetIds();
      expect(await store.appendToStream('s-2', events, { expectedRevision: 'no_stream' })).toEqual({
        ...first,
        appended: false,
      });
      expect(server.streams.get('s-2')).toHaveLength(1);
    });
  });

  describe('a refused append, settled by looking its ids up', () => {
    it('refuses partly repeated ids with InvalidEvent and writes nothing, whatever the expectation', async () => {
      const { server, store } = storeOver();
      const stored = event();
      await store.appendToStream('s-3', [stored, event()], { expectedRevision: 'no_stream' });
      for (const expectedRevision of ['any', 'stream_exists', 0n, 'no_stream'] as const) {
        const append = store.appendToStream('s-3', [stored, event()], { expectedRevision });
        await expect(append).rejects.toBeInstanceOf(InvalidEvent);
        await expect(append).rejects.toThrow(/1 of the 2 event ids .* already in s-3/);
      }
      expect(server.streams.get('s-3')).toHaveLength(2);
    });

    it('answers a conflict with WrongExpectedVersion naming expected and actual', async () => {
      const { store } = storeOver();
      await store.appendToStream('s-4', [event(), event()], { expectedRevision: 'no_stream' });
      const stale = store.appendToStream('s-4', [event()], { expectedRevision: 0n });
      await expect(stale).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(stale).rejects.toMatchObject({ stream: 's-4', expected: 0n, actual: 1n });
      await expect(store.appendToStream('s-5', [event()], { expectedRevision: 'stream_exists' })).rejects.toMatchObject(
        { expected: 'stream_exists', actual: 'no_stream' },
      );
    });

    it('checks success when the URL says ?throwOnAppendFailure=false: a conflict is never reported as appended', async () => {
      const { server, store } = storeOver({ throwOnAppendFailure: false });
      const events = [event()];
      await store.appendToStream('s-6', events, { expectedRevision: 'no_stream' });
      const conflict = store.appendToStream('s-6', [event()], { expectedRevision: 'no_stream' });
      await expect(conflict).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(conflict).rejects.toMatchObject({ expected: 'no_stream', actual: 0n });
      expect(await store.appendToStream('s-6', events, { expectedRevision: 'no_stream' })).toMatchObject({
        appended: false,
      });
      expect(server.streams.get('s-6')).toHaveLength(1);
    });
  });

  describe('append size', () => {
    const big = (type: string) => event(type, { blob: 'x'.repeat(MAX_EVENT_BYTES / 2) });

    it('refuses an append over the server limit before sending it, saying so', async () => {
      const { server, store } = storeOver();
      const append = store.appendToStream('s-7', [big('A'), big('B')]);
      await expect(append).rejects.toBeInstanceOf(InvalidEvent);
      await expect(append).rejects.toThrow(/1048604 bytes .* at most 1048576 bytes in one append/);
      expect(server.appendCalls).toEqual([]);
    });

    it('takes the limit the server is configured with', async () => {
      const { server, store } = storeOver({ maxAppendBytes: 4 * 1024 * 1024 });
      await store.appendToStream('s-8', [big('A'), big('B')]);
      expect(server.streams.get('s-8')).toHaveLength(2);
    });

    it('appends a batch larger than the limit stream by stream, and refuses one too-large part before any is sent', async () => {
      const { server, store } = storeOver();
      const parts = ['b-1', 'b-2', 'b-3'].map((stream) => ({
        stream,
        events: [big('A')],
        expectedRevision: 'no_stream' as const,
      }));
      const results = await store.appendToStreams(parts);
      expect(results.map((result) => result.outcome)).toEqual(['appended', 'appended', 'appended']);
      const tooLarge = store.appendToStreams([
        { stream: 'b-4', events: [event()], expectedRevision: 'no_stream' },
        { stream: 'b-5', events: [big('A'), big('B')], expectedRevision: 'no_stream' },
      ]);
      await expect(tooLarge).rejects.toThrow(/The append to b-5 is/);
      expect(server.streams.has('b-4')).toBe(false);
    });
  });

  describe('batches go concurrently, bounded', () => {
    it(`appends and reads ${STREAMS_IN_FLIGHT} streams at a time, results in order`, async () => {
      const { server, store } = storeOver();
      const streams = Array.from({ length: 40 }, (_, index) => `c-${index}`);
      const results = await store.appendToStreams(
        streams.map((stream) => ({ stream, events: [event(stream)], expectedRevision: 'no_stream' as const })),
      );
      expect(results.map((result) => result.stream)).toEqual(streams);
      expect(server.maxInFlight).toBe(STREAMS_IN_FLIGHT);
      server.maxInFlight = 0;
      const read = await store.readStreams([...streams, 'absent']);
      expect([...read.keys()]).toEqual(streams);
      expect(streams.every((stream) => read.get(stream)![0].type === stream)).toBe(true);
      expect(server.maxInFlight).toBe(STREAMS_IN_FLIGHT);
    });

    it('tells a conflict in its part of a batch and writes the others', async () => {
      const { server, store } = storeOver();
      await store.appendToStream('m-1', [event()], { expectedRevision: 'no_stream' });
      const results = await store.appendToStreams([
        { stream: 'm-1', events: [event()], expectedRevision: 'no_stream' },
        { stream: 'm-2', events: [event()], expectedRevision: 'no_stream' },
      ]);
      expect(results).toEqual([
        { stream: 'm-1', outcome: 'conflict', actual: 0n },
        expect.objectContaining({ stream: 'm-2', outcome: 'appended' }),
      ]);
      expect(server.streams.get('m-1')).toHaveLength(1);
    });
  });

  describe('claims', () => {
    it('refuses an id another stream holds, and lets the holder name it again', async () => {
      const { server, store } = storeOver();
      await store.appendToStream('record-a', [event('Awarded', {}, ['award-1'])], { expectedRevision: 'no_stream' });
      const taken = store.appendToStream('record-b', [event('Awarded', {}, ['award-1'])], {
        expectedRevision: 'no_stream',
      });
      await expect(taken).rejects.toBeInstanceOf(IdClaimedByAnotherStream);
      await expect(taken).rejects.toMatchObject({ id: 'award-1', stream: 'record-b' });
      expect(server.streams.has('record-b')).toBe(false);
      await store.appendToStream('record-a', [event('Revoked', {}, ['award-1'])], { expectedRevision: 0n });
      expect(server.streams.get('record-a')).toHaveLength(2);
      expect(server.streams.get(`${CLAIM_STREAM_PREFIX}award-1`)).toHaveLength(1);
    });

    it('keeps a claim left by a failed append with its stream, whose retry succeeds', async () => {
      const { server, store } = storeOver();
      await store.appendToStream('record-c', [event()], { expectedRevision: 'no_stream' });
      const claiming = event('Awarded', {}, ['award-2']);
      await expect(store.appendToStream('record-c', [claiming], { expectedRevision: 5n })).rejects.toBeInstanceOf(
        WrongExpectedVersion,
      );
      await expect(
        store.appendToStream('record-d', [event('Awarded', {}, ['award-2'])], { expectedRevision: 'no_stream' }),
      ).rejects.toBeInstanceOf(IdClaimedByAnotherStream);
      expect(server.streams.has('record-d')).toBe(false);
      expect(await store.appendToStream('record-c', [claiming], { expectedRevision: 0n })).toMatchObject({
        appended: true,
        nextRevision: 1n,
      });
    });

    it('refuses a batch part whose claim another stream holds as id-claimed, writing nothing of it, and a malformed claim', async () => {
      const { server, store } = storeOver();
      await store.appendToStream('record-e', [event('Awarded', {}, ['award-3'])], { expectedRevision: 'no_stream' });
      expect(
        await store.appendToStreams([
          { stream: 'record-f', events: [event('A', {}, ['award-3'])], expectedRevision: 'no_stream' },
        ]),
      ).toEqual([{ stream: 'record-f', outcome: 'id-claimed', id: 'award-3' }]);
      expect(server.streams.has('record-f')).toBe(false);
      await expect(store.appendToStream('record-g', [event('A', {}, [''])])).rejects.toBeInstanceOf(InvalidEvent);
    });

    it('never shows claim streams to readers of $all', async () => {
      const { store } = storeOver();
      await store.appendToStream('record-h', [event('Awarded', {}, ['award-4'])], { expectedRevision: 'no_stream' });
      const [first] = await store.readAll();
      await store.appendToStream('record-i', [event('Awarded', {}, ['award-5'])], { expectedRevision: 'no_stream' });
      expect((await store.readAll()).map((read) => read.stream)).toEqual(['record-h', 'record-i']);
      expect((await store.readAll({ from: first.position })).map((read) => read.stream)).toEqual(['record-i']);
    });
  });
});

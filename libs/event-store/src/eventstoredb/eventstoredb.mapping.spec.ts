import { matchesFilter } from '../catch-up-subscription';
import {
  DeadlineExceededError,
  EVENT_TYPE,
  MaxAppendSizeExceededError,
  STREAM_NAME,
  StreamDeletedError,
  StreamNotFoundError,
  UnavailableError,
  UnknownError,
  WrongExpectedVersionError,
  type RegexFilter,
  type PrefixesFilter,
} from '@eventstore/db-client';
import { InvalidEvent, StoreUnavailable, StreamNotFound, WrongExpectedVersion } from '../event-store.errors';
import type { RecordedEvent } from '../event-store.port';
import {
  checkMaxCount,
  comparePositions,
  appendBytes,
  assertAppendFits,
  splitConnectionString,
  earlierAppendResult,
  exactTypesRegex,
  fromClientCurrentRevision,
  fromClientExpectedRevision,
  isAfter,
  isConnectionFailure,
  isSystemEvent,
  knownPosition,
  toClientExpectedRevision,
  toEventData,
  toGlobalPosition,
  toCursor,
  toRecordedEvent,
  toServerFilter,
  toStoreError,
  visibleAllEvent,
  type ClientRecordedEvent,
} from './eventstoredb.mapping';

const created = new Date('2026-03-01T10:00:00.000Z');

function clientEvent(overrides: Partial<ClientRecordedEvent> = {}): ClientRecordedEvent {
  return {
    streamId: 'record-l1-a1',
    id: '5f0c3a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
    revision: 3n,
    type: 'EvidenceSubmitted',
    created,
    data: { kind: 'accomplishment' },
    metadata: { actor: 'assessor-1' },
    position: { commit: 1200n, prepare: 1200n },
    ...overrides,
  };
}

function recorded(id: string, revision: bigint, position: bigint): RecordedEvent {
  return { id, type: 'T', data: {}, metadata: {}, stream: 's', revision, position, recordedAt: created };
}

describe('EventStoreDB mapping', () => {
  describe('global positions', () => {
    it('is the commit position of an event', () => {
      expect(toGlobalPosition({ commit: 4242n, prepare: 4242n })).toBe(4242n);
      // a legacy explicit transaction: the commit record orders the event in $all
      expect(toGlobalPosition({ commit: 5000n, prepare: 4100n })).toBe(5000n);
    });

    it('refuses an event without a position (servers before 22.6)', () => {
      expect(() => toGlobalPosition(undefined)).toThrow(/22\.6/);
      expect(() => toGlobalPosition({ commit: 2n ** 64n - 1n, prepare: 2n ** 64n - 1n })).toThrow(/22\.6/);
    });

    it('treats the unsigned -1 the server sends for "no position" as unknown', () => {
      expect(knownPosition({ commit: 18446744073709551615n, prepare: 18446744073709551615n })).toBeUndefined();
      expect(knownPosition(undefined)).toBeUndefined();
      expect(knownPosition({ commit: 0n, prepare: 0n })).toBe(0n);
      expect(knownPosition({ commit: 2n ** 63n - 1n, prepare: 0n })).toBe(2n ** 63n - 1n);
    });

    it('resumes from {commit: p, prepare: p}, or from the start', () => {
      expect(toCursor(undefined)).toBeUndefined();
      expect(toCursor(-1n)).toBeUndefined();
      expect(toCursor(0n)).toEqual({ commit: 0n, prepare: 0n });
      expect(toCursor(1056n)).toEqual({ commit: 1056n, prepare: 1056n });
    });

    it('orders positions by commit, then prepare', () => {
      expect(comparePositions({ commit: 10n, prepare: 10n }, { commit: 20n, prepare: 5n })).toBe(-1);
      expect(comparePositions({ commit: 20n, prepare: 7n }, { commit: 20n, prepare: 5n })).toBe(1);
      expect(comparePositions({ commit: 20n, prepare: 5n }, { commit: 20n, prepare: 5n })).toBe(0);
    });

    it('treats the cursor as exclusive', () => {
      const cursor = { commit: 100n, prepare: 100n };
      expect(isAfter({ commit: 100n, prepare: 100n }, cursor)).toBe(false);
      expect(isAfter({ commit: 99n, prepare: 99n }, cursor)).toBe(false);
      expect(isAfter({ commit: 101n, prepare: 101n }, cursor)).toBe(true);
      // an explicit transaction committed at the cursor was handled with it
      expect(isAfter({ commit: 100n, prepare: 40n }, cursor)).toBe(false);
      expect(isAfter({ commit: 1n, prepare: 1n }, undefined)).toBe(true);
      expect(isAfter(undefined, cursor)).toBe(false);
    });
  });

  describe('expected revisions', () => {
    it('maps every expectation to the client constant', () => {
      expect(toClientExpectedRevision('no_stream')).toBe('no_stream');
      expect(toClientExpectedRevision('stream_exists')).toBe('stream_exists');
      expect(toClientExpectedRevision('any')).toBe('any');
      expect(toClientExpectedRevision(0n)).toBe(0n);
      expect(toClientExpectedRevision(17n)).toBe(17n);
    });

    it('refuses negative or non-bigint revisions', () => {
      expect(() => toClientExpectedRevision(-1n)).toThrow(InvalidEvent);
      expect(() => toClientExpectedRevision(3 as unknown as bigint)).toThrow(InvalidEvent);
    });

    it("reads the server's legacy numeric expectations back", () => {
      expect(fromClientExpectedRevision(-1n)).toBe('no_stream');
      expect(fromClientExpectedRevision(-2n)).toBe('any');
      expect(fromClientExpectedRevision(-4n)).toBe('stream_exists');
      expect(fromClientExpectedRevision(5n)).toBe(5n);
      expect(fromClientExpectedRevision('stream_exists')).toBe('stream_exists');
      expect(fromClientCurrentRevision(-1n)).toBe('no_stream');
      expect(fromClientCurrentRevision('no_stream')).toBe('no_stream');
      expect(fromClientCurrentRevision(8n)).toBe(8n);
    });
  });

  describe('appending', () => {
    it('writes a checked event as JSON with its own id', () => {
      const data = toEventData({
        id: '5f0c3a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
        type: 'IssuerRegistered',
        data: { name: 'Uni' },
        metadata: { commandId: 'c1' },
        dataJson: '{"name":"Uni"}',
        metadataJson: '{"commandId":"c1"}',
      });
      expect(data).toEqual({
        id: '5f0c3a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
        contentType: 'application/json',
        type: 'IssuerRegistered',
        data: { name: 'Uni' },
        metadata: { commandId: 'c1' },
      });
    });

    it('recognises a retried append by its ids, and answers as the first attempt did', () => {
      const stored = [
        recorded('cccccccc-0000-4000-8000-000000000000', 4n, 850n),
        recorded('AAAAAAAA-0000-4000-8000-000000000001', 5n, 900n),
        recorded('aaaaaaaa-0000-4000-8000-000000000002', 6n, 950n),
      ];
      expect(
        earlierAppendResult(
          's',
          ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'],
          stored,
        ),
      ).toEqual({ nextRevision: 6n, position: 950n, appended: false });
      expect(earlierAppendResult('s', ['aaaaaaaa-0000-4000-8000-000000000001'], stored)).toEqual({
        nextRevision: 5n,
        position: 900n,
        appended: false,
      });
    });

    it('tells a conflict (none of the ids stored) from partly repeated ids (InvalidEvent)', () => {
      const stored = [
        recorded('aaaaaaaa-0000-4000-8000-000000000001', 5n, 900n),
        recorded('bbbbbbbb-0000-4000-8000-000000000009', 6n, 950n),
      ];
      const ids = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
      expect(earlierAppendResult('s', ['dddddddd-0000-4000-8000-000000000001'], stored)).toBeUndefined();
      expect(() => earlierAppendResult('s', ids, stored)).toThrow(InvalidEvent);
      expect(() => earlierAppendResult('s', ids, stored)).toThrow(/1 of the 2 event ids .* already in s/);
      expect(() => earlierAppendResult('s', [...ids].reverse(), stored)).toThrow(InvalidEvent);
      const bothOutOfOrder = ['bbbbbbbb-0000-4000-8000-000000000009', 'aaaaaaaa-0000-4000-8000-000000000001'];
      expect(() => earlierAppendResult('s', bothOutOfOrder, stored)).toThrow(InvalidEvent);
    });

    it('takes our maxAppendSize out of the connection string, leaving the rest for the client', () => {
      expect(splitConnectionString('esdb://a:2113,b:2113?tls=false&maxAppendSize=2097152&keepAliveTimeout=5')).toEqual({
        clientString: 'esdb://a:2113,b:2113?tls=false&keepAliveTimeout=5',
        maxAppendBytes: 2097152,
      });
      expect(splitConnectionString('esdb://localhost:2113?MaxAppendSize=10')).toEqual({
        clientString: 'esdb://localhost:2113',
        maxAppendBytes: 10,
      });
      expect(splitConnectionString('esdb://localhost:2113?tls=false')).toEqual({
        clientString: 'esdb://localhost:2113?tls=false',
      });
      expect(() => splitConnectionString('esdb://localhost:2113?maxAppendSize=lots')).toThrow(/whole number of bytes/);
    });

    it('measures an append as the server does: data, metadata and type bytes of all its events', () => {
      const event = (type: string, dataJson: string) => ({
        id: '5f0c3a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
        type,
        data: {},
        metadata: {},
        dataJson,
        metadataJson: '{}',
      });
      const events = [event('Été', '{"a":"ü"}'), event('T', '{}')];
      expect(appendBytes(events)).toBe(5 + 10 + 2 + (1 + 2 + 2));
      expect(() => assertAppendFits('s', events, 22)).not.toThrow();
      expect(() => assertAppendFits('s', events, 21)).toThrow(InvalidEvent);
      expect(() => assertAppendFits('s', events, 21)).toThrow(/22 bytes .* at most 21 bytes/);
    });
  });

  describe('reading', () => {
    it('maps a recorded event', () => {
      expect(toRecordedEvent(clientEvent())).toEqual({
        id: '5f0c3a9e-1d2b-4c3d-8e4f-5a6b7c8d9e0f',
        type: 'EvidenceSubmitted',
        data: { kind: 'accomplishment' },
        metadata: { actor: 'assessor-1' },
        stream: 'record-l1-a1',
        revision: 3n,
        position: 1200n,
        recordedAt: created,
      });
    });

    it('reads absent metadata and non-JSON payloads as empty objects', () => {
      const event = toRecordedEvent(clientEvent({ data: new Uint8Array([1, 2]), metadata: undefined }));
      expect(event.data).toEqual({});
      expect(event.metadata).toEqual({});
      expect(toRecordedEvent(clientEvent({ data: [1, 2] })).data).toEqual({});
    });

    it('recognises system streams and system event types', () => {
      expect(isSystemEvent({ streamId: '$stats-127.0.0.1:2113', type: 'StatsCollected' })).toBe(true);
      expect(isSystemEvent({ streamId: '$$record-l1-a1', type: '$metadata' })).toBe(true);
      expect(isSystemEvent({ streamId: 'record-l1-a1', type: '$>' })).toBe(true);
      expect(isSystemEvent({ streamId: 'record-l1-a1', type: 'AchievementAwarded' })).toBe(false);
    });

    it('matches stream prefixes and exact event types', () => {
      const event = { streamId: 'record-l1-a1', type: 'AchievementAwarded' };
      expect(matchesFilter(event.streamId, event.type, undefined)).toBe(true);
      expect(matchesFilter(event.streamId, event.type, { streamPrefix: 'record-' })).toBe(true);
      expect(matchesFilter(event.streamId, event.type, { streamPrefix: ['issuer-', 'pathway-'] })).toBe(false);
      expect(matchesFilter(event.streamId, event.type, { eventTypes: ['AchievementAwarded'] })).toBe(true);
      expect(matchesFilter(event.streamId, event.type, { eventTypes: ['Achievement'] })).toBe(false);
    });

    it('shows a $all reader only user events strictly after its cursor', () => {
      const cursor = { commit: 1200n, prepare: 1200n };
      const later = clientEvent({ position: { commit: 1300n, prepare: 1300n } });
      expect(visibleAllEvent({ event: later }, cursor, undefined)?.position).toBe(1300n);
      expect(visibleAllEvent({ event: clientEvent() }, cursor, undefined)).toBeUndefined();
      expect(visibleAllEvent({ event: clientEvent() }, undefined, undefined)?.position).toBe(1200n);
      expect(visibleAllEvent({ event: clientEvent({ ...later, type: '$>' }) }, cursor, undefined)).toBeUndefined();
      expect(
        visibleAllEvent({ event: clientEvent({ ...later, streamId: '$settings' }) }, cursor, undefined),
      ).toBeUndefined();
      expect(visibleAllEvent({ event: later }, cursor, { streamPrefix: 'issuer-' })).toBeUndefined();
      expect(visibleAllEvent({}, cursor, undefined)).toBeUndefined();
    });

    it('accepts no limit or a whole number >= 0 as maxCount', () => {
      expect(checkMaxCount(undefined)).toBeUndefined();
      expect(checkMaxCount(0)).toBe(0);
      expect(checkMaxCount(25)).toBe(25);
      expect(() => checkMaxCount(-1)).toThrow(InvalidEvent);
      expect(() => checkMaxCount(1.5)).toThrow(InvalidEvent);
    });
  });

  describe('server-side filters', () => {
    it('drops system event types when we have no filter', () => {
      const filter = toServerFilter(undefined) as RegexFilter;
      expect(filter.filterOn).toBe(EVENT_TYPE);
      expect(new RegExp(filter.regex).test('$metadata')).toBe(false);
      expect(new RegExp(filter.regex).test('IssuerRegistered')).toBe(true);
    });

    it('filters stream names by prefix', () => {
      expect(toServerFilter({ streamPrefix: 'record-' })).toMatchObject({
        filterOn: STREAM_NAME,
        prefixes: ['record-'],
      });
      expect(toServerFilter({ streamPrefix: ['issuer-', 'pathway-'] })).toMatchObject({
        filterOn: STREAM_NAME,
        prefixes: ['issuer-', 'pathway-'],
      });
    });

    it('filters exact event types with an anchored regex', () => {
      const filter = toServerFilter({ eventTypes: ['AwardRevoked', 'AwardSuspended'] }) as RegexFilter &
        Partial<PrefixesFilter>;
      expect(filter.filterOn).toBe(EVENT_TYPE);
      expect(filter.prefixes).toBeUndefined();
      const regex = new RegExp(filter.regex);
      expect(regex.test('AwardRevoked')).toBe(true);
      expect(regex.test('AwardSuspended')).toBe(true);
      expect(regex.test('AwardRevokedV2')).toBe(false);
      expect(regex.test('OldAwardRevoked')).toBe(false);
    });

    it('escapes regex characters in event types', () => {
      const regex = new RegExp(exactTypesRegex(['v1.Award(+)', 'a|b']));
      expect(regex.test('v1.Award(+)')).toBe(true);
      expect(regex.test('v1xAward(+)')).toBe(false);
      expect(regex.test('a|b')).toBe(true);
      expect(regex.test('a')).toBe(false);
    });
  });

  describe('errors', () => {
    it('maps a concurrency conflict with its expected and actual revisions', () => {
      const error = toStoreError(
        new WrongExpectedVersionError(undefined, { streamName: 'issuer-uni', expected: 2n, current: 4n }),
        'issuer-uni',
      );
      expect(error).toBeInstanceOf(WrongExpectedVersion);
      expect(error).toMatchObject({ stream: 'issuer-uni', expected: 2n, actual: 4n, code: 'wrong-expected-version' });
    });

    it('maps a conflict on a stream that does not exist', () => {
      const error = toStoreError(
        new WrongExpectedVersionError(undefined, {
          streamName: 'issuer-x',
          expected: 'stream_exists',
          current: 'no_stream',
        }),
      );
      expect(error).toMatchObject({ stream: 'issuer-x', expected: 'stream_exists', actual: 'no_stream' });
      const legacy = toStoreError(
        new WrongExpectedVersionError(undefined, { streamName: 'issuer-y', expected: -1n, current: 0n }),
      );
      expect(legacy).toMatchObject({ expected: 'no_stream', actual: 0n });
    });

    it('maps missing and deleted streams to StreamNotFound', () => {
      expect(toStoreError(new StreamNotFoundError(undefined, 'pathway-p'), 'pathway-p')).toEqual(
        new StreamNotFound('pathway-p'),
      );
      expect(toStoreError(new StreamNotFoundError(undefined, 'pathway-q'))).toMatchObject({
        stream: 'pathway-q',
        code: 'stream-not-found',
      });
      expect(toStoreError(StreamDeletedError.fromStreamName('pathway-r'), 'pathway-r')).toBeInstanceOf(StreamNotFound);
    });

    it('maps an oversized append to InvalidEvent', () => {
      expect(toStoreError(MaxAppendSizeExceededError.fromMaxAppendSize(1024))).toBeInstanceOf(InvalidEvent);
    });

    it('maps connection failures to StoreUnavailable, keeping the cause', () => {
      const unavailable = new UnavailableError(undefined, 'No connection established');
      const mapped = toStoreError(unavailable);
      expect(mapped).toBeInstanceOf(StoreUnavailable);
      expect((mapped as StoreUnavailable).cause).toBe(unavailable);
      expect(toStoreError(new DeadlineExceededError())).toBeInstanceOf(StoreUnavailable);
      expect(
        toStoreError(Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 })),
      ).toBeInstanceOf(StoreUnavailable);
      expect(
        toStoreError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:2113'), { code: 'ECONNREFUSED' })),
      ).toBeInstanceOf(StoreUnavailable);
      expect(toStoreError(new Error('Failed to discover after 10 attempts.'))).toBeInstanceOf(StoreUnavailable);
    });

    it('leaves our own errors and unrecognised ones as they are', () => {
      const ours = new InvalidEvent('bad');
      expect(toStoreError(ours)).toBe(ours);
      const unknown = new UnknownError(undefined, 'Could not recognize something');
      expect(toStoreError(unknown)).toBe(unknown);
      expect(isConnectionFailure(new TypeError('x is undefined'))).toBe(false);
      expect(isConnectionFailure('a string')).toBe(false);
    });
  });
});

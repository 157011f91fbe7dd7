/**
 * Pure translations between our EventStore port and @eventstore/db-client (EventStoreDB / KurrentDB over gRPC).
 *
 * ── Global position: why one bigint is the commit position ────────────────────────────────────────────────────────
 * EventStoreDB places an event in $all by a pair {commit, prepare} of transaction-log byte offsets, ordered by commit
 * and then prepare. Our port wants one bigint that only grows, with `from` exclusive. We map an event to its commit
 * position and resume from {commit: p, prepare: p}, dropping anything at or below p. The evidence:
 *
 * 1. Every gRPC append is an implicit transaction whose events are "committed prepares": $all gives each of them
 *    commit = prepare = that event's own log position, so every event of a multi-event append has its own, growing
 *    commit position. KurrentDB AllReader, `records.Add(new CommitEventRecord(eventRecord, prepare.LogPosition))`:
 *    https://github.com/kurrent-io/KurrentDB/blob/06c827f4fb8236b456892786444696e8a1c825cf/src/KurrentDB.Core/Services/Storage/ReaderIndex/AllReader.cs
 * 2. An append answers with the position of its last event, as both commit and prepare: the chaser acknowledges the
 *    prepare flagged TransactionEnd with its own LogPosition, and WriteEvents replies `CommitPosition, CommitPosition`.
 *    https://github.com/kurrent-io/KurrentDB/blob/24d4a54b857e63b620d7538ceec3bba934656b48/src/KurrentDB.Core/Services/Storage/StorageChaser.cs
 *    https://github.com/kurrent-io/KurrentDB/blob/7dab9e05a24699b914a7d7d1ecb4f8883f3c8689/src/KurrentDB.Core/Services/RequestManager/Managers/WriteEvents.cs
 *    and "AppendToStream returns the last event's commit position": https://github.com/kurrent-io/EventStore-Client-Go/issues/88
 * 3. readAll({fromPosition}) is inclusive (AllReader keeps events with `new TFPos(...) >= pos`; "for forward pass
 *    position is inclusive"), while subscribeToAll({fromPosition}) is exclusive ("The positions provided to the
 *    subscriptions are exclusive":
 *    https://github.com/kurrent-io/KurrentDB-Client-NodeJS/blob/1f1cb29756e7bac7830a214a0ebd5ba23159586d/docs/api/subscriptions.md ;
 *    "the StartFrom of a subscription is exclusive": https://github.com/kurrent-io/KurrentDB/issues/3230 ;
 *    https://github.com/pyeventsourcing/kurrentdbclient/issues/3). So both paths drop events at or below `from`.
 * 4. Only explicit transactions of the legacy TCP client give several events one shared commit position, each with a
 *    lower prepare position; storing just the commit position is sound as long as there are none
 *    (https://github.com/kurrent-io/KurrentDB/pull/4975). The prepare position is no fallback there: an explicit
 *    transaction's prepares can precede, in the log, events that $all orders before it, so prepare positions do not
 *    grow in $all order. This adapter writes only through gRPC; reads page by the exact {commit, prepare} pair.
 * The commit position is also what the docs say to checkpoint, and it fits a PostgreSQL bigint checkpoint column.
 */
import { createHash } from 'node:crypto';
import { matchesFilter } from '../catch-up-subscription';
import {
  ANY,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  MaxAppendSizeExceededError,
  NO_STREAM,
  STREAM_EXISTS,
  StreamDeletedError,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
  type Filter,
  type Position,
} from '@eventstore/db-client';
import { assertValidStreamName, type CheckedEvent } from '../append-validation';
import {
  EventStoreError,
  IdClaimedByAnotherStream,
  InvalidEvent,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';
import type {
  AppendResult,
  EventFilter,
  ExpectedRevision,
  GlobalPosition,
  JsonObject,
  NewEvent,
  RecordedEvent,
  StreamRevision,
} from '../event-store.port';

/** The fields we use of the client's recorded event (from a stream read, a $all read or a subscription). */
export interface ClientRecordedEvent {
  readonly streamId: string;
  readonly id: string;
  readonly revision: bigint;
  readonly type: string;
  readonly created: Date;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly position?: Position;
}

/** The client's resolved event: `event` is absent only for a link whose target is gone. */
export interface ClientResolvedEvent {
  readonly event?: ClientRecordedEvent;
}

// ── Positions ────────────────────────────────────────────────────────────────────────────────────────────────────

/** The largest real log position; the server sends "no position" (-1) as an unsigned 2^64 - 1. */
const MAX_LOG_POSITION = 2n ** 63n - 1n;

/** Our position of an event or an append, its commit position (see the top of this file), if the server gave one. */
export function knownPosition(position: Position | undefined): GlobalPosition | undefined {
  return position && position.commit >= 0n && position.commit <= MAX_LOG_POSITION ? position.commit : undefined;
}

export function toGlobalPosition(position: Position | undefined): GlobalPosition {
  const known = knownPosition(position);
  if (known === undefined)
    throw new Error('EventStoreDB reported no $all position; EventStoreDB 22.6 or later is required');
  return known;
}

/**
 * Our exclusive `from` as the $all position {commit: from, prepare: from}: a readAll starting there includes the event
 * at `from` and a subscription excludes it, so readers drop what is not after it. None means the start of $all.
 */
export function toCursor(from: GlobalPosition | undefined): Position | undefined {
  return from === undefined || from < 0n ? undefined : { commit: from, prepare: from };
}

/** $all order: by commit position, then prepare position. */
export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** True when `position` comes strictly after `cursor` in $all (no cursor: everything does). */
export function isAfter(position: Position | undefined, cursor: Position | undefined): boolean {
  if (!cursor) return true;
  return position !== undefined && comparePositions(position, cursor) > 0;
}

// ── Appending ────────────────────────────────────────────────────────────────────────────────────────────────────

export function toClientExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default:
      if (typeof expected !== 'bigint' || expected < 0n)
        throw new InvalidEvent(`An expected revision must be 'no_stream', 'stream_exists', 'any' or a bigint >= 0`);
      return expected;
  }
}

/** The server's legacy numeric codes (-1 no stream, -2 any, -4 stream exists) arrive through gRPC metadata. */
export function fromClientExpectedRevision(expected: AppendExpectedRevision): ExpectedRevision {
  if (typeof expected !== 'bigint' || expected >= 0n) return expected;
  if (expected === -1n) return 'no_stream';
  if (expected === -4n) return 'stream_exists';
  return 'any';
}

export function fromClientCurrentRevision(current: bigint | 'no_stream'): StreamRevision | 'no_stream' {
  return current === 'no_stream' || current < 0n ? 'no_stream' : current;
}

/** Our checked event as a JSON event; its id, already validated and lower-cased, is what makes retries idempotent. */
export function toEventData(event: CheckedEvent): EventData {
  return jsonEvent({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });
}

/**
 * What a refused append was, told from the stream's events: a retry of an earlier append when the stream holds every
 * one of its ids in order (its result, `appended: false`), a conflict when it holds none (undefined), and bad input
 * (InvalidEvent) when it holds some: an append repeats an earlier one whole or not at all, as on PostgreSQL.
 */
export function earlierAppendResult(
  stream: string,
  ids: readonly string[],
  stored: readonly RecordedEvent[],
): AppendResult | undefined {
  const wanted = new Set(ids);
  const found = stored.filter((event) => wanted.has(event.id.toLowerCase()));
  if (found.length === 0) return undefined;
  const sameIds = found.length === ids.length && ids.every((id, index) => found[index].id.toLowerCase() === id);
  if (!sameIds)
    throw new InvalidEvent(
      `${found.length} of the ${ids.length} event ids of this append are already in ${stream} (${found[0].id} first), ` +
        'the others not: a retry must repeat an earlier append whole',
    );
  const last = found[found.length - 1];
  return { nextRevision: last.revision, position: last.position, appended: false };
}

/** The server's default MaxAppendSize: the most bytes one append may carry (data, metadata and type of its events). */
export const DEFAULT_MAX_APPEND_BYTES = 1024 * 1024;

/** An append's size as the server counts it against MaxAppendSize: each event's data, metadata and type, in UTF-8. */
export function appendBytes(events: readonly CheckedEvent[]): number {
  return events.reduce(
    (total, event) =>
      total + Buffer.byteLength(event.dataJson) + Buffer.byteLength(event.metadataJson) + Buffer.byteLength(event.type),
    0,
  );
}

/**
 * Refuses, before anything is sent, an append the server would refuse for its size. An append to one stream is atomic,
 * so it cannot be split to fit.
 */
export function assertAppendFits(stream: string, events: readonly CheckedEvent[], maxAppendBytes: number): void {
  const bytes = appendBytes(events);
  if (bytes > maxAppendBytes)
    throw new InvalidEvent(
      `The append to ${stream} is ${bytes} bytes (data, metadata and type of its ${events.length} events); ` +
        `EventStoreDB accepts at most ${maxAppendBytes} bytes in one append, which cannot be split: nothing was written`,
    );
}

/**
 * Our own `maxAppendSize` connection-string option (the server's MaxAppendSize, when it is not the default), taken out
 * of the string before the client sees it: the client would warn about an unknown key and ignore it.
 */
export function splitConnectionString(connectionString: string): { clientString: string; maxAppendBytes?: number } {
  const [base, query] = connectionString.split('?', 2);
  if (query === undefined) return { clientString: connectionString };
  const params = new URLSearchParams(query);
  const key = [...params.keys()].find((name) => name.toLowerCase() === 'maxappendsize');
  if (key === undefined) return { clientString: connectionString };
  const value = params.get(key)!;
  const maxAppendBytes = Number(value);
  if (!Number.isSafeInteger(maxAppendBytes) || maxAppendBytes < 1)
    throw new InvalidEvent(`maxAppendSize in the EventStoreDB URL must be a whole number of bytes (got "${value}")`);
  params.delete(key);
  const rest = params.toString();
  return { clientString: rest ? `${base}?${rest}` : base, maxAppendBytes };
}

// ── Claims (NewEvent.claims) ─────────────────────────────────────────────────────────────────────────────────────

/**
 * Each claimed id has a stream of its own whose first event names the stream holding it. These streams are the
 * adapter's: readers of $all never see them.
 */
export const CLAIM_STREAM_PREFIX = 'tessera-claim-';
export const CLAIM_EVENT_TYPE = 'IdClaimed';

/** The distinct ids an append claims, checked: each must make a valid stream name once prefixed. */
export function claimsOf(stream: string, events: readonly NewEvent[]): string[] {
  const claims = new Set<string>();
  for (const event of events) {
    if (event.claims === undefined) continue;
    if (!Array.isArray(event.claims)) throw new InvalidEvent(`An event's claims on ${stream} must be a list of ids`);
    for (const id of event.claims) {
      if (typeof id !== 'string' || id.length === 0)
        throw new InvalidEvent(`A claimed id on ${stream} must be a non-empty string`);
      assertValidStreamName(claimStream(id));
      claims.add(id);
    }
  }
  return [...claims];
}

export const claimStream = (id: string): string => `${CLAIM_STREAM_PREFIX}${id}`;

/** The id of the event that claims `id` for `stream`: always the same, so the holder's retry is idempotent. */
export function claimEventId(id: string, stream: string): string {
  const hex = createHash('sha256').update(`${id}\u001f${stream}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function claimEvent(id: string, stream: string): EventData {
  return jsonEvent({ id: claimEventId(id, stream), type: CLAIM_EVENT_TYPE, data: { id, stream } });
}

/** Fine when the claim stream's first event names `stream`; IdClaimedByAnotherStream otherwise. */
export function assertClaimHeldBy(id: string, stream: string, first: RecordedEvent | undefined): void {
  if (first?.data.stream !== stream) throw new IdClaimedByAnotherStream(id, stream);
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Undefined means "no limit"; anything else must be a whole number >= 0. */
export function checkMaxCount(maxCount: number | undefined): number | undefined {
  if (maxCount === undefined) return undefined;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new InvalidEvent('maxCount must be a whole number >= 0');
  return maxCount;
}

/**
 * System streams ($-prefixed, including metadata streams $$…), system event types ($-prefixed, including links $>),
 * and the adapter's own claim streams: none of them is an event of the ledger.
 */
export function isSystemEvent(event: { readonly streamId: string; readonly type: string }): boolean {
  return event.streamId.startsWith('$') || event.type.startsWith('$') || event.streamId.startsWith(CLAIM_STREAM_PREFIX);
}

/** The recorded event a reader of $all may see after `cursor`, or undefined for system events, filtered-out ones and duplicates at the cursor. */
export function visibleAllEvent(
  resolved: ClientResolvedEvent,
  cursor: Position | undefined,
  filter: EventFilter | undefined,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (
    !event ||
    isSystemEvent(event) ||
    !matchesFilter(event.streamId, event.type, filter) ||
    !isAfter(event.position, cursor)
  )
    return undefined;
  return toRecordedEvent(event);
}

export function toRecordedEvent(event: ClientRecordedEvent): RecordedEvent {
  return {
    id: event.id,
    type: event.type,
    data: asJsonObject(event.data),
    metadata: asJsonObject(event.metadata),
    stream: event.streamId,
    revision: event.revision,
    position: toGlobalPosition(event.position),
    recordedAt: event.created,
  };
}

/** We only ever write JSON objects; anything else (binary or foreign events) reads as an empty object. */
function asJsonObject(value: unknown): JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)
    ? (value as JsonObject)
    : {};
}

/**
 * The server-side filter for a subscription. Without a filter of ours it still drops system event types; exact event
 * types become an anchored regex (prefixes would also match longer names). Matching is re-checked on our side.
 */
export function toServerFilter(filter: EventFilter | undefined): Filter {
  if (!filter) return excludeSystemEvents();
  if ('streamPrefix' in filter) return streamNameFilter({ prefixes: [filter.streamPrefix].flat() });
  return eventTypeFilter({ regex: exactTypesRegex(filter.eventTypes) });
}

/** A regex (valid in .NET and JavaScript) matching exactly one of these names. */
export function exactTypesRegex(types: readonly string[]): string {
  return `^(?:${types.map(escapeRegex).join('|')})$`;
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

// ── Errors ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** gRPC status codes that mean the server could not be reached or did not answer in time. */
const UNREACHABLE_GRPC_CODES = new Set([
  1, // CANCELLED by the server (shutdown, leader change)
  4, // DEADLINE_EXCEEDED
  10, // ABORTED (the client's TimeoutError)
  14, // UNAVAILABLE
]);
const UNREACHABLE_CLIENT_ERROR_TYPES = new Set([
  'unavailable',
  'deadline-exceeded',
  'timeout',
  'cancelled',
  'not-leader',
]);
const UNREACHABLE_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ETIMEDOUT',
  'EAI_AGAIN',
]);

/** Recognises connection failures: the client's typed errors, raw gRPC statuses, socket errors, failed discovery. */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { type, code } = error as Error & { type?: unknown; code?: unknown };
  if (typeof type === 'string') return UNREACHABLE_CLIENT_ERROR_TYPES.has(type);
  if (typeof code === 'number') return UNREACHABLE_GRPC_CODES.has(code);
  if (typeof code === 'string') return UNREACHABLE_SOCKET_CODES.has(code);
  return /Failed to discover/i.test(error.message);
}

/** Translates what the client threw into our typed errors; anything unrecognised is returned unchanged. */
export function toStoreError(error: unknown, stream?: string): unknown {
  if (error instanceof EventStoreError) return error;
  if (error instanceof WrongExpectedVersionError)
    return new WrongExpectedVersion(
      stream ?? error.streamName,
      fromClientExpectedRevision(error.expectedVersion),
      fromClientCurrentRevision(error.actualVersion),
    );
  if (error instanceof StreamNotFoundError || error instanceof StreamDeletedError)
    return new StreamNotFound(stream ?? error.streamName);
  if (error instanceof MaxAppendSizeExceededError)
    return new InvalidEvent(
      `The append is larger than the server accepts (${error.maxAppendSize} bytes); nothing was written`,
    );
  if (isConnectionFailure(error))
    return new StoreUnavailable(`EventStoreDB is unavailable: ${(error as Error).message}`, { cause: error });
  return error;
}

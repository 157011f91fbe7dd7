import { IdClaimedByAnotherStream, InvalidEvent, WrongExpectedVersion } from './event-store.errors';
import {
  type EventFilter,
  type JsonObject,
  MAX_EVENT_BYTES,
  MAX_EVENTS_PER_APPEND,
  MAX_EVENTS_PER_BATCH,
  MAX_STREAM_NAME_LENGTH,
  type EventStore,
  type NewEvent,
  type StreamAppend,
  type StreamAppendResult,
} from './event-store.port';

/** An event checked once, with its JSON already serialised, ready for any adapter to write. */
export interface CheckedEvent {
  readonly id: string;
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
  readonly dataJson: string;
  readonly metadataJson: string;
  /** NewEvent.claims, checked, without repeats. */
  readonly claims?: readonly string[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 and C1 control characters, DEL, and Unicode line/paragraph separators.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_TYPE_LENGTH = 200;
const MAX_CLAIM_LENGTH = 200;
const MAX_DEPTH = 64;

export function assertValidStreamName(stream: unknown): asserts stream is string {
  if (typeof stream !== 'string' || stream.length === 0)
    throw new InvalidEvent('A stream name must be a non-empty string');
  if (stream.length > MAX_STREAM_NAME_LENGTH)
    throw new InvalidEvent(
      `A stream name may have at most ${MAX_STREAM_NAME_LENGTH} characters (got ${stream.length})`,
    );
  if (CONTROL_CHARACTER.test(stream)) throw new InvalidEvent('A stream name may not contain control characters');
  if (LONE_SURROGATE.test(stream)) throw new InvalidEvent('A stream name may not contain unpaired surrogates');
  if (stream.trim() !== stream) throw new InvalidEvent('A stream name may not start or end with whitespace');
}

export function assertValidFilter(filter: EventFilter | undefined): void {
  if (!filter) return;
  const values = 'streamPrefix' in filter ? [filter.streamPrefix].flat() : filter.eventTypes;
  if (values.length === 0 || values.some((value) => typeof value !== 'string' || value.length === 0))
    throw new InvalidEvent('A filter needs at least one non-empty stream prefix or event type');
}

/** Checks a batch before anything is written; throws InvalidEvent naming the first problem. */
export function checkAppend(stream: string, events: readonly NewEvent[]): CheckedEvent[] {
  assertValidStreamName(stream);
  if (!Array.isArray(events) || events.length === 0) throw new InvalidEvent('An append needs at least one event');
  if (events.length > MAX_EVENTS_PER_APPEND)
    throw new InvalidEvent(`An append may carry at most ${MAX_EVENTS_PER_APPEND} events (got ${events.length})`);
  const ids = new Set<string>();
  return events.map((event, index) => {
    const where = `event ${index} of the append to ${stream}`;
    if (event === null || typeof event !== 'object') throw new InvalidEvent(`${where} is not an object`);
    if (typeof event.id !== 'string' || !UUID.test(event.id)) throw new InvalidEvent(`${where} needs a UUID id`);
    const id = event.id.toLowerCase();
    if (ids.has(id)) throw new InvalidEvent(`${where} repeats the id ${id}`);
    ids.add(id);
    if (typeof event.type !== 'string' || event.type.length === 0) throw new InvalidEvent(`${where} has no type`);
    if (event.type.length > MAX_TYPE_LENGTH || CONTROL_CHARACTER.test(event.type) || LONE_SURROGATE.test(event.type))
      throw new InvalidEvent(`${where} has a type that is too long or contains control characters`);
    const metadata = event.metadata ?? {};
    const [dataJson, metadataJson] = jsonOf(event.data, metadata, where);
    // A UTF-16 code unit is at most 3 bytes of UTF-8: most events are counted without encoding them.
    if ((dataJson.length + metadataJson.length) * 3 > MAX_EVENT_BYTES) {
      const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
      if (bytes > MAX_EVENT_BYTES)
        throw new InvalidEvent(`${where} is ${bytes} bytes of JSON; the limit is ${MAX_EVENT_BYTES} bytes (1 MiB)`);
    }
    return {
      id,
      type: event.type,
      data: event.data,
      metadata,
      dataJson,
      metadataJson,
      claims: checkClaims(event, where),
    };
  });
}

function checkClaims(event: NewEvent, where: string): string[] {
  if (event.claims === undefined) return [];
  if (!Array.isArray(event.claims)) throw new InvalidEvent(`${where}: claims must be a list of ids`);
  for (const claim of event.claims)
    if (
      typeof claim !== 'string' ||
      claim.length === 0 ||
      claim.length > MAX_CLAIM_LENGTH ||
      CONTROL_CHARACTER.test(claim) ||
      LONE_SURROGATE.test(claim)
    )
      throw new InvalidEvent(
        `${where}: a claim must be a non-empty string of at most ${MAX_CLAIM_LENGTH} characters without control characters`,
      );
  return [...new Set(event.claims)];
}

/** One stream's part of a batch, checked. */
export interface CheckedStreamAppend {
  readonly stream: string;
  readonly expectedRevision: 'no_stream' | bigint;
  readonly events: CheckedEvent[];
}

/** Checks a batch append before anything is written: every part as an append, one part per stream, ids unique. */
export function checkBatch(appends: readonly StreamAppend[]): CheckedStreamAppend[] {
  if (!Array.isArray(appends)) throw new InvalidEvent('A batch append needs a list of stream appends');
  const streams = new Set<string>();
  const ids = new Set<string>();
  let total = 0;
  return appends.map(({ stream, events, expectedRevision }) => {
    const checked = checkAppend(stream, events);
    if (streams.has(stream)) throw new InvalidEvent(`A batch append names the stream ${stream} more than once`);
    streams.add(stream);
    if (expectedRevision !== 'no_stream' && !(typeof expectedRevision === 'bigint' && expectedRevision >= 0n))
      throw new InvalidEvent(`The append to ${stream} must expect 'no_stream' or a revision (a bigint >= 0)`);
    total += checked.length;
    if (total > MAX_EVENTS_PER_BATCH)
      throw new InvalidEvent(`A batch append may carry at most ${MAX_EVENTS_PER_BATCH} events`);
    for (const event of checked) {
      if (ids.has(event.id)) throw new InvalidEvent(`A batch append repeats the event id ${event.id}`);
      ids.add(event.id);
    }
    return { stream, expectedRevision, events: checked };
  });
}

/**
 * A checked batch appended one stream after another, each part atomic on its own, a conflict or a claim held by another
 * stream told in its result: for
 * stores that cannot append to several streams at once.
 */
export async function appendEachInTurn(
  store: Pick<EventStore, 'appendToStream'>,
  parts: readonly CheckedStreamAppend[],
): Promise<StreamAppendResult[]> {
  const results: StreamAppendResult[] = [];
  for (const part of parts) {
    try {
      const result = await store.appendToStream(part.stream, part.events, { expectedRevision: part.expectedRevision });
      results.push({
        stream: part.stream,
        outcome: 'appended',
        position: result.position,
        nextRevision: result.nextRevision,
      });
    } catch (error) {
      if (error instanceof IdClaimedByAnotherStream)
        results.push({ stream: part.stream, outcome: 'id-claimed', id: error.id });
      else if (error instanceof WrongExpectedVersion)
        results.push({ stream: part.stream, outcome: 'conflict', actual: error.actual });
      else throw error;
    }
  }
  return results;
}

/**
 * The event's data and metadata checked as JSON objects, and serialised. The common case costs one walk over the
 * values' types and a scan of the JSON text: JSON.stringify writes a NUL or an unpaired surrogate (in a string or a
 * key) only as a `\u` escape, so a text without `\u` holds neither, and the strings need no check of their own. Any
 * doubt (a `\u` in the text, a value of another type, a cycle) takes the full walk, which names the problem.
 */
function jsonOf(data: unknown, metadata: unknown, where: string): [data: string, metadata: string] {
  if (isPlainObject(data) && isPlainObject(metadata) && hasJsonTypes(data, 0) && hasJsonTypes(metadata, 0)) {
    let texts: [string, string] | undefined;
    try {
      texts = [JSON.stringify(data), JSON.stringify(metadata)];
    } catch {
      // A cycle: the full walk below names it.
    }
    if (texts !== undefined && !texts[0].includes('\\u') && !texts[1].includes('\\u')) return texts;
  }
  assertJsonObject(data, `${where}: data`);
  assertJsonObject(metadata, `${where}: metadata`);
  return [JSON.stringify(data), JSON.stringify(metadata)];
}

/** True when the value holds only strings, booleans, finite numbers, null, arrays and plain objects, nested at most MAX_DEPTH. */
function hasJsonTypes(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_DEPTH) return false;
      if (Array.isArray(value)) {
        for (let index = 0; index < value.length; index++) if (!hasJsonTypes(value[index], depth + 1)) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key of Object.keys(value)) if (!hasJsonTypes(value[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

function assertJsonObject(value: unknown, where: string): asserts value is JsonObject {
  if (!isPlainObject(value)) throw new InvalidEvent(`${where} must be a plain JSON object`);
  assertJson(value, { where, steps: [] }, new Set());
}

/**
 * Where a value is, as the steps down to it (keys and indexes): spelt out only for an error, so that checking an event
 * builds no string per value.
 */
interface JsonPath {
  readonly where: string;
  readonly steps: Array<string | number>;
}

const pathText = ({ where, steps }: JsonPath): string =>
  where + steps.map((step) => (typeof step === 'number' ? `[${step}]` : `.${step}`)).join('');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Only what survives a JSON round trip into PostgreSQL's jsonb unchanged is accepted. */
function assertJson(value: unknown, path: JsonPath, ancestors: Set<object>): void {
  if (path.steps.length > MAX_DEPTH) throw new InvalidEvent(`${pathText(path)} nests deeper than ${MAX_DEPTH} levels`);
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new InvalidEvent(`${pathText(path)} contains a NUL character`);
      if (LONE_SURROGATE.test(value)) throw new InvalidEvent(`${pathText(path)} contains an unpaired surrogate`);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new InvalidEvent(`${pathText(path)} is not a finite number`);
      return;
    case 'object': {
      if (value === null) return;
      if (ancestors.has(value)) throw new InvalidEvent(`${pathText(path)} is circular`);
      ancestors.add(value);
      if (Array.isArray(value))
        for (let index = 0; index < value.length; index++) {
          path.steps.push(index);
          assertJson(value[index], path, ancestors);
          path.steps.pop();
        }
      else if (isPlainObject(value))
        for (const key of Object.keys(value)) {
          if (key.includes('\u0000') || LONE_SURROGATE.test(key))
            throw new InvalidEvent(`${pathText(path)} has an invalid key`);
          path.steps.push(key);
          assertJson(value[key], path, ancestors);
          path.steps.pop();
        }
      else throw new InvalidEvent(`${pathText(path)} is a ${value.constructor?.name ?? 'non-plain'} object, not JSON`);
      ancestors.delete(value);
      return;
    }
    default:
      throw new InvalidEvent(`${pathText(path)} is a ${typeof value}, which is not JSON`);
  }
}

import { hash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@app/event-store';

/**
 * The audit hash chain. Every event appended through StreamCommands carries two metadata fields:
 *
 * - `prevHash`: the `hash` of the previous event of its stream, or GENESIS_HASH (64 zeros) for revision 0;
 * - `hash`: SHA-256, as 64 lowercase hex characters, over exactly these bytes:
 *
 *     prevHash ‖ canonical
 *
 *   where `prevHash` is the 64 ASCII characters of the previous hash (no separator follows: its length is fixed) and
 *   `canonical` is the UTF-8 encoding of the RFC 8785 (JSON Canonicalization Scheme) serialisation of the object
 *   `{ "type": type, "data": data, "metadata": metadata }`, in which `metadata` is the event's metadata without `hash`
 *   (it does include `prevHash`). RFC 8785 sorts keys by UTF-16 code units, writes no whitespace and formats numbers
 *   as ECMAScript does, so the hash survives any store that keeps the JSON's values (PostgreSQL `jsonb` reorders keys).
 *
 * The event id, stream name, revision, position and recording time are not hashed: an event's place in its stream is
 * fixed by the chain itself (each event names its predecessor's hash).
 */
export const GENESIS_HASH = '0'.repeat(64);

/** What of an event the chain covers. */
export interface ChainableEvent {
  readonly type: string;
  readonly data: JsonObject;
  readonly metadata: JsonObject;
}

/**
 * The RFC 8785 canonical JSON of a value that is plain JSON. RFC 8785 serialises strings and numbers as ECMAScript's
 * JSON.stringify does and sorts keys by UTF-16 code units, as Array.prototype.sort does: so this walks the value once,
 * writing each member as it goes (the canonicalize package, which it replaces, gave the same text several times slower:
 * the chain of a bulk import canonicalises every event).
 */
export function canonicalJson(value: JsonObject): string {
  return serialise(value);
}

/** What JSON.stringify escapes in a string (RFC 8785 §3.2.2.2): quote, backslash, controls, lone surrogates. */
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPING = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A string as JSON: most strings need no escape, and are quoted as they are. */
const quote = (text: string): string => (NEEDS_ESCAPING.test(text) ? JSON.stringify(text) : `"${text}"`);

function serialise(value: JsonValue | undefined): string {
  switch (typeof value) {
    case 'string':
      return quote(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`not JSON: cannot canonicalise ${value}`);
      return JSON.stringify(value);
    case 'object': {
      if (value === null) return 'null';
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return serialise((value as unknown as { toJSON(): JsonValue }).toJSON());
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index++) {
          if (index > 0) text += ',';
          const item = value[index];
          text += item === undefined || typeof item === 'symbol' ? 'null' : serialise(item);
        }
        return `${text}]`;
      }
      const keys = Object.keys(value).sort();
      let text = '{';
      for (const key of keys) {
        const item = value[key];
        if (item === undefined || typeof item === 'symbol' || typeof item === 'function') continue;
        if (text.length > 1) text += ',';
        text += `${quote(key)}:${serialise(item)}`;
      }
      return `${text}}`;
    }
    default:
      throw new TypeError(`not JSON: cannot canonicalise a ${typeof value}`);
  }
}

/**
 * sha256(prevHash ‖ canonical JSON of { type, data, metadata }) in lowercase hex. `metadata` is taken without its `hash`
 * field (any `hash` given is ignored), so the stored metadata of a recorded event can be passed as it is.
 */
export function eventHash(prevHash: string, event: ChainableEvent): string {
  const metadata = without(event.metadata, 'hash');
  // The canonical object's keys in RFC 8785 order are data, metadata, type: written out here, each member once.
  return hash(
    'sha256',
    `${prevHash}{"data":${serialise(event.data)},"metadata":${serialise(metadata)},"type":${quote(event.type)}}`,
    'hex',
  );
}

/**
 * Chains events onto `prevHash` (the last event's hash, GENESIS_HASH for a new stream): returns each event's metadata
 * with `prevHash` and `hash` set, the first event linking to `prevHash`, every next one to the event before it.
 */
export function chainEvents(prevHash: string, events: readonly ChainableEvent[]): JsonObject[] {
  let previous = prevHash;
  return events.map((event) => {
    const metadata: JsonObject = { ...without(event.metadata, 'hash'), prevHash: previous };
    const hash = eventHash(previous, { type: event.type, data: event.data, metadata });
    previous = hash;
    return { ...metadata, hash };
  });
}

/** The hash a recorded event's metadata carries, when it is chained. */
export function chainLinks(metadata: JsonObject): { prevHash: string; hash: string } | undefined {
  const { prevHash, hash } = metadata;
  return typeof prevHash === 'string' && typeof hash === 'string' ? { prevHash, hash } : undefined;
}

function without(metadata: JsonObject, key: string): JsonObject {
  const copy = { ...metadata };
  delete copy[key];
  return copy;
}

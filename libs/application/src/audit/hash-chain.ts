import { createHash } from 'node:crypto';
import type { JsonObject } from '@app/event-store';
import canonicalize from 'canonicalize';

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

/** The RFC 8785 canonical JSON of a value that is plain JSON. */
export function canonicalJson(value: JsonObject): string {
  const canonical = canonicalize(value);
  if (canonical === undefined) throw new TypeError('not JSON: cannot canonicalise');
  return canonical;
}

/**
 * sha256(prevHash ‖ canonical JSON of { type, data, metadata }) in lowercase hex. `metadata` is taken without its `hash`
 * field (any `hash` given is ignored), so the stored metadata of a recorded event can be passed as it is.
 */
export function eventHash(prevHash: string, event: ChainableEvent): string {
  const metadata = without(event.metadata, 'hash');
  return createHash('sha256')
    .update(prevHash, 'utf8')
    .update(canonicalJson({ type: event.type, data: event.data, metadata }), 'utf8')
    .digest('hex');
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

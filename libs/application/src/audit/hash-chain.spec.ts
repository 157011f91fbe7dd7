import type { JsonObject } from '@app/event-store';
import canonicalize from 'canonicalize';
import fc from 'fast-check';
import { canonicalJson, type ChainableEvent, chainEvents, eventHash, GENESIS_HASH } from './hash-chain';

const event = {
  type: 'EvidenceSubmitted',
  data: { schemaVersion: 1, description: 'Café queries', score: 2.5, criterionIds: ['joins', 'aggregates'] },
  metadata: { commandId: '00000000-0000-4000-8000-000000000001', prevHash: GENESIS_HASH },
};

describe('the audit hash chain', () => {
  it('has a genesis hash of 64 zeros', () => {
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  it('canonicalises as RFC 8785 does (the RFC’s own example, §3.2.2)', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/","literals":[null,true,false]}',
    ) as JsonObject;
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('gives the text the canonicalize package gives, for keys outside ASCII, nesting, numbers and escapes', () => {
    const values: JsonObject[] = [
      { b: 1, a: [{ z: null, y: [true, false, -0, 1e21, 1e-7, 0.1 + 0.2] }], '': 'empty key' },
      { '\u20ac': 1, '\ud83d\ude00': 2, '\ufb33': 3, A: 4, a: 5, '1': 6, '\u0080': 7, 'a\u0000b': 'nul' },
      { text: 'line\nbreak\t"quoted" \\ back \u2028 \ud800 lone', nested: { deeper: { deepest: [[], {}] } } },
      JSON.parse('{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001,-12.5e3]}') as JsonObject,
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(canonicalize(value));
  });

  it('gives the text the canonicalize package gives for any JSON object (property)', () => {
    const objects = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue(), {
      maxKeys: 8,
    }) as fc.Arbitrary<JsonObject>;
    fc.assert(
      fc.property(objects, (value) => canonicalJson(value) === canonicalize(value)),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not JSON', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Infinity })).toThrow(TypeError);
  });

  it('hashes sha256(prevHash ‖ canonical JSON of {type, data, metadata}) — a known vector', () => {
    // Computed independently: Python's hashlib over '0'*64 + json.dumps(…, sort_keys=True, separators=(',', ':'),
    // ensure_ascii=False), which equals RFC 8785 for these values.
    expect(eventHash(GENESIS_HASH, event)).toBe('b99ac784ab466993f11ace87b09639da8316dcf5d87359cad06a1d420f8c0551');
  });

  it('does not depend on key order, and ignores a hash already in the metadata', () => {
    const reordered = {
      metadata: { prevHash: GENESIS_HASH, commandId: event.metadata.commandId },
      data: { criterionIds: ['joins', 'aggregates'], score: 2.5, description: 'Café queries', schemaVersion: 1 },
      type: 'EvidenceSubmitted',
    };
    expect(eventHash(GENESIS_HASH, reordered)).toBe(eventHash(GENESIS_HASH, event));
    expect(eventHash(GENESIS_HASH, { ...event, metadata: { ...event.metadata, hash: 'f'.repeat(64) } })).toBe(
      eventHash(GENESIS_HASH, event),
    );
  });

  it('changes when any part changes: type, data, metadata, the order in an array, or the previous hash', () => {
    const base = eventHash(GENESIS_HASH, event);
    const variants: Array<[string, typeof event]> = [
      ['type', { ...event, type: 'EvidenceSubmittee' }],
      ['a data string, by one character', { ...event, data: { ...event.data, description: 'Cafe queries' } }],
      ['a data number', { ...event, data: { ...event.data, score: 2.50001 } }],
      ['an array order', { ...event, data: { ...event.data, criterionIds: ['aggregates', 'joins'] } }],
      ['a metadata field', { ...event, metadata: { ...event.metadata, commandId: event.metadata.commandId + 'x' } }],
      ['prevHash in the metadata', { ...event, metadata: { ...event.metadata, prevHash: '1'.repeat(64) } }],
      ['an added field', { ...event, data: { ...event.data, extra: null } as typeof event.data }],
    ];
    for (const [, variant] of variants) expect(eventHash(GENESIS_HASH, variant)).not.toBe(base);
    expect(eventHash('1'.repeat(64), event)).not.toBe(base);
  });

  it('chains events: the first onto the given hash, each next onto the one before', () => {
    const tail = 'a'.repeat(64);
    const events: ChainableEvent[] = [
      { type: 'A', data: { n: 1 }, metadata: { commandId: 'c' } },
      { type: 'B', data: { n: 2 }, metadata: { commandId: 'c', hash: 'stale', prevHash: 'stale' } },
    ];
    const [first, second] = chainEvents(tail, events);
    expect(first).toEqual({ commandId: 'c', prevHash: tail, hash: eventHash(tail, { ...events[0], metadata: first }) });
    expect(second.prevHash).toBe(first.hash);
    expect(second.hash).toBe(eventHash(first.hash as string, { ...events[1], metadata: second }));
    expect(second.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

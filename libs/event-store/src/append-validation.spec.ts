import { randomUUID } from 'node:crypto';
import { checkAppend } from './append-validation';
import { InvalidEvent } from './event-store.errors';

const withData = (data: object) => [{ id: randomUUID(), type: 'Noted', data: data as never }];

describe('checkAppend', () => {
  it('names where in the data a value is not JSON', () => {
    const check = () => checkAppend('s-1', withData({ items: [{ ok: 1 }, { when: new Date(0) }] }));
    expect(check).toThrow(InvalidEvent);
    expect(check).toThrow('event 0 of the append to s-1: data.items[1].when is a Date object, not JSON');
    expect(() => checkAppend('s-1', withData({ n: [1, Number.NaN] }))).toThrow('data.n[1] is not a finite number');
  });

  it('refuses circular data and data nested too deep, and accepts what round-trips', () => {
    const circular: Record<string, unknown> = {};
    circular.self = { back: circular };
    expect(() => checkAppend('s-1', withData(circular))).toThrow('data.self.back is circular');
    let deep: object = {};
    for (let level = 0; level < 70; level++) deep = { d: deep };
    expect(() => checkAppend('s-1', withData(deep))).toThrow(/nests deeper than 64 levels/);
    const [checked] = checkAppend('s-1', withData({ a: [1, 'two', null, { b: true }] }));
    expect(checked.dataJson).toBe('{"a":[1,"two",null,{"b":true}]}');
  });

  it('refuses a NUL or an unpaired surrogate in a string or a key, in data or metadata, and keeps other escapes', () => {
    expect(() => checkAppend('s-1', withData({ a: ['x\u0000y'] }))).toThrow('data.a[0] contains a NUL character');
    expect(() => checkAppend('s-1', withData({ a: 'x\ud800' }))).toThrow('data.a contains an unpaired surrogate');
    expect(() => checkAppend('s-1', withData({ ['k\udc00']: 1 }))).toThrow('data has an invalid key');
    expect(() =>
      checkAppend('s-1', [{ id: randomUUID(), type: 'Noted', data: {}, metadata: { who: '\u0000' } }]),
    ).toThrow('metadata.who contains a NUL character');
    const [checked] = checkAppend(
      's-1',
      withData({ a: 'tab\t, bell\u0007, a pair \ud83d\ude00, and \\u0000 as text' }),
    );
    expect(JSON.parse(checked.dataJson)).toEqual({ a: 'tab\t, bell\u0007, a pair \ud83d\ude00, and \\u0000 as text' });
  });
});

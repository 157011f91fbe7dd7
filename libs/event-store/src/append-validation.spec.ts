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
});

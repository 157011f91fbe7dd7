import type { Decider } from '../decider';
import { DomainError } from '../domain-error';
import { specFor } from './given-when-then';

type Added = { type: 'Added'; data: { schemaVersion: 1; amount: number } };
type Add = { amount: number; sloppy?: boolean };

/** A counter that refuses to pass 10; `sloppy` makes it decide an event holding undefined. */
const counter: Decider<Add, Added, number> = {
  decide: ({ amount, sloppy }, total) => {
    if (total + amount > 10) throw new DomainError('invalid-field', 'too much');
    const data = { schemaVersion: 1 as const, amount, ...(sloppy ? { note: undefined } : {}) };
    return [{ type: 'Added', data }];
  },
  evolve: (total, event) => total + event.data.amount,
  initialState: () => 0,
};

const added = (amount: number): Added => ({ type: 'Added', data: { schemaVersion: 1, amount } });
const given = specFor(counter);

describe('given / when / then', () => {
  it('passes when the events decided are those expected', () => {
    expect(
      given(added(4))
        .when({ amount: 2 })
        .then([added(2)]),
    ).toEqual([added(2)]);
  });

  it('fails when they differ', () => {
    expect(() =>
      given()
        .when({ amount: 2 })
        .then([added(3)]),
    ).toThrow();
  });

  it('fails when an event is not plain JSON', () => {
    expect(() =>
      given()
        .when({ amount: 2, sloppy: true })
        .then([added(2)]),
    ).toThrow();
  });

  it('checks the error code thrown and returns the error', () => {
    expect(given(added(9)).when({ amount: 2 }).thenThrows('invalid-field')).toBeInstanceOf(DomainError);
    expect(() => given(added(9)).when({ amount: 2 }).thenThrows('already-awarded')).toThrow();
  });

  it('fails when nothing is thrown', () => {
    expect(() => given().when({ amount: 2 }).thenThrows('invalid-field')).toThrow(/decided \["Added"\]/);
  });

  it('passes on errors that are not domain errors', () => {
    const broken: Decider<Add, Added, number> = {
      ...counter,
      decide: () => {
        throw new TypeError('bug');
      },
    };
    expect(() => specFor(broken)().when({ amount: 1 }).thenThrows('invalid-field')).toThrow(TypeError);
  });
});

/**
 * Given / when / then on a decider, with no store:
 *
 *   const given = specFor(recordDecider);
 *   given(evidenceSubmitted, assessmentPassed).when(awardAchievement, context).then([achievementAwarded]);
 *   given(evidenceSubmitted).when(awardAchievement, context).thenThrows('no-passing-assessment');
 *
 * `then` also checks that every event decided is plain JSON (it survives a JSON round trip unchanged: no undefined,
 * Date or bigint) with a numeric `data.schemaVersion`, and that `evolve` accepts it.
 */
import { type Decider, fold } from '../decider';
import { DOMAIN_ERROR_KINDS, DomainError, type DomainErrorCode } from '../domain-error';

export function expectPlainJson(event: unknown): void {
  expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
  expect(event).toMatchObject({ type: expect.any(String), data: { schemaVersion: expect.any(Number) } });
}

export function specFor<C, E, S, Context = void>(decider: Decider<C, E, S, Context>) {
  return (...given: E[]) => ({
    when: (command: C, ...[context]: undefined extends Context ? [context?: Context] : [context: Context]) => {
      const decide = (): E[] => decider.decide(command, fold(decider, given), context as Context);
      return {
        /** The events decided, exactly. */
        then(expected: E[]): E[] {
          const events = decide();
          expect(events).toStrictEqual(expected);
          events.forEach(expectPlainJson);
          fold(decider, [...given, ...events]);
          return events;
        },
        /** The DomainError thrown, by code; returns it for further checks. */
        thenThrows(code: DomainErrorCode): DomainError {
          let thrown: unknown;
          try {
            const events = decide();
            thrown = new Error(`Expected ${code}, but the decider decided ${JSON.stringify(events.map(typeOf))}`);
          } catch (error) {
            thrown = error;
          }
          if (!(thrown instanceof DomainError)) throw thrown;
          expect({ code: thrown.code, detail: thrown.detail }).toEqual({ code, detail: expect.any(String) });
          expect(thrown.kind).toBe(DOMAIN_ERROR_KINDS[code]);
          return thrown;
        },
      };
    },
  });
}

const typeOf = (event: unknown): unknown => (event as { type?: unknown }).type;

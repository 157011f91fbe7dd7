import { DOMAIN_ERROR_KINDS, DomainError, isDomainError } from './domain-error';

describe('DomainError', () => {
  it('takes its kind from its code', () => {
    const error = new DomainError('already-awarded', 'The learner already holds it');
    expect(error).toBeInstanceOf(Error);
    expect(isDomainError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'DomainError',
      code: 'already-awarded',
      kind: 'conflict',
      detail: 'The learner already holds it',
      issues: [],
      message: 'already-awarded: The learner already holds it',
    });
  });

  it('has kebab-case codes and one of five kinds', () => {
    for (const [code, kind] of Object.entries(DOMAIN_ERROR_KINDS)) {
      expect(code).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(['invalid', 'forbidden', 'not-found', 'conflict', 'refused']).toContain(kind);
    }
  });

  it.each([
    ['no-passing-assessment', 'refused'],
    ['already-awarded', 'conflict'],
    ['achievement-retired', 'refused'],
    ['unknown-criterion', 'refused'],
    ['not-your-issuer', 'forbidden'],
    ['prerequisite-missing', 'refused'],
    ['award-not-active', 'conflict'],
    ['unknown-award', 'not-found'],
    ['invalid-field', 'invalid'],
  ] as const)('maps %s to %s', (code, kind) => {
    expect(new DomainError(code, '').kind).toBe(kind);
  });
});

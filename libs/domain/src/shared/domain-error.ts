/**
 * The one error the domain throws. `code` is stable (clients may branch on it); `kind` tells the HTTP layer which
 * status to answer with: invalid → 400, forbidden → 403, not-found → 404, conflict → 409, refused → 422.
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'refused';

/** Every code the domain uses, with its kind. A code never changes kind. */
export const DOMAIN_ERROR_KINDS = {
  // invalid — the command is malformed, whatever the state
  'invalid-field': 'invalid',
  'invalid-id': 'invalid',
  'invalid-instant': 'invalid',
  'invalid-duration': 'invalid',
  'invalid-url': 'invalid',
  'invalid-country': 'invalid',
  'invalid-sha256': 'invalid',
  'statement-mismatch': 'invalid',
  'duplicate-entry': 'invalid',
  'no-required-criterion': 'invalid',
  'self-prerequisite': 'invalid',
  'instant-in-future': 'invalid',
  'unknown-framework': 'invalid',
  // forbidden — the actor may not do this
  'role-required': 'forbidden',
  'not-your-issuer': 'forbidden',
  // not-found — the issuer, achievement or award the command is about does not exist
  'unknown-issuer': 'not-found',
  'unknown-achievement': 'not-found',
  'unknown-award': 'not-found',
  'unknown-profile': 'not-found',
  'unknown-pathway': 'not-found',
  'unknown-qualification': 'not-found',
  'unknown-key': 'not-found',
  'unknown-learner': 'not-found',
  // conflict — the command clashes with the existing state of its stream
  'issuer-already-registered': 'conflict',
  'achievement-already-defined': 'conflict',
  'already-retired': 'conflict',
  'duplicate-id': 'conflict',
  'already-awarded': 'conflict',
  'award-not-active': 'conflict',
  'award-not-suspended': 'conflict',
  'award-already-revoked': 'conflict',
  'pathway-already-defined': 'conflict',
  'already-conferred': 'conflict',
  'qualification-not-active': 'conflict',
  'key-in-use': 'conflict',
  'key-already-compromised': 'conflict',
  // refused — a domain rule refuses the command
  'achievement-retired': 'refused',
  'unknown-version': 'refused',
  'unknown-criterion': 'refused',
  'unknown-evidence': 'refused',
  'version-mismatch': 'refused',
  'unknown-prerequisite': 'refused',
  'prerequisite-retired': 'refused',
  'prerequisite-cycle': 'refused',
  'no-passing-assessment': 'refused',
  'prerequisite-missing': 'refused',
  'pathway-retired': 'refused',
  'pathway-cycle': 'refused',
  // a stacking rule that names what does not exist, or cannot be read
  'invalid-rule': 'refused',
  'rule-not-met': 'refused',
  'registrar-conferral-required': 'refused',
  'automatic-conferral': 'refused',
  'not-in-basis': 'refused',
  'since-before-key': 'refused',
  // recognitions (credit-transfer agreements between issuers)
  'self-recognition': 'invalid',
  'unknown-recognition': 'not-found',
  'recognition-withdrawn': 'conflict',
  'achievement-not-of-issuer': 'refused',
  'recognition-missing': 'refused',
  // A record moved from another system must keep its order: evidence, then assessment, then award.
  'assessed-before-evidence': 'refused',
  'awarded-before-assessment': 'refused',
  'award-out-of-order': 'refused',
  // xAPI: clients of learning platforms, and evidence a voiding statement withdrew
  'unknown-xapi-client': 'not-found',
  'xapi-client-revoked': 'conflict',
  'evidence-withdrawn': 'conflict',
} as const satisfies { [code: string]: DomainErrorKind };

export type DomainErrorCode = keyof typeof DOMAIN_ERROR_KINDS;

/** One problem with one field of a command (for RFC 9457 `errors[]`). */
export type ValidationIssue = { path: string; code: DomainErrorCode; message: string };

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly kind: DomainErrorKind;

  constructor(
    readonly code: DomainErrorCode,
    readonly detail: string,
    /** For `invalid` errors: every problem found, the first of which gave `code`. */
    readonly issues: readonly ValidationIssue[] = [],
  ) {
    super(`${code}: ${detail}`);
    this.kind = DOMAIN_ERROR_KINDS[code];
  }
}

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;

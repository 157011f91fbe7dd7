import { DEFAULT_TOKEN_MAX_AGE_SECONDS, durationSeconds } from '@app/config';
import { errors, jwtVerify, SignJWT } from 'jose';
import { type Actor, type Role, ROLES } from './actor';

/** Why a token was refused; shown to the caller in the 401 problem. */
export class InvalidToken extends Error {}

/** The clocks of the token's minter and of the api may differ by this much (seconds), on `exp`, `nbf` and `iat`. */
export const CLOCK_SKEW_SECONDS = 60;

/** Verified tokens kept; past it the oldest are dropped and verified again when next presented. */
const MAX_VERIFIED_TOKENS = 10_000;

/** A token that verified, with the claims whose checks depend on the time and are made again on every use. */
interface Verified {
  readonly actor: Actor;
  readonly exp: number;
  readonly iat: number;
  readonly nbf?: number;
}

/**
 * Verifies HS256 bearer tokens; any other algorithm, `none` included, is refused. A token must say when it was issued
 * (`iat`, not ahead of now) and when it expires (`exp`, at most `maxAgeSeconds` after `iat`), and be spelt in the one
 * canonical base64url form, so that one token has one spelling.
 */
export class TokenVerifier {
  private readonly key: Uint8Array;
  /**
   * Tokens that verified, by their exact text (one spelling per token, and the signature covers it): a token sent again
   * is not parsed, HMAC-checked and JSON-decoded again — each request checks its token twice (the rate limit and the
   * auth guard), and a client sends one token many times. Only the time-dependent checks are made again.
   */
  private readonly verified = new Map<string, Verified>();
  /** How many tokens had their signature checked (not answered from the verified cache): for tests. */
  signatureChecks = 0;

  constructor(
    secret: string,
    private readonly maxAgeSeconds = DEFAULT_TOKEN_MAX_AGE_SECONDS,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(token: string): Promise<Actor> {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (stillValid(known)) return known.actor;
      this.verified.delete(token);
    }
    const verified = await this.verifyAfresh(token);
    if (this.verified.size >= MAX_VERIFIED_TOKENS) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, verified);
    return verified.actor;
  }

  private async verifyAfresh(token: string): Promise<Verified> {
    assertCanonical(token);
    this.signatureChecks++;
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'iat'],
      }));
    } catch (error) {
      throw new InvalidToken(describeJoseError(error));
    }
    const { exp, iat, nbf } = payload as { exp: number; iat: number; nbf?: number };
    if (iat > Math.floor(Date.now() / 1000) + CLOCK_SKEW_SECONDS)
      throw new InvalidToken('the token is issued in the future (iat)');
    if (exp - iat > this.maxAgeSeconds)
      throw new InvalidToken(`the token lives longer than ${this.maxAgeSeconds} s (exp − iat)`);
    const { sub, roles, issuers = [], learner } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || sub.length === 0) throw new InvalidToken('the token has no subject (sub)');
    if (
      !Array.isArray(roles) ||
      roles.length === 0 ||
      roles.some((role) => !(ROLES as readonly unknown[]).includes(role))
    )
      throw new InvalidToken(`the token's roles must be a list of ${ROLES.join(', ')}`);
    if (!Array.isArray(issuers) || issuers.some((issuer) => typeof issuer !== 'string'))
      throw new InvalidToken("the token's issuers must be a list of issuer ids");
    if (learner !== undefined && typeof learner !== 'string')
      throw new InvalidToken("the token's learner must be a learner id");
    // Frozen: the same actor answers every request that presents this token.
    const actor: Actor = Object.freeze({
      sub,
      roles: Object.freeze([...roles]) as Role[],
      issuers: Object.freeze([...issuers]) as string[],
      ...(learner ? { learner } : {}),
    });
    return { actor, exp, iat, ...(nbf === undefined ? {} : { nbf }) };
  }

  /** Mints a token for development and tests (`tessera token`); its lifetime may not exceed the maximum age. */
  async sign(actor: Actor, expiresIn = '1h'): Promise<string> {
    const lifetime = durationSeconds(expiresIn);
    if (Number.isNaN(lifetime)) throw new RangeError(`a lifetime is a number and a unit (s, m, h, d, w): ${expiresIn}`);
    if (lifetime > this.maxAgeSeconds)
      throw new RangeError(`a token may live at most ${this.maxAgeSeconds} s (TESSERA_TOKEN_MAX_AGE): ${expiresIn}`);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      roles: [...actor.roles],
      issuers: [...actor.issuers],
      ...(actor.learner ? { learner: actor.learner } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .sign(this.key);
  }
}

/** The checks of a verified token that depend on the time, as jose and `verifyAfresh` make them. */
function stillValid({ exp, iat, nbf }: Verified): boolean {
  const now = Math.floor(Date.now() / 1000);
  return (
    exp > now - CLOCK_SKEW_SECONDS &&
    (nbf === undefined || nbf <= now + CLOCK_SKEW_SECONDS) &&
    iat <= now + CLOCK_SKEW_SECONDS
  );
}

/**
 * Base64url decoding forgives padding and the unused low bits of the last character, so `sig`, `sig=` and a `sig`
 * with other trailing bits would all verify: only the spelling that re-encodes to itself is accepted.
 */
function assertCanonical(token: string): void {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidToken('the token is malformed');
  for (const part of parts)
    if (!/^[A-Za-z0-9_-]*$/.test(part) || Buffer.from(part, 'base64url').toString('base64url') !== part)
      throw new InvalidToken('the token is not in canonical base64url (no padding, no stray bits)');
}

function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed)
    return `the token's ${error.claim} claim is not valid (${error.reason})`;
  if (error instanceof errors.JOSEAlgNotAllowed) return 'the token must be signed with HS256';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature does not verify';
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'the token is malformed';
  return 'the token is not valid';
}

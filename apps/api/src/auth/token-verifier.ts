import { errors, jwtVerify, SignJWT } from 'jose';
import { type Actor, type Role, ROLES } from './actor';

/** Why a token was refused; shown to the caller in the 401 problem. */
export class InvalidToken extends Error {}

/** Verifies HS256 bearer tokens; any other algorithm, `none` included, is refused. */
export class TokenVerifier {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = new TextEncoder().encode(secret);
  }

  async verify(token: string): Promise<Actor> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.key, { algorithms: ['HS256'], clockTolerance: 5 }));
    } catch (error) {
      throw new InvalidToken(describeJoseError(error));
    }
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
    return { sub, roles: roles as Role[], issuers: issuers as string[], ...(learner ? { learner } : {}) };
  }

  /** Mints a token for development and tests (`tessera token`). */
  async sign(actor: Actor, expiresIn = '1h'): Promise<string> {
    return new SignJWT({
      roles: [...actor.roles],
      issuers: [...actor.issuers],
      ...(actor.learner ? { learner: actor.learner } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(actor.sub)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(this.key);
  }
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

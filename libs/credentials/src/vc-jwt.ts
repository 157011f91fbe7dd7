import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK, type JWK, type KeyLike, SignJWT } from 'jose';
import { type JsonObject, subjectOf } from './achievement-credential';
import { verifyDataIntegrity } from './data-integrity';

export const SIGNING_ALG = 'ES256';
const KEY_CLOCK_SKEW_MS = 5000;

/**
 * `ledger` and `ledger-key` are Tessera's checks of its own credentials against the ledger (which record, which keys
 * may sign it); the others are what any verifier of a VC-JWT can check.
 */
export type CheckName = 'signature' | 'key' | 'issuer' | 'dates' | 'status' | 'ledger' | 'ledger-key';
export interface Check {
  readonly name: CheckName;
  readonly ok: boolean;
  readonly reason?: string;
}
export interface Verification {
  readonly verified: boolean;
  readonly checks: Check[];
}

/** A public key as the verifier knows it: whose it is, and when it may sign. */
export interface KnownKey {
  readonly kid: string;
  readonly issuerId: string;
  /** The issuer profile id the key signs for (`{publicUrl}/issuers/{issuerId}`). */
  readonly issuerProfileId: string;
  readonly publicJwk: JWK;
  readonly validFrom: Date;
  readonly validUntil?: Date;
  /** When the issuer reported the key leaked: from then on nothing it signed is trusted, whatever its `iat`. */
  readonly compromisedSince?: Date;
}

/** Input that is not a credential at all: the API answers 400. */
export class MalformedCredential extends Error {}

const seconds = (iso: string) => Math.floor(new Date(iso).getTime() / 1000);

/** Wraps a credential in a VC-JWT: header alg, kid, typ JWT; claims iss, jti, nbf, sub, exp (when it expires), vc. */
export async function signCredentialJwt(credential: JsonObject, key: KeyLike, kid: string): Promise<string> {
  const subject = subjectOf(credential);
  const jwt = new SignJWT({ vc: credential })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: 'JWT' })
    .setIssuer(String(issuerIdOf(credential)))
    .setJti(String(credential.id))
    .setNotBefore(seconds(String(credential.validFrom)))
    .setIssuedAt();
  if (subject !== undefined) jwt.setSubject(subject);
  if (typeof credential.validUntil === 'string') jwt.setExpirationTime(seconds(credential.validUntil));
  return jwt.sign(key);
}

const fail = (name: CheckName, reason: string): Check => ({ name, ok: false, reason });
const pass = (name: CheckName): Check => ({ name, ok: true });
const verdict = (checks: Check[]): Verification => ({ verified: checks.every((check) => check.ok), checks });

/** validFrom/validUntil of a credential (or nbf/exp of its JWT) against now. */
function datesCheck(validFrom: unknown, validUntil: unknown, now: Date): Check {
  const from = typeof validFrom === 'string' ? new Date(validFrom) : undefined;
  if (!from || Number.isNaN(from.getTime())) return fail('dates', 'the credential has no valid validFrom');
  if (from > now) return fail('dates', `not yet valid: valid from ${from.toISOString()}`);
  if (validUntil !== undefined) {
    const until = typeof validUntil === 'string' ? new Date(validUntil) : undefined;
    if (!until || Number.isNaN(until.getTime())) return fail('dates', 'validUntil is not a date');
    if (until <= now) return fail('dates', `expired: valid until ${until.toISOString()}`);
  }
  return pass('dates');
}

/** The issuer id a credential names: `issuer` as a URI, or the id of its `issuer` profile. */
export function issuerIdOf(credential: JsonObject): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (typeof issuer === 'object' && issuer !== null && typeof (issuer as JsonObject).id === 'string')
    return (issuer as JsonObject).id as string;
  return undefined;
}

/**
 * A known key, not reported compromised, in force when it signed (`signedAt`: the JWT's `iat`, a proof's `created`),
 * give or take clock skew. The signer chooses that instant: once the key is known to have leaked, nothing it signed can
 * be told from a forgery.
 */
function keyCheck(key: KnownKey, signedAt: Date): Check {
  if (key.compromisedSince !== undefined)
    return fail(
      'key',
      `key-compromised: the issuer reported the key ${key.kid} compromised since ${key.compromisedSince.toISOString()}; nothing it signed is trusted`,
    );
  const from = key.validFrom.getTime() - KEY_CLOCK_SKEW_MS;
  if (Number.isNaN(signedAt.getTime())) return fail('key', 'the proof says no valid instant it was created');
  if (signedAt.getTime() < from || (key.validUntil !== undefined && signedAt >= key.validUntil))
    return fail('key', `the key ${key.kid} was not in force at ${signedAt.toISOString()}`);
  return pass('key');
}

/**
 * Verifies a compact VC-JWT: the key named by `kid` is one we hold and was in force when the credential became
 * valid; the signature holds; `iss` and `vc.issuer` name that key's issuer; nbf/exp and validFrom/validUntil hold now.
 */
export async function verifyCredentialJwt(
  jwt: string,
  findKey: (kid: string) => Promise<KnownKey | undefined>,
  now = new Date(),
): Promise<Verification> {
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jwt);
  } catch {
    throw new MalformedCredential('jwt is not a compact JWS with a JSON protected header');
  }
  // An altered payload may no longer decode: that is a failed signature, not malformed input.
  let claims: ReturnType<typeof decodeJwt>;
  try {
    claims = decodeJwt(jwt);
  } catch {
    claims = {};
  }
  const vc = claims.vc;
  const credential: JsonObject | undefined =
    typeof vc === 'object' && vc !== null && !Array.isArray(vc) ? (vc as JsonObject) : undefined;
  const checks: Check[] = [];
  const key = typeof header.kid === 'string' ? await findKey(header.kid) : undefined;
  if (typeof header.kid !== 'string') checks.push(fail('key', 'the JWT header names no key (kid)'));
  else if (!key) checks.push(fail('key', `unknown key id ${header.kid}`));
  else if (header.alg !== SIGNING_ALG)
    checks.push(fail('key', `the key signs ${SIGNING_ALG}, the JWT says ${header.alg}`));
  else checks.push(keyCheck(key, typeof claims.iat === 'number' ? new Date(claims.iat * 1000) : now));
  if (!key || header.alg !== SIGNING_ALG)
    checks.unshift(fail('signature', 'not checked: no usable public key for this JWT'));
  else {
    try {
      await compactVerify(jwt, await importJWK(key.publicJwk, SIGNING_ALG), { algorithms: [SIGNING_ALG] });
      checks.unshift(pass('signature'));
    } catch {
      checks.unshift(fail('signature', 'the signature does not match the header and payload (altered or forged)'));
    }
  }
  if (!credential) {
    const reason = 'the JWT payload holds no credential ("vc" claim)';
    checks.push(fail('issuer', reason), fail('dates', reason));
    return verdict(checks);
  }
  const vcIssuer = issuerIdOf(credential);
  if (!key) checks.push(fail('issuer', 'not checked: the signing key is unknown'));
  else if (claims.iss !== key.issuerProfileId)
    checks.push(fail('issuer', `iss ${String(claims.iss)} is not the key's issuer ${key.issuerProfileId}`));
  else if (vcIssuer !== key.issuerProfileId)
    checks.push(fail('issuer', `vc.issuer ${String(vcIssuer)} is not the key's issuer ${key.issuerProfileId}`));
  else checks.push(pass('issuer'));
  const claimDates = datesCheck(
    claims.nbf === undefined ? credential.validFrom : new Date(claims.nbf * 1000).toISOString(),
    claims.exp === undefined ? undefined : new Date(claims.exp * 1000).toISOString(),
    now,
  );
  checks.push(claimDates.ok ? datesCheck(credential.validFrom, credential.validUntil, now) : claimDates);
  return verdict(checks);
}

/**
 * A JSON credential with no JWT around it: Tessera signs only as VC-JWT, so the signature check fails with that
 * reason; the issuer is checked against the issuers we know, and the dates against now.
 */
export async function verifyCredentialJson(
  credential: JsonObject,
  knownIssuer: (issuerProfileId: string) => Promise<boolean>,
  now = new Date(),
): Promise<Verification> {
  const issuer = issuerIdOf(credential);
  if (issuer === undefined) throw new MalformedCredential('credential.issuer must be a URI or a profile with an id');
  const proofs = credential.proof;
  return verdict([
    fail(
      'signature',
      proofs === undefined
        ? 'the credential carries no proof; Tessera signs credentials as VC-JWT: verify the JWT (?format=jwt)'
        : 'embedded proofs are not supported; Tessera signs credentials as VC-JWT: verify the JWT (?format=jwt)',
    ),
    fail('key', 'not checked: a JSON credential names no signing key'),
    (await knownIssuer(issuer)) ? pass('issuer') : fail('issuer', `unknown issuer ${issuer}`),
    datesCheck(credential.validFrom, credential.validUntil, now),
  ]);
}

/** What verifying a Data Integrity proof needs of the verifier: its keys, and the documents it resolves offline. */
export interface DataIntegrityKeys {
  /** A Multikey id this verifier knows, as a KnownKey (its key event's issuer and window); undefined when unknown. */
  findKey(verificationMethod: string): Promise<KnownKey | undefined>;
  /** A controller document or verification method by URL (see offlineDocumentLoader). */
  resolve(url: string): Promise<unknown>;
}

/**
 * A JSON credential with an embedded eddsa-rdfc-2022 proof: `signature` by Digital Bazaar's jsonld-signatures (the
 * controller document must list the key under `assertionMethod`, the controller be the issuer); `key` a Multikey
 * this verifier holds, not compromised, in force at the proof's `created`; `issuer` the key's issuer; `dates` now.
 */
export async function verifyCredentialDataIntegrity(
  credential: JsonObject,
  keys: DataIntegrityKeys,
  now = new Date(),
): Promise<{ verification: Verification; key?: KnownKey }> {
  const result = await verifyDataIntegrity(credential, (url) => keys.resolve(url));
  const key = result.verificationMethod === undefined ? undefined : await keys.findKey(result.verificationMethod);
  const issuer = issuerIdOf(credential);
  const checks = [
    result.verified
      ? pass('signature')
      : fail('signature', `the Data Integrity proof does not verify: ${result.reason}`),
    key
      ? keyCheck(key, new Date(String(result.created)))
      : fail('key', `unknown verification method ${result.verificationMethod}`),
    !key
      ? fail('issuer', 'not checked: the signing key is unknown')
      : issuer === key.issuerProfileId
        ? pass('issuer')
        : fail('issuer', `issuer ${String(issuer)} is not the key's issuer ${key.issuerProfileId}`),
    datesCheck(credential.validFrom, credential.validUntil, now),
  ];
  return { verification: verdict(checks), ...(key ? { key } : {}) };
}

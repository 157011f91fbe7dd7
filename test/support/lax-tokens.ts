import { SignJWT } from 'jose';

/** Flips the unused low bit of the last base64url character: the bytes decode the same, the spelling differs. */
function strayTrailingBit(part: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(part[part.length - 1]);
  return part.slice(0, -1) + alphabet[last ^ 1];
}

export const LAX_TOKEN_KINDS = [
  'no exp',
  'no iat',
  'exp a century ahead',
  'a life of 25 h',
  'iat a year ahead',
  'iat 2 min ahead',
  'nbf 2 min ahead',
  'padded signature',
  'signature with stray bits',
] as const;

export type LaxTokenKind = (typeof LAX_TOKEN_KINDS)[number];

/**
 * HS256 tokens, signed with `secret` and carrying `claims`, that a lax verifier accepts and Tessera's refuses (issue 13,
 * point 5): no `exp` or `iat`, a life longer than a day, `iat` or `nbf` ahead of now, or a second spelling of a valid
 * token's signature (base64url padding, stray trailing bits). The header and payload have no second spelling that
 * verifies: the signature covers their text.
 */
export async function laxTokens(secret: string, claims: object): Promise<Record<LaxTokenKind, string>> {
  const key = new TextEncoder().encode(secret);
  const now = Math.floor(Date.now() / 1000);
  const signed = (payload: Record<string, unknown>) =>
    new SignJWT({ ...claims, ...payload }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(key);
  const valid = await signed({ iat: now, exp: now + 3600 });
  const [header, payload, signature] = valid.split('.');
  return {
    'no exp': await signed({ iat: now }),
    'no iat': await signed({ exp: now + 3600 }),
    'exp a century ahead': await signed({ iat: now, exp: now + 100 * 365 * 86_400 }),
    'a life of 25 h': await signed({ iat: now, exp: now + 25 * 3600 }),
    'iat a year ahead': await signed({ iat: now + 365 * 86_400, exp: now + 365 * 86_400 + 3600 }),
    'iat 2 min ahead': await signed({ iat: now + 120, exp: now + 3600 }),
    'nbf 2 min ahead': await signed({ iat: now, nbf: now + 120, exp: now + 3600 }),
    'padded signature': `${valid}=`,
    'signature with stray bits': `${header}.${payload}.${strayTrailingBit(signature)}`,
  };
}

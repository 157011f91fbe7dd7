import type { Command } from '../shared/decider';
import type { RecognitionCommand } from './recognition.commands';

export type RegisterIssuer = Command<
  'RegisterIssuer',
  {
    issuerId: string;
    name: string;
    url: string;
    country: string;
    qualityAssurance: string;
    framework?: string;
  }
>;

/**
 * A new signing key for the issuer, made outside the domain (the key material arrives here): from `validFrom` it is
 * the issuer's current key, and the previous key stops signing. `validFrom` is the command's instant, except when
 * recording an issuer's first key that was made before keys were recorded as events (then: when it was made).
 */
export type RotateIssuerKey = Command<
  'RotateIssuerKey',
  {
    issuerId: string;
    keyId: string;
    /** The public JWK; private members are refused. */
    publicJwk: { [member: string]: unknown };
    validFrom?: string;
    /** The Ed25519 key made beside it for Data Integrity proofs, as a Multikey (public part only). */
    multikey?: { id: unknown; publicKeyMultibase: unknown };
  }
>;

/**
 * The issuer reports a signing key as leaked from `since` on. The shell has found what the key may have signed — the
 * issuer's awards and qualifications recorded before the key's window closed, and its status lists — and re-signs
 * them with the current key; the command carries that list so the ledger records it.
 */
export type CompromiseIssuerKey = Command<
  'CompromiseIssuerKey',
  {
    issuerId: string;
    keyId: string;
    since: string;
    resigned: { awardIds: string[]; qualificationIds: string[]; statusListIds: string[] };
  }
>;

export type IssuerCommand = RegisterIssuer | RotateIssuerKey | CompromiseIssuerKey | RecognitionCommand;

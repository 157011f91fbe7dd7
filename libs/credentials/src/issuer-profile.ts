import {
  type CredentialIssuer,
  issuerProfile,
  issuerProfileId,
  type JsonObject,
  OB3_CONTEXT,
} from './achievement-credential';
import { verificationMethod } from './data-integrity';

/** A public signing key of the issuer and when it may sign (until `validUntil`, absent for the current key). */
export interface ProfileKey {
  readonly kid: string;
  /** The public JWK (with kid, alg, use). */
  readonly publicJwk: object;
  readonly validFrom: string;
  readonly validUntil?: string;
  /** The Ed25519 key of the same key event, signing Data Integrity proofs in the same window. */
  readonly multikey?: { readonly id: string; readonly publicKeyMultibase: string };
}

/**
 * The issuer's OB 3.0 `Profile` as a document of its own, with its public keys as `verificationMethod`s: each one's
 * `id` is the key's `kid` (`{profile id}#{thumbprint}`), so a verifier dereferencing a VC-JWT's `kid` finds the key
 * in this document, under `publicKeyJwk`, with its window (`validFrom`, `validUntil`: Tessera extension members).
 * The Ed25519 key of each key event follows it as a `Multikey` (`id` `{profile id}#{publicKeyMultibase}`).
 */
export function issuerProfileDocument(
  publicUrl: string,
  issuer: CredentialIssuer,
  keys: readonly ProfileKey[],
): JsonObject {
  const controller = issuerProfileId(publicUrl, issuer.issuerId);
  return {
    '@context': [...OB3_CONTEXT],
    ...issuerProfile(publicUrl, issuer),
    verificationMethod: keys.flatMap((key) => {
      const window = {
        validFrom: key.validFrom,
        ...(key.validUntil === undefined ? {} : { validUntil: key.validUntil }),
      };
      const jwk = { id: key.kid, type: 'JsonWebKey', controller, publicKeyJwk: key.publicJwk, ...window };
      return key.multikey ? [jwk, { ...verificationMethod({ ...key.multikey, controller }), ...window }] : [jwk];
    }),
  };
}

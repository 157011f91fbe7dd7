import { type Check, MalformedCredential, type Verification } from '@app/credentials';
import { Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { CredentialVerifier } from '../credentials/credential-verifier';

/** A VC-API ProblemDetails entry of `errors` / `warnings`. */
export interface VcApiProblem {
  readonly type: string;
  readonly title: string;
  readonly detail?: string;
}

/** The W3C CCG VC-API verification result: the checks that passed, and why the rest did not. */
export interface VcApiVerificationResult {
  readonly verified: boolean;
  readonly checks: string[];
  readonly warnings: VcApiProblem[];
  readonly errors: VcApiProblem[];
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;
/** VC 2.0 §4.13: a VC-JWT carried in a JSON-LD document, `id` a data: URL of the JWT. */
const ENVELOPED_JWT = /^data:application\/(?:vc|vp)(?:-ld)?\+jwt,(.+)$/;

/** VC-API names of Tessera's checks (`signature` is the credential's proof). */
const CHECK_NAMES: Record<Check['name'], string> = {
  signature: 'proof',
  key: 'key',
  issuer: 'issuer',
  dates: 'validity',
  status: 'credentialStatus',
  ledger: 'ledger',
  'ledger-key': 'ledger-key',
};

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whether a `POST /credentials/verify` body is the VC-API shape `{ verifiableCredential, options? }`. */
export const isVcApiVerifyRequest = (body: unknown): body is { verifiableCredential: unknown } =>
  isObject(body) && 'verifiableCredential' in body;

/** The compact JWS an enveloped (or bare) VC-JWT / VP-JWT carries, if it is one. */
function envelopedJwt(document: unknown): string | undefined {
  if (typeof document === 'string') return COMPACT_JWS.test(document) ? document : undefined;
  if (!isObject(document) || typeof document.id !== 'string') return undefined;
  const types = Array.isArray(document.type) ? document.type : [document.type];
  if (!types.includes('EnvelopedVerifiableCredential') && !types.includes('EnvelopedVerifiablePresentation'))
    return undefined;
  const jwt = ENVELOPED_JWT.exec(document.id)?.[1];
  return jwt !== undefined && COMPACT_JWS.test(jwt) ? jwt : undefined;
}

/**
 * What the api's CredentialVerifier takes for a VC-API `verifiableCredential`: a compact VC-JWT (bare or enveloped),
 * or a JSON credential, whose embedded proof the CredentialVerifier checks (VC-JWT is Tessera's proof today; Data
 * Integrity proofs arrive there, with nothing to change here). Anything else is a MalformedCredential.
 */
export function vcApiVerifyInput(document: unknown): { jwt: string } | { credential: Record<string, unknown> } {
  const jwt = envelopedJwt(document);
  if (jwt !== undefined) return { jwt };
  if (isObject(document)) return { credential: document };
  throw new MalformedCredential(
    'verifiableCredential must be a credential (JSON), a compact VC-JWT, or an EnvelopedVerifiableCredential',
  );
}

/** The api's verification in the VC-API form: the names of the checks that passed, and a problem for each other. */
export function vcApiResult({ verified, checks }: Verification): VcApiVerificationResult {
  return {
    verified,
    checks: checks.filter((check) => check.ok).map((check) => CHECK_NAMES[check.name]),
    warnings: [],
    errors: checks
      .filter((check) => !check.ok)
      .map((check) => ({
        type: `urn:tessera:check:${CHECK_NAMES[check.name]}`,
        title: `the ${CHECK_NAMES[check.name]} check failed`,
        ...(check.reason === undefined ? {} : { detail: check.reason }),
      })),
  };
}

/** VC-API `POST /presentations/verify` over the api's one CredentialVerifier. */
@Injectable()
export class VcApiVerification {
  constructor(private readonly verifier: CredentialVerifier) {}

  /** `{ verifiableCredential, options }` → the VC-API result; input that is no credential is a MalformedCredential. */
  async verifyCredential(body: { verifiableCredential: unknown }): Promise<VcApiVerificationResult> {
    return vcApiResult(await this.verifier.verify(vcApiVerifyInput(body.verifiableCredential)));
  }

  /**
   * `{ verifiablePresentation, options }`: every credential the presentation holds is verified; the presentation's
   * own proof (a holder's signature) is not checked, and is reported as a warning.
   */
  async verifyPresentation(
    body: unknown,
  ): Promise<VcApiVerificationResult & { credentialResults: VcApiVerificationResult[] }> {
    const document = isObject(body) ? body.verifiablePresentation : undefined;
    const presentation = presentationOf(document);
    const types = Array.isArray(presentation.type) ? presentation.type : [presentation.type];
    if (!types.includes('VerifiablePresentation'))
      throw new MalformedCredential('verifiablePresentation.type must include "VerifiablePresentation"');
    const held = presentation.verifiableCredential;
    const credentials = held === undefined ? [] : Array.isArray(held) ? held : [held];
    const credentialResults: VcApiVerificationResult[] = [];
    for (const verifiableCredential of credentials)
      credentialResults.push(await this.verifyCredential({ verifiableCredential }));
    const failed = credentialResults.filter((result) => !result.verified).length;
    const holderProof = envelopedJwt(document) !== undefined || presentation.proof !== undefined;
    return {
      verified: failed === 0,
      checks: failed === 0 ? ['credentials'] : [],
      warnings: [
        {
          type: 'urn:tessera:check:presentation-proof',
          title: holderProof ? 'the presentation’s proof is not checked' : 'the presentation carries no proof',
          detail: 'Tessera verifies the credentials a presentation holds, not who presents them',
        },
      ],
      errors:
        failed === 0
          ? []
          : [
              {
                type: 'urn:tessera:check:credentials',
                title: 'the credentials check failed',
                detail: `${failed} of ${credentialResults.length} credentials did not verify (see credentialResults)`,
              },
            ],
      credentialResults,
    };
  }
}

/** A presentation as JSON, or the `vp` claim of a VP-JWT (bare or enveloped). */
function presentationOf(document: unknown): Record<string, unknown> {
  const jwt = envelopedJwt(document);
  if (jwt !== undefined) {
    let vp: unknown;
    try {
      vp = decodeJwt(jwt).vp;
    } catch {
      vp = undefined;
    }
    if (isObject(vp)) return vp;
    throw new MalformedCredential('the presentation JWT holds no presentation ("vp" claim)');
  }
  if (!isObject(document))
    throw new MalformedCredential(
      'the body must be { "verifiablePresentation": <a presentation, a VP-JWT or an EnvelopedVerifiablePresentation> }',
    );
  return document;
}

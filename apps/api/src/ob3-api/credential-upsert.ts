import { issuerIdOf, type JsonObject, MalformedCredential, ob3SchemaValidator } from '@app/credentials';
import { HttpStatus, Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { CredentialVerifier } from '../credentials/credential-verifier';
import { type ExternalCredential, ExternalCredentialStore } from './external-credentials.store';
import { ImsxError } from './imsx';

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/;

const invalid = (description: string) => new ImsxError(HttpStatus.BAD_REQUEST, description, 'invalid_data');

/**
 * `POST /ims/ob/v3p0/credentials`: a credential issued elsewhere, as a compact VC-JWT or a JSON credential, checked
 * before it is kept — it must pass 1EdTech's OB 3.0 AchievementCredential schema, and its proof must verify wherever
 * the verifier resolves the signing key (a credential whose key cannot be resolved is kept, marked unverified).
 * Proofs are checked by the api's CredentialVerifier: VC-JWT today, embedded Data Integrity proofs where it learns them.
 */
@Injectable()
export class CredentialUpsert {
  private readonly schema = ob3SchemaValidator();

  constructor(
    private readonly verifier: CredentialVerifier,
    private readonly store: ExternalCredentialStore,
  ) {}

  async upsert(learnerId: string, body: unknown): Promise<{ created: boolean }> {
    const jwt = typeof body === 'string' ? body.trim() : undefined;
    if (jwt !== undefined && !COMPACT_JWS.test(jwt))
      throw invalid('a text/plain body must be a credential as a compact JWS (VC-JWT)');
    if (jwt === undefined && (typeof body !== 'object' || body === null || Array.isArray(body)))
      throw invalid('the body must be an AchievementCredential (application/json) or a VC-JWT (text/plain)');
    const credential = jwt === undefined ? (body as JsonObject) : credentialOfJwt(jwt);
    const schema = this.schema(credential);
    if (!schema.valid) throw invalid(`not an OB 3.0 AchievementCredential: ${schema.errors.slice(0, 5).join('; ')}`);
    let checks;
    try {
      ({ checks } = await this.verifier.verify(jwt === undefined ? { credential } : { jwt }));
    } catch (error) {
      if (error instanceof MalformedCredential) throw invalid(error.message);
      throw error;
    }
    const passed = (name: string) => checks.some((check) => check.name === name && check.ok);
    // A resolved key whose signature does not match: altered or forged. An unresolved key: kept, unverified.
    if (passed('key') && !passed('signature'))
      throw invalid('the credential’s proof does not verify with its issuer’s key (altered or forged)');
    const held: ExternalCredential = {
      credentialId: String(credential.id),
      issuer: issuerIdOf(credential) ?? '',
      format: jwt === undefined ? 'json' : 'jwt',
      credential: jwt ?? JSON.stringify(credential),
      signatureVerified: passed('signature'),
      ...(typeof credential.validFrom === 'string' ? { validFrom: credential.validFrom } : {}),
    };
    return this.store.upsert(learnerId, held);
  }
}

function credentialOfJwt(jwt: string): JsonObject {
  try {
    const { vc } = decodeJwt(jwt);
    if (typeof vc === 'object' && vc !== null && !Array.isArray(vc)) return vc as JsonObject;
  } catch {
    // reported below
  }
  throw invalid('the JWT’s payload holds no credential ("vc" claim)');
}

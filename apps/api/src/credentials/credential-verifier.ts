import { StreamCommands } from '@app/application';
import type { TesseraConfig } from '@app/config';
import {
  checkCredentialStatus,
  CRYPTOSUITE,
  issuerIdOf,
  issuerProfileId,
  type JsonObject,
  type KnownKey,
  MalformedCredential,
  proofsOf,
  type Verification,
  verifyCredentialDataIntegrity,
  verifyCredentialJson,
  verifyCredentialJwt,
} from '@app/credentials';
import { type Issuer, issuerDecider, type IssuerEvent, issuerStream } from '@app/domain';
import { Inject, Injectable } from '@nestjs/common';
import { decodeJwt } from 'jose';
import { TESSERA_CONFIG } from '../storage.tokens';
import { IssuerKeyStore } from './issuer-key.store';
import { LedgerRecords } from './ledger-records';
import { StatusLists } from './status-lists';

/**
 * Verifying a credential — a compact VC-JWT, or a JSON credential with an embedded Data Integrity proof — for
 * `POST /credentials/verify` and `tessera verify`. Input that is no credential at all is a MalformedCredential.
 */
@Injectable()
export class CredentialVerifier {
  constructor(
    private readonly keys: IssuerKeyStore,
    private readonly streams: StreamCommands,
    private readonly statusLists: StatusLists,
    private readonly ledger: LedgerRecords,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  async verify(body: unknown): Promise<Verification> {
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new MalformedCredential('the body must be { "jwt": "<compact VC-JWT>" } or { "credential": { … } }');
    const { jwt, credential } = body as { jwt?: unknown; credential?: unknown };
    if (jwt !== undefined && credential === undefined) {
      if (typeof jwt !== 'string' || !/^[\w-]+\.[\w-]+\.[\w-]+$/.test(jwt))
        throw new MalformedCredential('jwt must be a compact JWS: three base64url parts separated by dots');
      return this.verifyJwt(jwt);
    }
    if (credential !== undefined && jwt === undefined) {
      if (typeof credential === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(credential))
        return this.verifyJwt(credential);
      if (typeof credential !== 'object' || credential === null || Array.isArray(credential))
        throw new MalformedCredential('credential must be a JSON object (or send { "jwt": "…" })');
      if (proofsOf(credential as JsonObject).some((proof) => proof.cryptosuite === CRYPTOSUITE))
        return this.verifyDataIntegrity(credential as JsonObject);
      return this.withStatus(
        await verifyCredentialJson(credential as JsonObject, (issuer) => this.knownIssuer(issuer)),
        credential as JsonObject,
      );
    }
    throw new MalformedCredential('send exactly one of "jwt" (a compact VC-JWT) or "credential" (a JSON credential)');
  }

  /**
   * A VC-JWT: the checks any verifier can make, then — when a key of this instance signed it — the ledger's (which
   * record it is, which keys may sign it); a JWT of a key Tessera does not hold gets no ledger checks.
   */
  private async verifyJwt(jwt: string): Promise<Verification> {
    let signer: KnownKey | undefined;
    const verification = await verifyCredentialJwt(jwt, async (kid) => (signer = await this.keys.find(kid)));
    const credential = credentialOfJwt(jwt);
    const ledger = signer && credential ? await this.ledger.checks(credential, signer) : [];
    return this.withStatus({ ...verification, checks: [...verification.checks, ...ledger] }, credential);
  }

  /**
   * A JSON credential with an eddsa-rdfc-2022 proof: the checks any Data Integrity verifier makes (keys resolved from
   * this instance's key store, contexts bundled), then — for a key of this instance — the ledger's, as for a JWT.
   */
  private async verifyDataIntegrity(credential: JsonObject): Promise<Verification> {
    if (issuerIdOf(credential) === undefined)
      throw new MalformedCredential('credential.issuer must be a URI or a profile with an id');
    const { verification, key } = await verifyCredentialDataIntegrity(credential, {
      findKey: (id) => this.keys.findMultikey(id),
      resolve: (url) => this.keys.resolve(url),
    });
    const ledger = key ? await this.ledger.checks(credential, key) : [];
    return this.withStatus({ ...verification, checks: [...verification.checks, ...ledger] }, credential);
  }

  /** Adds the status check, run on the credential's own credentialStatus as an outside verifier would. */
  private async withStatus(verification: Verification, credential: JsonObject | undefined): Promise<Verification> {
    const status = credential
      ? await checkCredentialStatus(credential, (url) => this.statusLists.fetchVerified(url))
      : { name: 'status' as const, ok: false, reason: 'not checked: the JWT payload holds no credential ("vc" claim)' };
    const checks = [...verification.checks, status];
    return { verified: checks.every((check) => check.ok), checks };
  }

  private async knownIssuer(profileId: string): Promise<boolean> {
    const prefix = issuerProfileId(this.config.publicUrl, '');
    if (!profileId.startsWith(prefix)) return false;
    const issuerId = decodeURIComponent(profileId.slice(prefix.length));
    if (issuerId === '' || issuerId.includes('/')) return false;
    try {
      const issuer = await this.streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider);
      return issuer.status === 'registered';
    } catch {
      return false; // not a valid issuer id
    }
  }
}

/** The credential a VC-JWT carries (its `vc` claim), or undefined when the payload does not decode to one. */
function credentialOfJwt(jwt: string): JsonObject | undefined {
  try {
    const { vc } = decodeJwt(jwt);
    return typeof vc === 'object' && vc !== null && !Array.isArray(vc) ? (vc as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

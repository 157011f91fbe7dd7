import type { TesseraConfig } from '@app/config';
import { issuerIdOf, type JsonObject } from '@app/credentials';
import { requireIssuer } from '@app/domain';
import { HttpException, HttpStatus, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { AwardCredentials } from '../credentials/award-credentials';
import { IssuerKeyStore } from '../credentials/issuer-key.store';
import { TESSERA_CONFIG } from '../storage.tokens';

const notALedgerAward = (detail: string) =>
  new HttpException(
    { type: 'urn:tessera:problem:not-a-ledger-award', title: 'Refused by a domain rule', message: detail },
    HttpStatus.UNPROCESSABLE_ENTITY,
  );

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * VC-API issuance without a second source of truth: the credential must name an award the ledger holds (its `id`, as
 * `GET /awards/:awardId/credential` gives it), and what is signed is the ledger's credential of that award, with the
 * issuer's current key, exactly as `?format=jwt` signs it. Anything else is refused (422).
 */
@Injectable()
export class CredentialIssuance {
  constructor(
    private readonly awards: AwardCredentials,
    private readonly keys: IssuerKeyStore,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  async issue(actor: Actor, body: unknown): Promise<{ verifiableCredential: string }> {
    const credential = isObject(body) ? body.credential : undefined;
    if (!isObject(credential))
      throw notALedgerAward(
        'the body must be { "credential": { "id": "<the award’s credential URL>", … }, "options" }',
      );
    const awardId = this.awardIdOf(credential.id);
    let built;
    try {
      built = await this.awards.build(awardId);
    } catch (error) {
      if (error instanceof NotFoundException) throw notALedgerAward(`the ledger holds no award ${awardId}`);
      throw error;
    }
    requireIssuer(actor, built.issuerId, 'sign credentials');
    const claimed = issuerIdOf(credential as JsonObject);
    const ledgerIssuer = issuerIdOf(built.credential);
    if (claimed !== undefined && claimed !== ledgerIssuer)
      throw notALedgerAward(`the award ${awardId} was issued by ${ledgerIssuer}, not ${claimed}`);
    // Tessera's proof is an OB 3.0 VC-JWT (a `vc` claim), answered as the compact JWS: wrapping it in a
    // data:application/vc+jwt envelope would claim a VC-JOSE payload it is not. A credential with an embedded Data
    // Integrity proof, once the credential builder signs one, is VC-API's native answer here.
    return { verifiableCredential: await this.keys.sign(built.issuerId, built.credential) };
  }

  private awardIdOf(id: unknown): string {
    const prefix = `${this.config.publicUrl}/awards/`;
    const awardId =
      typeof id === 'string' && id.startsWith(prefix) && id.endsWith('/credential')
        ? decodeURIComponent(id.slice(prefix.length, -'/credential'.length))
        : undefined;
    if (awardId === undefined || awardId.length === 0 || awardId.includes('/'))
      throw notALedgerAward(
        `credential.id must name an award of this ledger: ${prefix}<awardId>/credential (Tessera signs only what it awarded)`,
      );
    return awardId;
  }
}

import type { TesseraConfig } from '@app/config';
import {
  type Check,
  type JsonObject,
  type KnownKey,
  ledgerCheck,
  ledgerKeyCheck,
  type LedgerRecord,
} from '@app/credentials';
import { HttpException, Inject, Injectable } from '@nestjs/common';
import { TESSERA_CONFIG } from '../storage.tokens';
import { AwardCredentials } from './award-credentials';
import { QualificationCredentials } from './qualification-credentials';

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Tessera's own credentials checked against the ledger (`ledger`, `ledger-key`): an award's or qualification's
 * credential must be a record this ledger made, claiming what the ledger holds, signed by a key that may sign it; a
 * CLR, each credential it embeds. The ledger's recording time decides which keys may sign, never the JWT's `iat`.
 */
@Injectable()
export class LedgerRecords {
  constructor(
    private readonly awards: AwardCredentials,
    private readonly qualifications: QualificationCredentials,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  async checks(credential: JsonObject, key: KnownKey): Promise<Check[]> {
    const types = Array.isArray(credential.type) ? credential.type : [credential.type];
    const embedded = (credential.credentialSubject as JsonObject | undefined)?.verifiableCredential;
    const claimed = types.includes('ClrCredential')
      ? (Array.isArray(embedded) ? embedded : []).filter(isObject)
      : [credential];
    const records: (LedgerRecord | undefined)[] = [];
    for (const each of claimed) records.push(await this.recordOf(each.id));
    const found = records.filter((record): record is LedgerRecord => record !== undefined);
    return [
      ledgerCheck(claimed, records, key),
      found.length === 0
        ? { name: 'ledger-key', ok: false, reason: 'not checked: the ledger holds no record this credential names' }
        : ledgerKeyCheck(key, found),
    ];
  }

  /** The award or qualification a credential id names, as the ledger holds it; undefined when there is none. */
  private async recordOf(id: unknown): Promise<LedgerRecord | undefined> {
    const awardId = this.idIn(id, 'awards');
    const qualificationId = this.idIn(id, 'qualifications');
    try {
      if (awardId !== undefined) {
        const { credential, issuerId, issuedAt } = await this.awards.build(awardId);
        return { name: `award ${awardId}`, issuerId, recordedAt: new Date(issuedAt), credential };
      }
      if (qualificationId !== undefined) {
        const { credential, entry } = await this.qualifications.build(qualificationId);
        const { issuerId, conferredAt } = entry;
        return { name: `qualification ${qualificationId}`, issuerId, recordedAt: new Date(conferredAt), credential };
      }
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === 404) return undefined;
      throw error;
    }
    return undefined;
  }

  /** `{publicUrl}/{collection}/{id}/credential` → the id. */
  private idIn(id: unknown, collection: string): string | undefined {
    const prefix = `${this.config.publicUrl}/${collection}/`;
    if (typeof id !== 'string' || !id.startsWith(prefix) || !id.endsWith('/credential')) return undefined;
    const encoded = id.slice(prefix.length, -'/credential'.length);
    if (encoded === '' || encoded.includes('/')) return undefined;
    try {
      return decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
  }
}

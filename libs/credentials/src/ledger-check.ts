import { type JsonObject, subjectOf } from './achievement-credential';
import { type Check, issuerIdOf, type KnownKey } from './vc-jwt';

/** An award or qualification as the ledger holds it, for checking a credential that claims to be its. */
export interface LedgerRecord {
  /** For reasons: `award {awardId}`, `qualification {qualificationId}`. */
  readonly name: string;
  readonly issuerId: string;
  /** When the ledger made it (its issuedAt / conferredAt), which no signer chooses. */
  readonly recordedAt: Date;
  /** Its credential as the ledger builds it now. */
  readonly credential: JsonObject;
}

const achievementIdOf = (credential: JsonObject): unknown =>
  ((credential.credentialSubject as JsonObject | undefined)?.achievement as JsonObject | undefined)?.id;

/** What a credential claims that the ledger decides: who issued it, to whom, for what, when, and its status entry. */
const COMPARED: ReadonlyArray<readonly [string, (credential: JsonObject) => unknown]> = [
  ['issuer', issuerIdOf],
  ['subject', subjectOf],
  ['achievement', achievementIdOf],
  ['validFrom', (credential) => credential.validFrom],
  ['validUntil', (credential) => credential.validUntil],
  ['credentialStatus', (credential) => credential.credentialStatus],
];

const fail = (name: 'ledger' | 'ledger-key', reason: string): Check => ({ name, ok: false, reason });

/**
 * `ledger`: each credential is a record of this ledger made by the key's issuer, and claims what the ledger holds for
 * it. `records[i]` is the record `claimed[i]` names (undefined when the ledger has none).
 */
export function ledgerCheck(
  claimed: readonly JsonObject[],
  records: readonly (LedgerRecord | undefined)[],
  key: KnownKey,
): Check {
  if (claimed.length === 0) return fail('ledger', 'not-in-ledger: the credential holds no record of this ledger');
  for (const [index, credential] of claimed.entries()) {
    const record = records[index];
    if (!record)
      return fail('ledger', `not-in-ledger: ${String(credential.id)} is no award or qualification this ledger made`);
    if (record.issuerId !== key.issuerId)
      return fail('ledger', `not-in-ledger: ${record.name} was made by ${record.issuerId}, not by the key's issuer`);
    const differing = COMPARED.filter(
      ([, read]) => JSON.stringify(read(credential)) !== JSON.stringify(read(record.credential)),
    ).map(([label]) => label);
    if (differing.length > 0)
      return fail(
        'ledger',
        `not-in-ledger: its ${differing.join(', ')} differ from what the ledger holds for ${record.name}`,
      );
  }
  return { name: 'ledger', ok: true };
}

/**
 * `ledger-key`: the key may sign each record — it had not been rotated out when the ledger made it. A record's
 * credential is signed on demand by the issuer's current key, so the key in force when it was made and every key
 * rotated in since may sign it; a key rotated out before never did.
 */
export function ledgerKeyCheck(key: KnownKey, records: readonly LedgerRecord[]): Check {
  for (const record of records)
    if (key.validUntil !== undefined && key.validUntil <= record.recordedAt)
      return fail(
        'ledger-key',
        `key-not-in-force: the key ${key.kid} stopped signing at ${key.validUntil.toISOString()}, before the ledger made ${record.name} at ${record.recordedAt.toISOString()}`,
      );
  return { name: 'ledger-key', ok: true };
}

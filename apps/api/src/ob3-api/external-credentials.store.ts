import type { SqlClient } from '@app/event-store';

/** A credential issued elsewhere that a learner's wallet (or an institution's system) upserted. */
export interface ExternalCredential {
  readonly credentialId: string;
  readonly issuer: string;
  /** `jwt`: `credential` is a compact VC-JWT; `json`: a JSON credential's text as received. */
  readonly format: 'json' | 'jwt';
  readonly credential: string;
  /** Whether its proof was checked against a key Tessera could resolve (else it is kept, unverified). */
  readonly signatureVerified: boolean;
  readonly validFrom?: string;
}

/**
 * Learners' external credentials: kept and served back through the OB 3.0 API, never read by stacking — an outside
 * credential counts toward a pathway only through a recognition an issuer records.
 */
export class ExternalCredentialStore {
  constructor(private readonly sql: SqlClient) {}

  /** Inserts or replaces the learner's credential of that id; answers whether it was new. */
  async upsert(learnerId: string, held: ExternalCredential): Promise<{ created: boolean }> {
    const [row] = await this.sql.query<{ created: boolean }>(
      `INSERT INTO tessera_external_credentials
         (learner_id, credential_id, issuer, format, credential, signature_verified, valid_from)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (learner_id, credential_id) DO UPDATE SET issuer = EXCLUDED.issuer, format = EXCLUDED.format,
         credential = EXCLUDED.credential, signature_verified = EXCLUDED.signature_verified,
         valid_from = EXCLUDED.valid_from, received_at = now()
       RETURNING (xmax = 0) AS created`,
      [
        learnerId,
        held.credentialId,
        held.issuer,
        held.format,
        held.credential,
        held.signatureVerified,
        held.validFrom ?? null,
      ],
    );
    return { created: row.created };
  }

  async list(learnerId: string): Promise<ExternalCredential[]> {
    const rows = await this.sql.query<{
      credential_id: string;
      issuer: string;
      format: 'json' | 'jwt';
      credential: string;
      signature_verified: boolean;
      valid_from: Date | null;
    }>(
      `SELECT credential_id, issuer, format, credential, signature_verified, valid_from
       FROM tessera_external_credentials WHERE learner_id = $1 ORDER BY received_at, credential_id`,
      [learnerId],
    );
    return rows.map((row) => ({
      credentialId: row.credential_id,
      issuer: row.issuer,
      format: row.format,
      credential: row.credential,
      signatureVerified: row.signature_verified,
      ...(row.valid_from === null ? {} : { validFrom: new Date(row.valid_from).toISOString() }),
    }));
  }
}

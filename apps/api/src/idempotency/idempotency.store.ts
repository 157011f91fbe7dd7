import type { SqlClient } from '@app/event-store';

export interface StoredResponse {
  readonly status: number;
  readonly body: unknown;
}

/** What claiming a key found. */
export type KeyClaim =
  /** The key was free: it is now this request's, pending until completed or released. */
  | { readonly state: 'claimed' }
  /** The key is another request's (another fingerprint), pending or answered. */
  | { readonly state: 'reused' }
  /** The same request holds it, still running (a concurrent twin): run it too, the ledger knows the command. */
  | { readonly state: 'pending' }
  /** The same request was answered: replay the answer. */
  | { readonly state: 'answered'; readonly response: StoredResponse };

const MAX_CLAIM_ATTEMPTS = 5;

/** Idempotency-Keys by caller: claimed atomically with the request's fingerprint, then the first answer kept. */
export class IdempotencyStore {
  constructor(private readonly sql: SqlClient) {}

  /** Claims the key for this fingerprint in one INSERT, or says who holds it. */
  async claim(subject: string, key: string, requestHash: string): Promise<KeyClaim> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const inserted = await this.sql.query(
        `INSERT INTO tessera_idempotency (subject, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (subject, key) DO NOTHING RETURNING 1`,
        [subject, key, requestHash],
      );
      if (inserted.length > 0) return { state: 'claimed' };
      const [row] = await this.sql.query<{ request_hash: string; status: number | null; body: unknown }>(
        'SELECT request_hash, status, body FROM tessera_idempotency WHERE subject = $1 AND key = $2',
        [subject, key],
      );
      // Released between the two statements (its command failed): claim it again.
      if (!row) continue;
      if (row.request_hash !== requestHash) return { state: 'reused' };
      if (row.status === null) return { state: 'pending' };
      return { state: 'answered', response: { status: row.status, body: row.body } };
    }
    // Claimed and released over and over by failing twins: as good as running alongside them.
    return { state: 'pending' };
  }

  /** Keeps the first answer of a claimed key; a twin that finishes later changes nothing. */
  async complete(subject: string, key: string, requestHash: string, response: StoredResponse): Promise<void> {
    await this.sql.query(
      `UPDATE tessera_idempotency SET status = $4, body = $5::json
       WHERE subject = $1 AND key = $2 AND request_hash = $3 AND status IS NULL`,
      [subject, key, requestHash, response.status, JSON.stringify(response.body)],
    );
  }

  /** Frees a key whose command failed, so that a retry is decided afresh; an answered key stays answered. */
  async release(subject: string, key: string, requestHash: string): Promise<void> {
    await this.sql.query(
      'DELETE FROM tessera_idempotency WHERE subject = $1 AND key = $2 AND request_hash = $3 AND status IS NULL',
      [subject, key, requestHash],
    );
  }
}

import type { SqlClient } from '@app/event-store';

export const IDEMPOTENCY_MIGRATION = `CREATE TABLE IF NOT EXISTS tessera_idempotency (
  subject text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer NOT NULL,
  body json NOT NULL, -- json, not jsonb: a replay repeats the first answer byte for byte, key order included
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, key)
)`;

export interface StoredResponse {
  readonly requestHash: string;
  readonly status: number;
  readonly body: unknown;
}

/** First responses by (caller, Idempotency-Key), kept so a repeat is answered the same and a reuse is caught. */
export class IdempotencyStore {
  constructor(private readonly sql: SqlClient) {}

  async find(subject: string, key: string): Promise<StoredResponse | undefined> {
    const [row] = await this.sql.query<{ request_hash: string; status: number; body: unknown }>(
      'SELECT request_hash, status, body FROM tessera_idempotency WHERE subject = $1 AND key = $2',
      [subject, key],
    );
    return row && { requestHash: row.request_hash, status: row.status, body: row.body };
  }

  /** Keeps the first response; a concurrent duplicate (same command, same events) changes nothing. */
  async remember(subject: string, key: string, response: StoredResponse): Promise<void> {
    await this.sql.query(
      `INSERT INTO tessera_idempotency (subject, key, request_hash, status, body) VALUES ($1, $2, $3, $4, $5::json)
       ON CONFLICT (subject, key) DO NOTHING`,
      [subject, key, response.requestHash, response.status, JSON.stringify(response.body)],
    );
  }
}

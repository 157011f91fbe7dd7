import { randomBytes } from 'node:crypto';
import type { SqlClient } from '@app/event-store';

export interface LearnerProfile {
  readonly learnerId: string;
  readonly name: string;
  readonly email: string;
  /** Salts the hashed email that identifies the learner in credentials; erased with the profile. */
  readonly identitySalt: string;
}

/**
 * The only place personal data is kept: a row per learner, deleted on erasure, with the learner's fingerprint key (the
 * secret that keys the Idempotency-Key fingerprints of requests carrying that data), deleted with it.
 */
export class LearnerProfileStore {
  constructor(private readonly sql: SqlClient) {}

  async save(learnerId: string, name: string, email: string): Promise<void> {
    await this.sql.query(
      `INSERT INTO tessera_learner_profiles (learner_id, name, email, identity_salt) VALUES ($1, $2, $3, $4)
       ON CONFLICT (learner_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, updated_at = now()`,
      [learnerId, name, email, randomBytes(16).toString('hex')],
    );
  }

  async find(learnerId: string): Promise<LearnerProfile | undefined> {
    const [row] = await this.sql.query<{ name: string; email: string; identity_salt: string }>(
      'SELECT name, email, identity_salt FROM tessera_learner_profiles WHERE learner_id = $1',
      [learnerId],
    );
    return row && { learnerId, name: row.name, email: row.email, identitySalt: row.identity_salt };
  }

  /** The learner's fingerprint key, made on first use; after erasure a new one, so earlier fingerprints stay opaque. */
  async fingerprintKey(learnerId: string): Promise<string> {
    const [row] = await this.sql.query<{ key: string }>(
      `INSERT INTO tessera_learner_fingerprint_keys (learner_id, key) VALUES ($1, $2)
       ON CONFLICT (learner_id) DO UPDATE SET learner_id = EXCLUDED.learner_id RETURNING key`,
      [learnerId, randomBytes(32).toString('hex')],
    );
    return row.key;
  }

  /**
   * Deletes the personal data, the fingerprint key and the credentials the learner's wallet upserted from elsewhere
   * (which name the learner) together, in one statement.
   */
  async erase(learnerId: string): Promise<void> {
    await this.sql.query(
      `WITH key AS (DELETE FROM tessera_learner_fingerprint_keys WHERE learner_id = $1),
         outside AS (DELETE FROM tessera_external_credentials WHERE learner_id = $1)
       DELETE FROM tessera_learner_profiles WHERE learner_id = $1`,
      [learnerId],
    );
  }
}

import { randomBytes } from 'node:crypto';
import type { SqlClient } from '@app/event-store';

export const LEARNER_PROFILES_MIGRATION = `CREATE TABLE IF NOT EXISTS tessera_learner_profiles (
  learner_id text PRIMARY KEY,
  name text NOT NULL,
  email text NOT NULL,
  identity_salt text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

export interface LearnerProfile {
  readonly learnerId: string;
  readonly name: string;
  readonly email: string;
  /** Salts the hashed email that identifies the learner in credentials; erased with the profile. */
  readonly identitySalt: string;
}

/** The only place personal data is kept: a row per learner, deleted on erasure. */
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

  async erase(learnerId: string): Promise<void> {
    await this.sql.query('DELETE FROM tessera_learner_profiles WHERE learner_id = $1', [learnerId]);
  }
}

import { createHash, randomBytes } from 'node:crypto';
import type { SqlClient } from '@app/event-store';

export interface LearnerProfile {
  readonly learnerId: string;
  readonly name: string;
  readonly email: string;
  /** Salts the hashed email that identifies the learner in credentials; erased with the profile. */
  readonly identitySalt: string;
  /** How the learner is known to a learning platform (an xAPI account): its home page and the name it gives them. */
  readonly xapiAccount?: XapiAccount;
}

export interface XapiAccount {
  readonly homePage: string;
  readonly name: string;
}

/** What of an xAPI actor can name a learner: account, mbox, or mbox_sha1sum. */
export interface XapiActorIfi {
  readonly mbox?: string;
  readonly mbox_sha1sum?: string;
  readonly account?: XapiAccount;
}

/** The xAPI `mbox_sha1sum` of an email: SHA-1 (hex) of `mailto:` and the email in lower case. */
export const mboxSha1Sum = (email: string): string =>
  createHash('sha1').update(`mailto:${email.toLowerCase()}`).digest('hex');

/**
 * The only place personal data is kept: a row per learner, deleted on erasure, with the learner's fingerprint key (the
 * secret that keys the Idempotency-Key fingerprints of requests carrying that data), deleted with it.
 */
export class LearnerProfileStore {
  constructor(private readonly sql: SqlClient) {}

  async save(learnerId: string, name: string, email: string, xapiAccount?: XapiAccount): Promise<void> {
    await this.sql.query(
      `INSERT INTO tessera_learner_profiles
         (learner_id, name, email, identity_salt, xapi_home_page, xapi_account_name, email_sha1)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (learner_id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email,
         xapi_home_page = EXCLUDED.xapi_home_page, xapi_account_name = EXCLUDED.xapi_account_name,
         email_sha1 = EXCLUDED.email_sha1, updated_at = now()`,
      [
        learnerId,
        name,
        email,
        randomBytes(16).toString('hex'),
        xapiAccount?.homePage ?? null,
        xapiAccount?.name ?? null,
        mboxSha1Sum(email),
      ],
    );
  }

  /**
   * The learner an xAPI actor is: by account (home page and name), else by mbox (`mailto:` + the profile's email,
   * compared without case), else by mbox_sha1sum (of `mailto:` + the email in lower case). Undefined when no profile
   * matches, or when an mbox or mbox_sha1sum matches several.
   */
  async learnerOfXapiActor(actor: XapiActorIfi): Promise<string | undefined> {
    if (actor.account) {
      const [row] = await this.sql.query<{ learner_id: string }>(
        'SELECT learner_id FROM tessera_learner_profiles WHERE xapi_home_page = $1 AND xapi_account_name = $2',
        [actor.account.homePage, actor.account.name],
      );
      return row?.learner_id;
    }
    const rows = actor.mbox?.toLowerCase().startsWith('mailto:')
      ? await this.sql.query<{ learner_id: string }>(
          'SELECT learner_id FROM tessera_learner_profiles WHERE lower(email) = lower($1) LIMIT 2',
          [actor.mbox.slice('mailto:'.length)],
        )
      : actor.mbox === undefined && actor.mbox_sha1sum !== undefined
        ? await this.sql.query<{ learner_id: string }>(
            'SELECT learner_id FROM tessera_learner_profiles WHERE email_sha1 = lower($1) LIMIT 2',
            [actor.mbox_sha1sum],
          )
        : [];
    return rows.length === 1 ? rows[0].learner_id : undefined;
  }

  /**
   * How the learner an xAPI actor is (as learnerOfXapiActor finds them) is known to platforms: the profile's email and
   * xAPI account, so that a statement query for one of them finds statements that name the learner by the other.
   */
  async xapiIdentitiesOf(actor: XapiActorIfi): Promise<{ email: string; account?: XapiAccount } | undefined> {
    const learnerId = await this.learnerOfXapiActor(actor);
    const profile = learnerId === undefined ? undefined : await this.find(learnerId);
    return profile && { email: profile.email, ...(profile.xapiAccount ? { account: profile.xapiAccount } : {}) };
  }

  async find(learnerId: string): Promise<LearnerProfile | undefined> {
    const [row] = await this.sql.query<{
      name: string;
      email: string;
      identity_salt: string;
      xapi_home_page: string | null;
      xapi_account_name: string | null;
    }>(
      `SELECT name, email, identity_salt, xapi_home_page, xapi_account_name FROM tessera_learner_profiles
       WHERE learner_id = $1`,
      [learnerId],
    );
    return (
      row && {
        learnerId,
        name: row.name,
        email: row.email,
        identitySalt: row.identity_salt,
        ...(row.xapi_home_page !== null && row.xapi_account_name !== null
          ? { xapiAccount: { homePage: row.xapi_home_page, name: row.xapi_account_name } }
          : {}),
      }
    );
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
   * Deletes the personal data, the fingerprint key, the credentials the learner's wallet upserted from elsewhere and
   * the xAPI statements about them (all of which name the learner) together, in one statement.
   */
  async erase(learnerId: string): Promise<void> {
    await this.sql.query(
      `WITH key AS (DELETE FROM tessera_learner_fingerprint_keys WHERE learner_id = $1),
         outside AS (DELETE FROM tessera_external_credentials WHERE learner_id = $1),
         statements AS (DELETE FROM tessera_xapi_statements WHERE learner_id = $1)
       DELETE FROM tessera_learner_profiles WHERE learner_id = $1`,
      [learnerId],
    );
  }
}

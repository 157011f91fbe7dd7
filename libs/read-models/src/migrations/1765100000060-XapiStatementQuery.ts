import { createHash } from 'node:crypto';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statement query of the xAPI statements resource (GET /xapi/statements without an id): `seq`, the order in
 * which statements were stored, which a `more` cursor points into (a position, not an offset, so appends between
 * pages shift nothing), and the index that pages an issuer's statements by it. And the `mbox_sha1sum` of a learner's
 * email (`mailto:` + the email in lower case, SHA-1 in hex), beside it in the erasable profile, by which statements
 * that name a learner that way are matched to them (PostgreSQL has no SHA-1 of its own: the api computes it).
 */
export class XapiStatementQuery1765100000060 implements MigrationInterface {
  name = 'XapiStatementQuery1765100000060';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tessera_xapi_statements ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
    await queryRunner.query(
      'CREATE INDEX tessera_xapi_statements_issuer_seq ON tessera_xapi_statements (issuer_id, seq)',
    );
    await queryRunner.query('ALTER TABLE tessera_learner_profiles ADD COLUMN email_sha1 text');
    const profiles: Array<{ learner_id: string; email: string }> = await queryRunner.query(
      'SELECT learner_id, email FROM tessera_learner_profiles',
    );
    for (const { learner_id, email } of profiles)
      await queryRunner.query('UPDATE tessera_learner_profiles SET email_sha1 = $2 WHERE learner_id = $1', [
        learner_id,
        mboxSha1Sum(email),
      ]);
    await queryRunner.query(
      'CREATE INDEX tessera_learner_profiles_email_sha1 ON tessera_learner_profiles (email_sha1)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX tessera_learner_profiles_email_sha1');
    await queryRunner.query('ALTER TABLE tessera_learner_profiles DROP COLUMN email_sha1');
    await queryRunner.query('DROP INDEX tessera_xapi_statements_issuer_seq');
    await queryRunner.query('ALTER TABLE tessera_xapi_statements DROP COLUMN seq');
  }
}

/** The xAPI `mbox_sha1sum` of an email, as the api's profile store computes it when it saves a profile. */
const mboxSha1Sum = (email: string): string => createHash('sha1').update(`mailto:${email.toLowerCase()}`).digest('hex');

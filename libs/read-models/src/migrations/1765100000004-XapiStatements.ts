import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * xAPI statements as learning platforms sent them, outside the ledger: they name the learner (mbox, name), so they are
 * kept here and deleted with the learner's profile. Also the xAPI account that identifies a learner to a platform,
 * beside their name and email in the erasable profile.
 */
export class XapiStatements1765100000004 implements MigrationInterface {
  name = 'XapiStatements1765100000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE tessera_xapi_statements (
      statement_id text PRIMARY KEY,
      issuer_id text NOT NULL,
      client_id text NOT NULL,
      statement jsonb NOT NULL,
      digest text NOT NULL,
      learner_id text,
      outcome text NOT NULL,
      evidence jsonb NOT NULL DEFAULT '[]',
      assessed jsonb NOT NULL DEFAULT '[]',
      voided_by text,
      processed boolean NOT NULL DEFAULT false,
      stored_at timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(
      'CREATE INDEX tessera_xapi_statements_issuer ON tessera_xapi_statements (issuer_id, outcome, stored_at)',
    );
    await queryRunner.query('CREATE INDEX tessera_xapi_statements_learner ON tessera_xapi_statements (learner_id)');
    await queryRunner.query('ALTER TABLE tessera_learner_profiles ADD COLUMN xapi_home_page text');
    await queryRunner.query('ALTER TABLE tessera_learner_profiles ADD COLUMN xapi_account_name text');
    await queryRunner.query(
      'CREATE UNIQUE INDEX tessera_learner_profiles_xapi_account ON tessera_learner_profiles (xapi_home_page, xapi_account_name)',
    );
    await queryRunner.query('CREATE INDEX tessera_learner_profiles_email ON tessera_learner_profiles (lower(email))');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX tessera_learner_profiles_email');
    await queryRunner.query('DROP INDEX tessera_learner_profiles_xapi_account');
    await queryRunner.query('ALTER TABLE tessera_learner_profiles DROP COLUMN xapi_account_name');
    await queryRunner.query('ALTER TABLE tessera_learner_profiles DROP COLUMN xapi_home_page');
    await queryRunner.query('DROP TABLE tessera_xapi_statements');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The OB 3.0 API's OAuth 2.0 state that must survive a restart — registered clients, authorization codes, tokens — and
 * the credentials learners upsert from elsewhere. Secrets, codes and tokens are kept only as SHA-256 hashes.
 */
export class Ob3ApiOAuth1765100000003 implements MigrationInterface {
  name = 'Ob3ApiOAuth1765100000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE tessera_oauth_clients (
      client_id text PRIMARY KEY,
      secret_hash text,
      client_name text NOT NULL,
      redirect_uris jsonb NOT NULL,
      grants jsonb NOT NULL,
      scopes jsonb NOT NULL,
      issuer_id text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await queryRunner.query(`CREATE TABLE tessera_oauth_codes (
      code_hash text PRIMARY KEY,
      client_id text NOT NULL REFERENCES tessera_oauth_clients (client_id) ON DELETE CASCADE,
      learner_id text NOT NULL,
      scopes jsonb NOT NULL,
      redirect_uri text NOT NULL,
      code_challenge text NOT NULL,
      code_challenge_method text NOT NULL,
      expires_at timestamptz NOT NULL
    )`);
    await queryRunner.query(`CREATE TABLE tessera_oauth_tokens (
      access_token_hash text PRIMARY KEY,
      refresh_token_hash text UNIQUE,
      client_id text NOT NULL REFERENCES tessera_oauth_clients (client_id) ON DELETE CASCADE,
      learner_id text,
      issuer_id text,
      scopes jsonb NOT NULL,
      access_expires_at timestamptz NOT NULL,
      refresh_expires_at timestamptz
    )`);
    await queryRunner.query(`CREATE TABLE tessera_external_credentials (
      learner_id text NOT NULL,
      credential_id text NOT NULL,
      issuer text NOT NULL,
      format text NOT NULL CHECK (format IN ('json', 'jwt')),
      credential text NOT NULL,
      signature_verified boolean NOT NULL,
      valid_from timestamptz,
      received_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (learner_id, credential_id)
    )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE tessera_external_credentials');
    await queryRunner.query('DROP TABLE tessera_oauth_tokens');
    await queryRunner.query('DROP TABLE tessera_oauth_codes');
    await queryRunner.query('DROP TABLE tessera_oauth_clients');
  }
}

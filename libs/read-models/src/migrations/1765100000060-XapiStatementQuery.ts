import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The statement query of the xAPI statements resource (GET /xapi/statements without an id): `seq`, the order in
 * which statements were stored, which a `more` cursor points into (a position, not an offset, so appends between
 * pages shift nothing), and the index that pages an issuer's statements by it.
 */
export class XapiStatementQuery1765100000060 implements MigrationInterface {
  name = 'XapiStatementQuery1765100000060';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tessera_xapi_statements ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY');
    await queryRunner.query(
      'CREATE INDEX tessera_xapi_statements_issuer_seq ON tessera_xapi_statements (issuer_id, seq)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX tessera_xapi_statements_issuer_seq');
    await queryRunner.query('ALTER TABLE tessera_xapi_statements DROP COLUMN seq');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each checkpoint records the version of the fold that wrote its projection's rows (every fold starts at 1). */
export class ProjectionVersions1765100000001 implements MigrationInterface {
  name = 'ProjectionVersions1765100000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tessera_checkpoints ADD COLUMN version integer NOT NULL DEFAULT 1');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tessera_checkpoints DROP COLUMN version');
  }
}

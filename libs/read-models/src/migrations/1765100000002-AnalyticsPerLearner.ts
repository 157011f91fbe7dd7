import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Analytics keeps a row of counters per achievement and a row per learner of it, instead of one jsonb per achievement
 * holding every learner (which each batch read and rewrote whole). The old rows cannot be continued: the projection's
 * version 2 finds its checkpoint written by version 1 and rebuilds it into these tables.
 */
export class AnalyticsPerLearner1765100000002 implements MigrationInterface {
  name = 'AnalyticsPerLearner1765100000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE tessera_analytics_achievements (
      achievement_id text COLLATE "C" PRIMARY KEY,
      issuer_id text COLLATE "C",
      counters jsonb NOT NULL,
      position bigint NOT NULL
    )`);
    await queryRunner.query(
      'CREATE INDEX tessera_analytics_achievements_issuer ON tessera_analytics_achievements (issuer_id, achievement_id)',
    );
    await queryRunner.query(`CREATE TABLE tessera_analytics_learners (
      achievement_id text COLLATE "C" NOT NULL,
      learner_id text COLLATE "C" NOT NULL,
      entry jsonb NOT NULL,
      PRIMARY KEY (achievement_id, learner_id)
    )`);
    await queryRunner.query('DROP TABLE tessera_achievement_analytics');
  }

  /** Back to the whole-state table, empty: version 1 then finds its checkpoint written by 2 and rebuilds. */
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE tessera_achievement_analytics (
      achievement_id text COLLATE "C" PRIMARY KEY,
      issuer_id text COLLATE "C",
      state jsonb NOT NULL,
      position bigint NOT NULL
    )`);
    await queryRunner.query(
      'CREATE INDEX tessera_achievement_analytics_issuer ON tessera_achievement_analytics (issuer_id, achievement_id)',
    );
    await queryRunner.query('DROP TABLE tessera_analytics_learners');
    await queryRunner.query('DROP TABLE tessera_analytics_achievements');
  }
}

import { IDEMPOTENCY_TABLE } from '@app/event-store';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read side's tables as they stood before TypeORM. Every statement is idempotent, so a database or data folder
 * made before migrations existed (whose tables are all there, some with columns of older rounds) comes through it to
 * today's shape, and a new one is created by it.
 */
export class ReadModelBaseline1765100000000 implements MigrationInterface {
  name = 'ReadModelBaseline1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of BASELINE) await queryRunner.query(statement);
  }

  /** Refused: these tables hold issuers' signing keys and learners' profiles, which no event can give back. */
  down(): Promise<void> {
    return Promise.reject(
      new Error(
        'the baseline migration is not reverted: its tables hold issuer signing keys and learner profiles that no ' +
          'event can restore',
      ),
    );
  }
}

const catalogue = (table: string) => [
  `CREATE TABLE IF NOT EXISTS ${table} (
    id text PRIMARY KEY,
    issuer_id text NOT NULL,
    status text NOT NULL,
    category text NOT NULL,
    title text NOT NULL,
    state jsonb NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${table}_issuer ON ${table} (issuer_id, id)`,
];

const BASELINE = [
  `CREATE TABLE IF NOT EXISTS tessera_checkpoints (
    projection text PRIMARY KEY,
    position bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  'ALTER TABLE tessera_checkpoints ADD COLUMN IF NOT EXISTS failed_position bigint',
  'ALTER TABLE tessera_checkpoints ADD COLUMN IF NOT EXISTS failed_error text',
  'ALTER TABLE tessera_checkpoints ADD COLUMN IF NOT EXISTS failed_since timestamptz',

  `CREATE TABLE IF NOT EXISTS tessera_stream_summary (
    stream_name text PRIMARY KEY,
    category text NOT NULL,
    event_count integer NOT NULL,
    last_revision bigint NOT NULL,
    last_position bigint NOT NULL,
    last_event_type text NOT NULL,
    last_recorded_at timestamptz NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS tessera_stream_summary_category ON tessera_stream_summary (category, stream_name)',
  'CREATE INDEX IF NOT EXISTS tessera_stream_summary_name_prefix ON tessera_stream_summary (stream_name text_pattern_ops)',

  ...catalogue('tessera_achievement_catalogue'),
  ...catalogue('tessera_pathway_catalogue'),

  `CREATE TABLE IF NOT EXISTS tessera_award_index (
    award_id text PRIMARY KEY,
    learner_id text NOT NULL,
    achievement_id text NOT NULL,
    valid_until timestamptz
  )`,
  'ALTER TABLE tessera_award_index ADD COLUMN IF NOT EXISTS valid_until timestamptz',
  'CREATE INDEX IF NOT EXISTS tessera_award_index_expiry ON tessera_award_index (valid_until) WHERE valid_until IS NOT NULL',

  `CREATE TABLE IF NOT EXISTS tessera_transcripts (
    learner_id text COLLATE "C" PRIMARY KEY,
    state jsonb NOT NULL,
    position bigint NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS tessera_transcript_awards (
    award_id text COLLATE "C" PRIMARY KEY,
    learner_id text COLLATE "C" NOT NULL,
    issuer_id text NOT NULL,
    achievement_id text NOT NULL,
    version integer NOT NULL,
    status text NOT NULL,
    standing text NOT NULL,
    issued_at timestamptz NOT NULL,
    valid_until timestamptz
  )`,
  'CREATE UNIQUE INDEX IF NOT EXISTS tessera_transcript_awards_order ON tessera_transcript_awards (learner_id, award_id)',
  'CREATE INDEX IF NOT EXISTS tessera_transcript_awards_issuer ON tessera_transcript_awards (issuer_id, learner_id, award_id)',
  'CREATE INDEX IF NOT EXISTS tessera_transcript_awards_achievement ON tessera_transcript_awards (achievement_id, learner_id, award_id)',

  `CREATE TABLE IF NOT EXISTS tessera_definition_issuers (
    stream_name text COLLATE "C" PRIMARY KEY,
    issuer_id text NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS tessera_learner_streams (
    learner_id text COLLATE "C" NOT NULL,
    stream_name text COLLATE "C" NOT NULL,
    issuer_id text NOT NULL,
    PRIMARY KEY (learner_id, stream_name, issuer_id)
  )`,

  `CREATE TABLE IF NOT EXISTS tessera_achievement_analytics (
    achievement_id text COLLATE "C" PRIMARY KEY,
    issuer_id text COLLATE "C",
    state jsonb NOT NULL,
    position bigint NOT NULL
  )`,
  'CREATE INDEX IF NOT EXISTS tessera_achievement_analytics_issuer ON tessera_achievement_analytics (issuer_id, achievement_id)',

  `CREATE TABLE IF NOT EXISTS tessera_issuer_keys (
    issuer_id text NOT NULL,
    kid text PRIMARY KEY,
    public_jwk jsonb NOT NULL,
    private_jwk_encrypted text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
  )`,
  // Columns and an index of the first round's key validity, which the key events now carry.
  'DROP INDEX IF EXISTS tessera_issuer_keys_current',
  'ALTER TABLE tessera_issuer_keys DROP COLUMN IF EXISTS valid_from',
  'ALTER TABLE tessera_issuer_keys DROP COLUMN IF EXISTS valid_until',
  'CREATE INDEX IF NOT EXISTS tessera_issuer_keys_by_issuer ON tessera_issuer_keys (issuer_id, created_at)',

  `CREATE TABLE IF NOT EXISTS tessera_status_entries (
    credential_key text PRIMARY KEY,
    issuer_id text NOT NULL,
    list_id integer NOT NULL CHECK (list_id >= 1),
    status_index integer NOT NULL CHECK (status_index >= 0),
    allocated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (issuer_id, list_id, status_index)
  )`,

  `CREATE TABLE IF NOT EXISTS tessera_learner_profiles (
    learner_id text PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    identity_salt text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS tessera_learner_fingerprint_keys (
    learner_id text PRIMARY KEY,
    key text NOT NULL
  )`,

  // The events schema creates it too (AppendOptions.key): one definition for both.
  IDEMPOTENCY_TABLE,
  // An answer is stored after the claim that precedes it (a concurrent twin waits on the claim).
  'ALTER TABLE tessera_idempotency ALTER COLUMN status DROP NOT NULL',
  'ALTER TABLE tessera_idempotency ALTER COLUMN body DROP NOT NULL',

  `CREATE TABLE IF NOT EXISTS tessera_expiry_sweep (
    name text PRIMARY KEY,
    swept_until timestamptz NOT NULL
  )`,
];

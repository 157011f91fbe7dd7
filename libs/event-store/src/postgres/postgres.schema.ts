/**
 * The events table. `position` is the global order: the appending transaction's id (xid8) times
 * POSITIONS_PER_TRANSACTION plus the event's index in the append. Readers see only positions below
 * the oldest transaction still running (pg_snapshot_xmin), so an append that commits late can never
 * land behind a subscriber's checkpoint: the in-flight gap is closed by construction.
 */
export const POSITIONS_PER_TRANSACTION = 1_048_576n;

/**
 * Idempotency-Keys (AppendOptions.key): a key and the fingerprint of the request holding it, written by the append
 * itself. The api's own key store (claims before the command, kept answers: status and body) shares the table, which
 * the read side's baseline migration creates too, for when the events live elsewhere (EventStoreDB): one definition.
 */
export const IDEMPOTENCY_TABLE = `CREATE TABLE IF NOT EXISTS tessera_idempotency (
  subject text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  status integer,
  body json,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (subject, key)
)`;

export const MIGRATION = `
CREATE TABLE IF NOT EXISTS tessera_streams (
  stream_name text PRIMARY KEY,
  revision bigint NOT NULL
);
CREATE TABLE IF NOT EXISTS tessera_events (
  position bigint PRIMARY KEY,
  event_id uuid NOT NULL UNIQUE,
  stream_name text NOT NULL,
  stream_revision bigint NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS tessera_events_type_position ON tessera_events (type, position);
-- One index serves a stream's revisions (unique: the safety net under the streams table's optimistic lock) and, with
-- text_pattern_ops, stream-prefix reads (a learner's streams).
CREATE UNIQUE INDEX IF NOT EXISTS tessera_events_stream_revision ON tessera_events (stream_name text_pattern_ops, stream_revision);
-- NewEvent.claims: an id (an award's, an evidence's…) and the one stream that holds it, written by the append itself.
CREATE TABLE IF NOT EXISTS tessera_claims (
  id text PRIMARY KEY,
  stream_name text NOT NULL
);
${IDEMPOTENCY_TABLE};
`;

/** The advisory lock that serialises migrations of the events schema from processes starting at once. */
export const MIGRATION_LOCK = 7355608;

/** The highest position a reader may safely see, exclusive. */
export const VISIBLE_BELOW = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint * ${POSITIONS_PER_TRANSACTION})`;

import type { GlobalPosition, SqlClient } from '@app/event-store';
import type { SqlQuery } from './projection';

/** A projection the runner stopped retrying at its normal pace: the event it could not get past, and why. */
export interface ProjectionFailure {
  readonly projection: string;
  readonly position: GlobalPosition;
  readonly error: string;
  readonly since: Date;
}

/** The last position a projection handled, or undefined when it has handled nothing. */
export async function loadCheckpoint(query: SqlQuery, projection: string): Promise<GlobalPosition | undefined> {
  const [row] = await query<{ position: string }>(
    'SELECT position::text AS position FROM tessera_checkpoints WHERE projection = $1',
    [projection],
  );
  return row ? BigInt(row.position) : undefined;
}

/** The version of the fold that wrote a projection's rows, or undefined when it has written none. */
export async function loadVersion(query: SqlQuery, projection: string): Promise<number | undefined> {
  const [row] = await query<{ version: number }>('SELECT version FROM tessera_checkpoints WHERE projection = $1', [
    projection,
  ]);
  return row?.version;
}

/**
 * Locks the projection's checkpoint row for the rest of the transaction and returns it (0 before any event): a batch
 * applies only the events past it, so two runners of one projection (several api instances, a rebuild swapped in)
 * never apply an event twice.
 */
export async function claimCheckpoint(query: SqlQuery, projection: string, version: number): Promise<GlobalPosition> {
  await query(
    'INSERT INTO tessera_checkpoints (projection, position, version) VALUES ($1, 0, $2) ON CONFLICT (projection) DO NOTHING',
    [projection, version],
  );
  const [row] = await query<{ position: string }>(
    'SELECT position::text AS position FROM tessera_checkpoints WHERE projection = $1 FOR UPDATE',
    [projection],
  );
  return BigInt(row.position);
}

/** Moves the checkpoint on; past the event a projection failed at, the failure is over and its mark goes. */
export async function saveCheckpoint(query: SqlQuery, projection: string, position: GlobalPosition): Promise<void> {
  await query(
    `INSERT INTO tessera_checkpoints AS c (projection, position) VALUES ($1, $2::bigint)
     ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position, updated_at = now(),
       failed_position = CASE WHEN c.failed_position <= EXCLUDED.position THEN NULL ELSE c.failed_position END,
       failed_error = CASE WHEN c.failed_position <= EXCLUDED.position THEN NULL ELSE c.failed_error END,
       failed_since = CASE WHEN c.failed_position <= EXCLUDED.position THEN NULL ELSE c.failed_since END`,
    [projection, String(position)],
  );
}

/** The SET clause that takes a failure mark away (a rebuild that got past everything it read). */
export const FAILURE_CLEARED = 'failed_position = NULL, failed_error = NULL, failed_since = NULL';

/** Every `/health` answer carries the error: bounded, so that one long message cannot swell them all. */
const MAX_ERROR_LENGTH = 300;

/** Marks a projection failed at an event (keeping the first `since` while it stays failed at that event). */
export async function markFailed(
  query: SqlQuery,
  projection: string,
  position: GlobalPosition,
  error: string,
): Promise<void> {
  await query(
    `INSERT INTO tessera_checkpoints (projection, position, failed_position, failed_error, failed_since)
     VALUES ($1, 0, $2::bigint, $3, now())
     ON CONFLICT (projection) DO UPDATE SET failed_position = EXCLUDED.failed_position,
       failed_error = EXCLUDED.failed_error,
       failed_since = CASE WHEN tessera_checkpoints.failed_position = EXCLUDED.failed_position
         THEN tessera_checkpoints.failed_since ELSE EXCLUDED.failed_since END`,
    [projection, String(position), error.slice(0, MAX_ERROR_LENGTH)],
  );
}

/** The projection's failure mark, or undefined while it is not failed. */
export async function loadFailure(query: SqlQuery, projection: string): Promise<ProjectionFailure | undefined> {
  const [failure] = await listFailures(query, projection);
  return failure;
}

/** Every projection marked failed (or just the one named), read from the database so every process sees them. */
export async function listFailures(query: SqlQuery, projection?: string): Promise<ProjectionFailure[]> {
  const rows = await query<{ projection: string; position: string; error: string; since: Date }>(
    `SELECT projection, failed_position::text AS position, failed_error AS error, failed_since AS since
     FROM tessera_checkpoints WHERE failed_position IS NOT NULL AND ($1::text IS NULL OR projection = $1)
     ORDER BY projection`,
    [projection ?? null],
  );
  return rows.map((row) => ({
    projection: row.projection,
    position: BigInt(row.position),
    error: row.error,
    since: new Date(row.since),
  }));
}

export async function listCheckpoints(
  sql: SqlClient,
): Promise<Array<{ projection: string; position: GlobalPosition; updatedAt: Date }>> {
  const rows = await sql.query<{ projection: string; position: string; updated_at: Date }>(
    'SELECT projection, position::text AS position, updated_at FROM tessera_checkpoints ORDER BY projection',
  );
  return rows.map((row) => ({
    projection: row.projection,
    position: BigInt(row.position),
    updatedAt: new Date(row.updated_at),
  }));
}

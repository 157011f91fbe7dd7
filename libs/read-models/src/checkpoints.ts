import type { GlobalPosition, SqlClient } from '@app/event-store';
import type { SqlQuery } from './projection';

export const CHECKPOINTS_MIGRATION = `CREATE TABLE IF NOT EXISTS tessera_checkpoints (
  projection text PRIMARY KEY,
  position bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/** The last position a projection handled, or undefined when it has handled nothing. */
export async function loadCheckpoint(query: SqlQuery, projection: string): Promise<GlobalPosition | undefined> {
  const [row] = await query<{ position: string }>(
    'SELECT position::text AS position FROM tessera_checkpoints WHERE projection = $1',
    [projection],
  );
  return row ? BigInt(row.position) : undefined;
}

/**
 * Locks the projection's checkpoint row for the rest of the transaction and returns it (0 before any event): a batch
 * applies only the events past it, so two runners of one projection (several api instances, a rebuild swapped in)
 * never apply an event twice.
 */
export async function claimCheckpoint(query: SqlQuery, projection: string): Promise<GlobalPosition> {
  await query(
    'INSERT INTO tessera_checkpoints (projection, position) VALUES ($1, 0) ON CONFLICT (projection) DO NOTHING',
    [projection],
  );
  const [row] = await query<{ position: string }>(
    'SELECT position::text AS position FROM tessera_checkpoints WHERE projection = $1 FOR UPDATE',
    [projection],
  );
  return BigInt(row.position);
}

export async function saveCheckpoint(query: SqlQuery, projection: string, position: GlobalPosition): Promise<void> {
  await query(
    `INSERT INTO tessera_checkpoints (projection, position) VALUES ($1, $2::bigint)
     ON CONFLICT (projection) DO UPDATE SET position = EXCLUDED.position, updated_at = now()`,
    [projection, String(position)],
  );
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

import { type EventStore, matchesFilter, migrate, type RecordedEvent, type SqlClient } from '@app/event-store';
import { CHECKPOINTS_MIGRATION, FAILURE_CLEARED } from './checkpoints';
import type { Projection, SqlQuery } from './projection';

/** Where fresh tables are built before they are swapped in. */
export const REBUILD_SCHEMA = 'tessera_rebuild';
const PAGE = 1000;

/** The tables a projection keeps: those its migration creates. */
export function tablesOf(projection: Projection): string[] {
  return [...projection.migration.matchAll(/CREATE TABLE IF NOT EXISTS\s+([a-z_][a-z0-9_]*)/gi)].map(
    (match) => match[1],
  );
}

export interface RebuildProgress {
  readonly events: number;
  readonly position: bigint;
}

/**
 * Rebuilds read models from the start of the store into fresh tables and swaps them in, so queries keep answering from
 * the old tables meanwhile. The swap takes the live tables' locks and the live checkpoints, applies what arrived
 * during the rebuild, and moves the new tables in, in one transaction; a live runner then finds its checkpoint moved
 * on and skips what the rebuild already applied. The swap takes the rebuilt projections' failure marks away: the
 * rebuild got past every event it read, and a live runner tries anything later again at once (and marks it again
 * should it still fail).
 */
export async function rebuildProjections(
  store: EventStore,
  sql: SqlClient,
  projections: readonly Projection[],
  onProgress?: (progress: RebuildProgress) => void,
): Promise<{ events: number; position: bigint }> {
  // The live tables exist (so the swap can lock them), then a fresh schema for the new ones.
  await migrate(sql, 7355609, CHECKPOINTS_MIGRATION, ...projections.map((projection) => projection.migration));
  await sql.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`);
  await sql.query(`CREATE SCHEMA ${REBUILD_SCHEMA}`);
  await sql.transaction(async (query) => {
    await query(`SET LOCAL search_path TO ${REBUILD_SCHEMA}`);
    for (const ddl of [CHECKPOINTS_MIGRATION, ...projections.map((projection) => projection.migration)])
      for (const statement of ddl.split(';').filter((text) => text.trim())) await query(statement);
  });

  let position = 0n;
  let events = 0;
  const applyPage = async (query: SqlQuery, page: readonly RecordedEvent[]) => {
    for (const projection of projections) {
      const mine = page.filter((event) => matchesFilterOf(projection, event));
      if (mine.length > 0) await projection.apply(mine, query);
    }
    position = page[page.length - 1].position;
    events += page.length;
  };
  // Catch up while the live tables keep answering.
  for (;;) {
    const page = await store.readAll({ from: position, maxCount: PAGE });
    if (page.length === 0) break;
    await sql.transaction(async (query) => {
      await query(`SET LOCAL search_path TO ${REBUILD_SCHEMA}`);
      await applyPage(query, page);
    });
    onProgress?.({ events, position });
  }

  // Swap: hold the live checkpoints, apply what arrived since, move the tables in.
  await sql.transaction(async (query) => {
    const names = projections.map((projection) => projection.name);
    await query(
      `INSERT INTO public.tessera_checkpoints (projection, position)
       SELECT name, 0 FROM jsonb_array_elements_text($1::jsonb) AS name ON CONFLICT (projection) DO NOTHING`,
      [JSON.stringify(names)],
    );
    await query(
      'SELECT projection FROM public.tessera_checkpoints WHERE projection IN (SELECT jsonb_array_elements_text($1::jsonb)) FOR UPDATE',
      [JSON.stringify(names)],
    );
    await query(`SET LOCAL search_path TO ${REBUILD_SCHEMA}`);
    // Embedded PGlite has one writer, this process, so nothing has arrived since the last page; and there a read of
    // the store from inside this transaction would wait for the transaction itself.
    for (let more = sql.kind !== 'pglite'; more;) {
      const page = await store.readAll({ from: position, maxCount: PAGE });
      more = page.length > 0;
      if (more) await applyPage(query, page);
    }
    for (const table of projections.flatMap(tablesOf)) {
      await query(`DROP TABLE IF EXISTS public.${table}`);
      await query(`ALTER TABLE ${REBUILD_SCHEMA}.${table} SET SCHEMA public`);
    }
    await query(
      `UPDATE public.tessera_checkpoints SET position = $2::bigint, updated_at = now(),
         ${FAILURE_CLEARED}
       WHERE projection IN (SELECT jsonb_array_elements_text($1::jsonb))`,
      [JSON.stringify(names), String(position)],
    );
  });
  await sql.query(`DROP SCHEMA IF EXISTS ${REBUILD_SCHEMA} CASCADE`);
  onProgress?.({ events, position });
  return { events, position };
}

function matchesFilterOf(projection: Projection, event: RecordedEvent): boolean {
  const filter = projection.filter;
  if (!filter) return true;
  return matchesFilter(event.stream, event.type, filter);
}

import { type EventStore, matchesFilter, type RecordedEvent, type SqlClient } from '@app/event-store';
import { FAILURE_CLEARED } from './checkpoints';
import type { Projection, SqlQuery } from './projection';
import { tableOf } from './typeorm/entities';

/** Where fresh tables are built before they are swapped in: one schema per rebuild, named for what it rebuilds. */
export const REBUILD_SCHEMA = 'tessera_rebuild';
const PAGE = 1000;
/** How long a rebuild waits for the events committed before it began to settle (a transaction in flight holds them). */
export const SETTLE_TIMEOUT_MS = 60_000;
const SETTLE_POLL_MS = 50;

/** The tables a projection keeps: its entities'. */
export const tablesOf = (projection: Projection): string[] => projection.entities.map(tableOf);

function rebuildSchemaFor(projections: readonly Projection[]): string {
  if (projections.length > 1) return REBUILD_SCHEMA;
  return `${REBUILD_SCHEMA}_${projections[0].name.replace(/[^a-z0-9]/g, '_')}`;
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
  // The migrations made the live tables; the fresh ones are made in their image.
  const schema = rebuildSchemaFor(projections);
  await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql.query(`CREATE SCHEMA ${schema}`);
  await sql.transaction(async (query) => {
    for (const table of projections.flatMap(tablesOf)) await copyTableShape(query, table, schema);
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
  // Catch up while the live tables keep answering; each page is read while the one before it is applied.
  const readPage = (from: bigint) => {
    const reading = store.readAll({ from, maxCount: PAGE });
    reading.catch(() => undefined); // awaited below, unless applying the page before it failed first
    return reading;
  };
  // Every event committed by the time the catch-up runs out is rebuilt before the swap. Settled reads stop short of
  // them while a transaction is in flight anywhere on the server (a snapshot's xmin is the whole server's), and a
  // rebuild that took that for the end would swap in tables missing them: it waits for them to settle instead.
  let target: bigint | undefined;
  let waitingSince = 0;
  for (let next = readPage(position); ;) {
    const page = await next;
    if (page.length === 0) {
      if (target === undefined) {
        const [ahead] = await store.readAll({ from: position, maxCount: 1, visibility: 'committed' });
        if (!ahead) break;
        target = ahead.position;
        waitingSince = Date.now();
      }
      if (position >= target) break;
      if (Date.now() - waitingSince > SETTLE_TIMEOUT_MS)
        throw new Error(
          `the events up to position ${target} did not settle within ${SETTLE_TIMEOUT_MS / 1000} s: a transaction in ` +
            'flight on the database server holds them back (see pg_stat_activity); nothing was swapped in',
        );
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
      next = readPage(position);
      continue;
    }
    next = readPage(page[page.length - 1].position);
    await sql.transaction(async (query) => {
      await query(`SET LOCAL search_path TO ${schema}, public`);
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
    await query(`SET LOCAL search_path TO ${schema}, public`);
    // Embedded PGlite has one writer, this process, so nothing has arrived since the last page; and there a read of
    // the store from inside this transaction would wait for the transaction itself.
    for (let more = sql.kind !== 'pglite'; more;) {
      const page = await store.readAll({ from: position, maxCount: PAGE });
      more = page.length > 0;
      if (more) await applyPage(query, page);
    }
    for (const table of projections.flatMap(tablesOf)) {
      await query(`DROP TABLE IF EXISTS public.${table}`);
      await query(`ALTER TABLE ${schema}.${table} SET SCHEMA public`);
    }
    await query(
      `UPDATE public.tessera_checkpoints AS c SET position = $2::bigint, updated_at = now(),
         version = (v.value)::int, ${FAILURE_CLEARED}
       FROM jsonb_each_text($1::jsonb) AS v WHERE c.projection = v.key`,
      [JSON.stringify(Object.fromEntries(projections.map((p) => [p.name, p.version]))), String(position)],
    );
  });
  await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  onProgress?.({ events, position });
  return { events, position };
}

/**
 * Makes `schema.table` like `public.table`: columns, defaults and checks, and its keys and indexes under their own
 * names (`LIKE … INCLUDING INDEXES` would rename them), so that the swapped-in table is the one the migrations made.
 */
async function copyTableShape(query: SqlQuery, table: string, schema: string): Promise<void> {
  await query(`CREATE TABLE ${schema}.${table} (LIKE public.${table} INCLUDING ALL EXCLUDING INDEXES)`);
  const keys = await query<{ name: string; definition: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
     WHERE conrelid = $1::regclass AND contype IN ('p', 'u', 'x')`,
    [`public.${table}`],
  );
  for (const key of keys) await query(`ALTER TABLE ${schema}.${table} ADD CONSTRAINT ${key.name} ${key.definition}`);
  const indexes = await query<{ definition: string }>(
    `SELECT indexdef AS definition FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1
       AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = $2::regclass)`,
    [table, `public.${table}`],
  );
  for (const index of indexes) await query(index.definition.replace(` ON public.${table} `, ` ON ${schema}.${table} `));
}

function matchesFilterOf(projection: Projection, event: RecordedEvent): boolean {
  const filter = projection.filter;
  if (!filter) return true;
  return matchesFilter(event.stream, event.type, filter);
}

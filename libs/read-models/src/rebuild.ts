import { type EventStore, matchesFilter, type RecordedEvent, type SqlClient } from '@app/event-store';
import { FAILURE_CLEARED } from './checkpoints';
import type { Projection, SqlQuery } from './projection';
import type { RowModel } from './row-model';
import { tableOf } from './typeorm/entities';

/** Where fresh tables are built before they are swapped in: one schema per rebuild, named for what it rebuilds. */
export const REBUILD_SCHEMA = 'tessera_rebuild';
/** Events a rebuild reads from the store at a time (and the swap's catch-up). */
export const REBUILD_PAGE = 1000;
/**
 * A projection's changed rows are written once it holds this many (and when the catch-up is done): few enough that
 * the last write, which nothing overlaps, is short, and many enough that a rebuild sends a statement per thousands of
 * rows.
 */
export const REBUILD_FLUSH_ROWS = 5_000;
/** Rows a projection keeps in memory past a write; beyond them the written ones are let go, and read back if touched. */
export const REBUILD_CACHED_ROWS = 100_000;
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

/** The rebuild's sizes (the defaults above); tests make them small. */
export interface RebuildOptions {
  readonly pageSize?: number;
  readonly flushRows?: number;
  readonly cachedRows?: number;
}

type InSchema = <T>(work: (query: SqlQuery) => Promise<T>) => Promise<T>;

/**
 * A projection's rows folded in memory across pages (its `RowModel`'s own fold), each changed row written once per
 * flush in the model's multi-row statements, one write at a time, while the next pages are read and folded. The
 * tables start empty, so a key is read back only after its row was written and let go (past `cachedRows`).
 */
class RowCache {
  private readonly rows = new Map<string, unknown>();
  private readonly dirty = new Set<string>();
  /** Keys written and let go: the only ones whose rows are read back from the table. */
  private readonly released = new Set<string>();
  private writing: Promise<void> = Promise.resolve();
  /** The rows of the write in flight: not written yet, so not let go. */
  private inFlight: ReadonlyMap<string, unknown> = new Map();

  constructor(
    readonly projection: Projection,
    private readonly model: RowModel<unknown>,
    private readonly cachedRows: number,
  ) {}

  get pending(): number {
    return this.dirty.size;
  }

  async add(events: readonly RecordedEvent[], inSchema: InSchema): Promise<void> {
    this.release();
    const load = this.model.load?.bind(this.model);
    if (load && this.released.size > 0) {
      const missing = [...new Set(this.model.keysOf(events))].filter((key) => this.released.has(key));
      if (missing.length > 0) {
        const loaded = await inSchema((query) => load(query, missing));
        for (const key of missing) this.released.delete(key);
        for (const [key, row] of loaded) this.rows.set(key, row);
      }
    }
    for (const [key, row] of this.model.fold(events, this.rows)) {
      this.rows.set(key, row);
      this.dirty.add(key);
    }
  }

  /** Starts writing the changed rows once the write before it is done; a failed write fails the next call. */
  async flush(inSchema: InSchema): Promise<void> {
    await this.writing;
    if (this.dirty.size === 0) return;
    const batch = new Map([...this.dirty].map((key) => [key, this.rows.get(key)]));
    this.dirty.clear();
    this.inFlight = batch;
    this.writing = inSchema((query) => this.model.write(query, batch)).then(() => {
      this.inFlight = new Map();
    });
    this.writing.catch(() => undefined); // awaited by the next flush or by done()
  }

  async done(inSchema: InSchema): Promise<void> {
    await this.flush(inSchema);
    await this.writing;
  }

  /** Lets written rows go once there are too many (not those changed since, nor those of the write in flight). */
  private release(): void {
    if (this.rows.size <= this.cachedRows) return;
    for (const key of this.rows.keys())
      if (!this.dirty.has(key) && !this.inFlight.has(key)) {
        this.rows.delete(key);
        if (this.model.load) this.released.add(key);
      }
  }
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
  options: RebuildOptions = {},
): Promise<{ events: number; position: bigint }> {
  const pageSize = options.pageSize ?? REBUILD_PAGE;
  const flushRows = options.flushRows ?? REBUILD_FLUSH_ROWS;
  // The migrations made the live tables; the fresh ones are made in their image.
  const schema = rebuildSchemaFor(projections);
  await sql.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await sql.query(`CREATE SCHEMA ${schema}`);
  // The keys now (upserts need them), the other indexes once the rows are in: building an index at once is cheaper.
  const indexes = await sql.transaction(async (query) => {
    const made: string[] = [];
    for (const table of projections.flatMap(tablesOf)) made.push(...(await copyTableShape(query, table, schema)));
    return made;
  });
  const inSchema: InSchema = (work) =>
    sql.transaction(async (query) => {
      await query(`SET LOCAL search_path TO ${schema}, public`);
      return work(query);
    });

  let position = 0n;
  let events = 0;
  const applyPage = async (query: SqlQuery, page: readonly RecordedEvent[], to: readonly Projection[]) => {
    for (const projection of to) {
      const mine = page.filter((event) => matchesFilterOf(projection, event));
      if (mine.length > 0) await projection.apply(mine, query);
    }
  };
  // Projections that keep rows by key are folded in memory and written once per flush; others apply page by page.
  const caches = projections.flatMap((projection) =>
    projection.rows ? [new RowCache(projection, projection.rows, options.cachedRows ?? REBUILD_CACHED_ROWS)] : [],
  );
  const paged = projections.filter((projection) => !projection.rows);
  const foldPage = async (page: readonly RecordedEvent[]) => {
    if (paged.length > 0) await inSchema((query) => applyPage(query, page, paged));
    for (const cache of caches) {
      const mine = page.filter((event) => matchesFilterOf(cache.projection, event));
      if (mine.length > 0) await cache.add(mine, inSchema);
      if (cache.pending >= flushRows) await cache.flush(inSchema);
    }
    position = page[page.length - 1].position;
    events += page.length;
  };
  // Catch up while the live tables keep answering; each page is read while the one before it is folded and written.
  const readPage = (from: bigint) => {
    const reading = store.readAll({ from, maxCount: pageSize });
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
    await foldPage(page);
    onProgress?.({ events, position });
  }
  // The last writes of every projection at once (on a pool, each on a connection of its own), then the indexes.
  await Promise.all(caches.map((cache) => cache.done(inSchema)));
  await Promise.all(indexes.map((index) => sql.query(index)));

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
      const page = await store.readAll({ from: position, maxCount: pageSize });
      more = page.length > 0;
      if (!more) continue;
      await applyPage(query, page, projections);
      position = page[page.length - 1].position;
      events += page.length;
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
 * Makes `schema.table` like `public.table`: columns, defaults and checks, and its keys under their own names (`LIKE …
 * INCLUDING INDEXES` would rename them), so that the swapped-in table is the one the migrations made. Answers the
 * statements that make its other indexes, under their own names too, to run once the table is filled.
 */
async function copyTableShape(query: SqlQuery, table: string, schema: string): Promise<string[]> {
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
  return indexes.map((index) => index.definition.replace(` ON public.${table} `, ` ON ${schema}.${table} `));
}

function matchesFilterOf(projection: Projection, event: RecordedEvent): boolean {
  const filter = projection.filter;
  if (!filter) return true;
  return matchesFilter(event.stream, event.type, filter);
}

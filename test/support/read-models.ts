import type { EventStore, SqlClient } from '@app/event-store';
import { loadCheckpoint, PROJECTIONS, rebuildProjections, tablesOf } from '@app/read-models';

/** Every read-model table's rows, hashed in a stable order: equal hashes, equal read models. */
export async function contentHashes(sql: SqlClient): Promise<Record<string, string>> {
  const hashes: Record<string, string> = {};
  for (const table of PROJECTIONS.flatMap(tablesOf)) {
    const [row] = await sql.query<{ hash: string | null }>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS hash FROM ${table} t`,
    );
    hashes[table] = row.hash ?? 'empty';
  }
  return hashes;
}

/** Waits until every projection has applied the last event its filter takes. */
export async function caughtUp(store: EventStore, sql: SqlClient, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const projection of PROJECTIONS) {
    const committed = await store.readAll({ maxCount: 1_000_000, filter: projection.filter, visibility: 'committed' });
    const last = committed.at(-1)?.position ?? 0n;
    while (((await loadCheckpoint(sql.query, projection.name)) ?? 0n) < last) {
      if (Date.now() > deadline) throw new Error(`${projection.name} did not catch up`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/**
 * Waits for the projections to catch up, then rebuilds them from the ledger: every table must hash as before.
 * Answers how long the catch-up took.
 */
export async function expectEqualToCleanRebuild(store: EventStore, sql: SqlClient, timeoutMs: number): Promise<number> {
  const started = Date.now();
  await caughtUp(store, sql, timeoutMs);
  const catchUpMs = Date.now() - started;
  const live = await contentHashes(sql);
  await rebuildProjections(store, sql, PROJECTIONS);
  expect(await contentHashes(sql)).toEqual(live);
  return catchUpMs;
}

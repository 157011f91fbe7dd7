import type { SqlClient } from './sql-client';

/**
 * Runs DDL in one transaction under an advisory lock, so processes starting together migrate once. Statements are
 * split on `;` because PGlite's extended protocol takes one statement at a time (the DDL holds no `;` in literals).
 */
export async function migrate(sql: SqlClient, lockKey: number, ...ddl: string[]): Promise<void> {
  await sql.transaction(async (query) => {
    await query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
    for (const statement of ddl.flatMap((text) => text.split(';')).filter((text) => text.trim()))
      await query(statement);
  });
}

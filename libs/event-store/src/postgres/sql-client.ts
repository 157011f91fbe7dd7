import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolConfig } from 'pg';

/** What the postgres adapter needs of a connection: PostgreSQL over `pg`, or embedded PGlite. */
export interface SqlClient {
  readonly kind: 'pg' | 'pglite';
  query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (query: SqlClient['query']) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection held for its whole duration, for session state such as advisory locks; `lost`
   * aborts when that connection fails. The connection is closed afterwards, so no session state outlives `work`.
   */
  session<T>(work: (query: SqlClient['query'], lost: AbortSignal) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function pgSqlClient(
  connectionString: string,
  options: Omit<PoolConfig, 'connectionString'> = {},
): SqlClient & { pool: Pool } {
  const pool = new Pool({ connectionString, max: 16, ...options });
  // An idle client losing its connection must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  return {
    kind: 'pg',
    pool,
    async query(sql, params) {
      const result = await pool.query(sql, params as unknown[]);
      return result.rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      // A connection lost between statements is reported by the next one; unheard, its 'error' event ends the process.
      let lost: Error | undefined;
      const onLost = (error: Error) => (lost = error);
      client.on('error', onLost);
      try {
        await client.query('BEGIN');
        const result = await work(async (sql, params) => (await client.query(sql, params as unknown[])).rows);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.off('error', onLost);
        client.release(lost);
      }
    },
    async session(work) {
      const client = await pool.connect();
      const lost = new AbortController();
      const onLost = () => lost.abort(new Error('the session connection was lost'));
      client.on('error', onLost);
      client.on('end', onLost);
      try {
        return await work(async (sql, params) => (await client.query(sql, params as unknown[])).rows, lost.signal);
      } finally {
        client.off('end', onLost);
        client.release(true);
      }
    },
    close: () => pool.end(),
  };
}

/** Embedded PostgreSQL in this process; `dataDir` undefined keeps everything in memory. */
export async function pgliteSqlClient(dataDir?: string): Promise<SqlClient & { db: PGlite }> {
  const db = await PGlite.create(dataDir);
  return wrapPGlite(db);
}

/** Wraps an existing PGlite instance, for sharing one instance between the store and the read models. */
export function wrapPGlite(db: PGlite): SqlClient & { db: PGlite } {
  return {
    kind: 'pglite',
    db,
    async query(sql, params) {
      const result = await db.query(sql, params as unknown[]);
      return result.rows as never;
    },
    transaction: (work) =>
      db.transaction(async (tx) =>
        work(async (sql, params) => (await tx.query(sql, params as unknown[])).rows as never),
      ),
    // One process owns the embedded database: its one connection is never lost while the process lives.
    session: (work) => work(async (sql, params) => (await db.query(sql, params as unknown[])).rows as never, neverLost),
    close: () => db.close(),
  };
}

const neverLost = new AbortController().signal;

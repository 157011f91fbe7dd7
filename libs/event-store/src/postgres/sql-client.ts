import { createHash } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import { Pool, type PoolConfig } from 'pg';

/**
 * How to send one statement. `prepare`: a statement sent often with the same text (an append, a hot read), which `pg`
 * parses and plans once per connection as a named prepared statement, unless the client was opened with
 * `prepared: false` (PgBouncer in transaction mode hands each statement to any server connection, which may not know
 * the name). PGlite runs in this process, with no round trip to save: it ignores it.
 */
export interface QueryOptions {
  readonly prepare?: boolean;
}

/** What the postgres adapter needs of a connection: PostgreSQL over `pg`, or embedded PGlite. */
export interface SqlClient {
  readonly kind: 'pg' | 'pglite';
  query<Row extends object>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<Row[]>;
  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  transaction<T>(work: (query: SqlClient['query']) => Promise<T>): Promise<T>;
  /**
   * Runs `work` on one connection held for its whole duration, for session state such as advisory locks; `lost`
   * aborts when that connection fails. The connection is closed afterwards, so no session state outlives `work`.
   */
  session<T>(work: (query: SqlClient['query'], lost: AbortSignal) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PgSqlClientOptions extends Omit<PoolConfig, 'connectionString'> {
  /** Whether statements asked to be prepared are (QueryOptions.prepare); true by default. */
  readonly prepared?: boolean;
}

export function pgSqlClient(
  connectionString: string,
  { prepared = true, ...options }: PgSqlClientOptions = {},
): SqlClient & { pool: Pool } {
  const pool = new Pool({ connectionString, max: 16, ...options });
  // An idle client losing its connection must not crash the process; the next query reports the failure.
  pool.on('error', () => undefined);
  const config = (sql: string, params: readonly unknown[] | undefined, query: QueryOptions | undefined) => ({
    text: sql,
    values: params as unknown[] | undefined,
    name: prepared && query?.prepare ? statementName(sql) : undefined,
  });
  return {
    kind: 'pg',
    pool,
    async query(sql, params, options) {
      const result = await pool.query(config(sql, params, options));
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
        const result = await work(
          async (sql, params, options) => (await client.query(config(sql, params, options))).rows,
        );
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

const statementNames = new Map<string, string>();

/** A prepared statement's name, from its text: the same text is the same statement on every connection. */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `tessera_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

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
  /**
   * LISTENs on `channel` on a connection of its own: answers once listening, then calls `onNotify` with each payload
   * (a NOTIFY sent inside a transaction is heard when it commits) until `close`. Absent where nothing can be heard.
   */
  listen?(channel: string, onNotify: (payload: string) => void): Promise<Listening>;
  close(): Promise<void>;
}

/** A connection LISTENing on a channel. */
export interface Listening {
  /** Settles (with why) when the connection is lost: what was sent meanwhile was not heard. Never for PGlite. */
  readonly lost: Promise<Error>;
  /** Asks the connection something, so that a connection that died without telling fails now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A channel name as NOTIFY and LISTEN take it: an identifier, not a parameter. */
const CHANNEL = /^[a-z_][a-z0-9_]*$/;

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
    async listen(channel, onNotify) {
      if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
      const client = await pool.connect();
      let lose: (error: Error) => void = () => undefined;
      const lost = new Promise<Error>((resolve) => (lose = resolve));
      const onError = (error: Error) => lose(error);
      const onEnd = () => lose(new Error('the listening connection ended'));
      client.on('error', onError);
      client.on('end', onEnd);
      client.on('notification', (message) => {
        if (message.channel === channel) onNotify(message.payload ?? '');
      });
      try {
        await client.query(`LISTEN ${channel}`);
      } catch (error) {
        client.release(true);
        throw error;
      }
      let closed = false;
      return {
        lost,
        ping: async () => void (await client.query('SELECT 1')),
        close: async () => {
          if (closed) return;
          closed = true;
          client.off('end', onEnd);
          // Released as broken: the connection, still listening, is closed rather than handed to the pool.
          client.release(true);
        },
      };
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
    async listen(channel, onNotify) {
      if (!CHANNEL.test(channel)) throw new Error(`not a channel name: ${channel}`);
      const unlisten = await db.listen(channel, onNotify);
      return { lost: new Promise<Error>(() => undefined), ping: async () => undefined, close: () => unlisten() };
    },
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

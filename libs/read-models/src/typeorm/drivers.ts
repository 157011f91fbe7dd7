import type { PGlite, Transaction } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

/**
 * TypeORM's postgres driver loads `pg` and makes a pool of its own. These stand-ins for the `pg` module hand it the
 * connections the event store already has instead — the store's pool, or the one embedded PGlite instance — so the
 * store and the read models share one connection budget.
 */
export interface PgModuleStandIn {
  Pool: new () => PoolStandIn;
}

type Release = (error?: Error) => void;

interface PoolStandIn {
  connect(callback: (error: Error | undefined, connection?: unknown, release?: Release) => void): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  end(callback?: (error?: Error) => void): void;
}

/** The store's `pg` pool; TypeORM's `destroy()` leaves it to the store, which ends it when it closes. */
export function sharedPoolDriver(pool: Pool): PgModuleStandIn {
  class SharedPool implements PoolStandIn {
    connect(callback: (error: Error | undefined, connection?: PoolClient, release?: Release) => void): void {
      pool.connect((error, client, done) => callback(error ?? undefined, client, done));
    }
    on(event: string, listener: (...args: unknown[]) => void): this {
      pool.on(event as 'error', listener);
      return this;
    }
    end(callback?: (error?: Error) => void): void {
      callback?.();
    }
  }
  return { Pool: SharedPool };
}

/**
 * The one embedded PGlite instance as a `pg` pool. PGlite has a single session, so a TypeORM transaction runs through
 * PGlite's own `transaction()`: it holds the instance while it lasts, and the store's queries wait for it instead of
 * landing inside it. Outside a transaction each statement is PGlite's `query`, queued with everyone else's.
 */
export function pgliteDriver(db: PGlite): PgModuleStandIn {
  class PGlitePool implements PoolStandIn {
    connect(callback: (error: Error | undefined, connection?: PGliteConnection, release?: Release) => void): void {
      const connection = new PGliteConnection(db);
      callback(undefined, connection, () => connection.release());
    }
    on(): this {
      return this;
    }
    end(callback?: (error?: Error) => void): void {
      callback?.();
    }
  }
  return { Pool: PGlitePool };
}

/** A transaction PGlite holds open until `finish` says how it ends. */
interface OpenTransaction {
  readonly tx: Transaction;
  finish(commit: boolean): Promise<void>;
}

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: unknown[];
}

class PGliteConnection {
  private open?: OpenTransaction;

  constructor(private readonly db: PGlite) {}

  async query(text: string, params?: unknown[]): Promise<PgResult> {
    const command = commandOf(text);
    if (command === 'START' || command === 'BEGIN') {
      if (this.open) throw new Error('a transaction is already open on this connection');
      this.open = await openTransaction(this.db);
      return { rows: [], rowCount: 0, command: 'BEGIN', fields: [] };
    }
    if ((command === 'COMMIT' || command === 'ROLLBACK') && !/\bSAVEPOINT\b/i.test(text) && this.open) {
      const open = this.open;
      this.open = undefined;
      await open.finish(command === 'COMMIT');
      return { rows: [], rowCount: 0, command, fields: [] };
    }
    const result = this.open ? await this.open.tx.query(text, params) : await this.db.query(text, params);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command, fields: result.fields };
  }

  on(): this {
    return this;
  }

  removeListener(): this {
    return this;
  }

  /** A connection given back with its transaction open (its owner failed between statements) rolls it back. */
  release(): void {
    const open = this.open;
    this.open = undefined;
    void open?.finish(false);
  }
}

function commandOf(text: string): string {
  return (/^\s*([a-z]+)/i.exec(text)?.[1] ?? '').toUpperCase();
}

/** Opens a PGlite transaction and answers once it holds the instance; it ends when `finish` is called. */
function openTransaction(db: PGlite): Promise<OpenTransaction> {
  return new Promise((opened, failedToOpen) => {
    let end!: (commit: boolean) => void;
    const decided = new Promise<boolean>((resolve) => (end = resolve));
    const done = db
      .transaction(async (tx) => {
        opened({ tx, finish: (commit) => (end(commit), done) });
        if (!(await decided)) await tx.rollback();
      })
      .catch((error: unknown) => {
        failedToOpen(error);
        throw error;
      });
    // `finish` awaits `done`; until then nobody does, so a failure to open must not go unhandled.
    done.catch(() => undefined);
  });
}

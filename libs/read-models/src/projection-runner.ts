import { type EventStore, migrate, type RecordedEvent, type SqlClient } from '@app/event-store';
import { batches } from './batches';
import { CHECKPOINTS_MIGRATION, claimCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoints';
import type { Projection, SqlQuery } from './projection';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  readonly quietMs?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** How long to wait before resubscribing after a failure (the store or database went away). */
  readonly retryMs?: number;
  /** How often a runner whose projection another instance owns tries to take it over (that owner may have died). */
  readonly takeoverMs?: number;
  /** How often an owner checks that the connection holding its ownership is alive. */
  readonly heartbeatMs?: number;
}

/** First key of the advisory locks that give one runner at a time ownership of a projection (the second: its name). */
const OWNERSHIP_LOCK_CLASS = 7355611;

/**
 * Tails the store's global feed for each projection from its stored checkpoint and applies events
 * in batches, each batch in one transaction with its checkpoint. Of several runners (api instances, projectors), one
 * at a time owns a projection — a session advisory lock held on its own connection — and the others stand by, trying
 * to take over every `takeoverMs`; the lock goes when its owner stops, dies or loses that connection.
 */
export class ProjectionRunner {
  private readonly controller = new AbortController();
  private running: Promise<void>[] = [];

  constructor(
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectionRunnerOptions = {},
  ) {}

  get names(): string[] {
    return this.projections.map((projection) => projection.name);
  }

  async migrate(): Promise<void> {
    await migrate(
      this.sql,
      7355609,
      CHECKPOINTS_MIGRATION,
      ...this.projections.map((projection) => projection.migration),
    );
  }

  async start(): Promise<void> {
    await this.migrate();
    this.running = this.projections.map((projection) => this.keepRunning(projection));
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await Promise.all(this.running);
  }

  private async keepRunning(projection: Projection): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        const owned = await this.sql.session((query, lost) => this.runWhileOwner(projection, query, lost));
        if (!owned) await pause(this.options.takeoverMs ?? 2000, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(projection.name, error);
        await pause(this.options.retryMs ?? 1000, signal);
      }
    }
  }

  /** Runs the projection for as long as this runner owns it; false when another runner owns it. */
  private async runWhileOwner(projection: Projection, session: SqlQuery, lost: AbortSignal): Promise<boolean> {
    const [{ owner }] = await session<{ owner: boolean }>('SELECT pg_try_advisory_lock($1, hashtext($2)) AS owner', [
      OWNERSHIP_LOCK_CLASS,
      projection.name,
    ]);
    if (!owner) return false;
    // A connection can die without telling its idle client: ask it now and then, and stop owning when it fails.
    const silentlyLost = new AbortController();
    const heartbeat = setInterval(
      () => session('SELECT 1').catch((error: unknown) => silentlyLost.abort(error)),
      this.options.heartbeatMs ?? 5000,
    );
    try {
      await this.run(projection, AbortSignal.any([this.controller.signal, lost, silentlyLost.signal]));
      return true;
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async run(projection: Projection, signal: AbortSignal): Promise<void> {
    const from = await loadCheckpoint(this.sql.query, projection.name);
    const feed = this.store.subscribe({ from, filter: projection.filter, signal });
    for await (const batch of batches(feed, this.options.batchSize ?? 500, this.options.quietMs ?? 5)) {
      if (projection.appendsToStore) await this.applyThenCheckpoint(projection, batch);
      else
        await this.sql.transaction(async (query) => {
          const done = await claimCheckpoint(query, projection.name);
          const fresh = batch.filter((event) => event.position > done);
          if (fresh.length === 0) return;
          await projection.apply(fresh, query);
          await saveCheckpoint(query, projection.name, fresh[fresh.length - 1].position);
        });
    }
  }

  /** A process manager's batch: its appends are idempotent, so a crash before the checkpoint only repeats no-ops. */
  private async applyThenCheckpoint(projection: Projection, batch: readonly RecordedEvent[]): Promise<void> {
    const done = (await loadCheckpoint(this.sql.query, projection.name)) ?? 0n;
    const fresh = batch.filter((event) => event.position > done);
    if (fresh.length === 0) return;
    await projection.apply(fresh, this.sql.query);
    await saveCheckpoint(this.sql.query, projection.name, fresh[fresh.length - 1].position);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

import { type EventStore, migrate, type RecordedEvent, type SqlClient } from '@app/event-store';
import { batches } from './batches';
import { CHECKPOINTS_MIGRATION, claimCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoints';
import type { Projection, SqlQuery } from './projection';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  readonly quietMs?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** How long to wait before resubscribing (or reconnecting) after a failure (the store or database went away). */
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
 * at a time owns a projection — a session advisory lock, all of a runner's held on one connection — and the others stand by, trying
 * to take over every `takeoverMs`; the lock goes when its owner stops, dies or loses that connection.
 */
export class ProjectionRunner {
  private readonly controller = new AbortController();
  private owning: Promise<void> = Promise.resolve();

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
    this.owning = this.keepOwning();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.owning;
  }

  /** Holds one connection for this runner's ownership locks, and opens another when that one is lost. */
  private async keepOwning(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.sql.session((session, lost) => this.ownWhileConnected(session, lost));
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.('ownership', error);
        await pause(this.options.retryMs ?? 1000, signal);
      }
    }
  }

  /**
   * Takes every projection no other runner owns, runs each it owns, and tries for the others every `takeoverMs`, for
   * as long as the ownership connection lives; then stops them all, and the locks go with the connection.
   */
  private async ownWhileConnected(session: SqlQuery, lost: AbortSignal): Promise<void> {
    // A connection can die without telling its idle client: ask it now and then, and stop owning when it fails.
    const ended = new AbortController();
    const heartbeat = setInterval(
      () => session('SELECT 1').catch((error: unknown) => ended.abort(error)),
      this.options.heartbeatMs ?? 5000,
    );
    const owning = AbortSignal.any([this.controller.signal, lost, ended.signal]);
    const running = new Map<string, Promise<void>>();
    try {
      while (!owning.aborted) {
        for (const projection of this.projections.filter((candidate) => !running.has(candidate.name))) {
          const [{ owner }] = await session<{ owner: boolean }>(
            'SELECT pg_try_advisory_lock($1, hashtext($2)) AS owner',
            [OWNERSHIP_LOCK_CLASS, projection.name],
          );
          if (owner) running.set(projection.name, this.keepRunning(projection, owning));
        }
        if (running.size === this.projections.length) await untilAborted(owning);
        else await pause(this.options.takeoverMs ?? 2000, owning);
      }
    } finally {
      clearInterval(heartbeat);
      ended.abort();
      await Promise.all(running.values());
    }
  }

  /** Runs an owned projection until ownership ends, resubscribing after a failure (the store or database went away). */
  private async keepRunning(projection: Projection, owning: AbortSignal): Promise<void> {
    while (!owning.aborted) {
      try {
        await this.run(projection, owning);
      } catch (error) {
        if (owning.aborted) return;
        this.options.onError?.(projection.name, error);
        await pause(this.options.retryMs ?? 1000, owning);
      }
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

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

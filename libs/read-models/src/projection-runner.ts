import { type EventStore, migrate, type SqlClient } from '@app/event-store';
import { batches } from './batches';
import { CHECKPOINTS_MIGRATION, claimCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoints';
import type { Projection } from './projection';

export interface ProjectionRunnerOptions {
  readonly batchSize?: number;
  readonly quietMs?: number;
  readonly onError?: (projection: string, error: unknown) => void;
  /** How long to wait before resubscribing after a failure (the store or database went away). */
  readonly retryMs?: number;
}

/**
 * Tails the store's global feed for each projection from its stored checkpoint and applies events
 * in batches, each batch in one transaction with its checkpoint.
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
        await this.run(projection, signal);
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(projection.name, error);
        await new Promise((resolve) => setTimeout(resolve, this.options.retryMs ?? 1000));
      }
    }
  }

  private async run(projection: Projection, signal: AbortSignal): Promise<void> {
    const from = await loadCheckpoint(this.sql.query, projection.name);
    const feed = this.store.subscribe({ from, filter: projection.filter, signal });
    for await (const batch of batches(feed, this.options.batchSize ?? 500, this.options.quietMs ?? 5)) {
      await this.sql.transaction(async (query) => {
        const done = await claimCheckpoint(query, projection.name);
        const fresh = batch.filter((event) => event.position > done);
        if (fresh.length === 0) return;
        await projection.apply(fresh, query);
        await saveCheckpoint(query, projection.name, fresh[fresh.length - 1].position);
      });
    }
  }
}

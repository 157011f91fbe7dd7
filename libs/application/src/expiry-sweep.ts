import { awardsExpiredBetween } from '@app/read-models';
import type { EventStore, SqlClient } from '@app/event-store';
import { type OnRefused, readPathways, reconcileLearner } from './conferral.process-manager';
import { deriveId } from './derive-id';
import type { StreamCommands } from './stream-commands';

/**
 * An award's expiry is no event, yet it may break the basis of a qualification: this sweep finds the awards that
 * expired since it last looked and reconciles their learners at the instant of expiry. Command ids derive from the
 * award and its expiry, so sweeps on several instances, or repeated after a crash, act once.
 */
export class ExpirySweep {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly streams: StreamCommands,
    private readonly store: EventStore,
    private readonly sql: SqlClient,
    private readonly options: { intervalMs: number; onRefused?: OnRefused; onError?: (error: unknown) => void },
  ) {}

  start(): void {
    const tick = async () => {
      const run = this.sweep().then(
        () => undefined,
        (error: unknown) => this.options.onError?.(error),
      );
      this.running = run;
      await run;
      if (this.timer) this.timer = setTimeout(() => void tick(), this.options.intervalMs);
    };
    this.timer = setTimeout(() => void tick(), this.options.intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Reconciles every learner with an award that expired after the last sweep and by `now`. */
  async sweep(now = new Date()): Promise<number> {
    const [row] = await this.sql.query<{ swept_until: Date }>(
      "SELECT swept_until FROM tessera_expiry_sweep WHERE name = 'awards'",
    );
    const expired = await awardsExpiredBetween(this.sql.query, row ? new Date(row.swept_until) : new Date(0), now);
    if (expired.length > 0) {
      const source = { store: this.store, query: this.sql.query };
      const pathways = await readPathways(source);
      for (const award of expired) {
        const id = deriveId('expiry', award.awardId, award.validUntil);
        await reconcileLearner(
          this.streams,
          source,
          pathways,
          award.learnerId,
          { id, at: award.validUntil, correlationId: id },
          this.options.onRefused,
        );
      }
    }
    await this.sql.query(
      `INSERT INTO tessera_expiry_sweep (name, swept_until) VALUES ('awards', $1)
       ON CONFLICT (name) DO UPDATE SET swept_until = EXCLUDED.swept_until`,
      [now.toISOString()],
    );
    return expired.length;
  }
}

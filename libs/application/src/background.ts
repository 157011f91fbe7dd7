import type { OpenedEventStore } from '@app/event-store';
import { ProjectionRunner, type ProjectionRunnerOptions, type ProjectionStateChange } from '@app/read-models';
import { ExpirySweep } from './expiry-sweep';
import { subscribersFor } from './projections';
import { StreamCommands } from './stream-commands';

/** How a failing projection is retried (the configuration's `projectionRetry`). */
type RetryPace = Required<Pick<ProjectionRunnerOptions, 'retryMs' | 'retriesBeforeFailed' | 'failedRetryMs'>>;

export interface BackgroundLog {
  warn(message: string): void;
  error(message: string): void;
}

/**
 * What runs beside the api's requests: the projections and process managers (each from its checkpoint) and the
 * expiry sweep. The projector runs it; on the embedded default, the api itself.
 */
export class Background {
  private readonly runner: ProjectionRunner;
  private readonly sweep: ExpirySweep;

  constructor(
    storage: OpenedEventStore,
    options: { expirySweepMs: number; projectionRetry: RetryPace },
    log: BackgroundLog,
  ) {
    const onRefused = (learnerId: string, pathwayId: string, error: { code: string; detail: string }) =>
      log.warn(`conferral of ${pathwayId} on ${learnerId} refused: ${error.code} — ${error.detail}`);
    this.runner = new ProjectionRunner(storage.store, storage.sql, subscribersFor(storage, onRefused), {
      ...options.projectionRetry,
      onError: (projection, error) =>
        log.error(`projection ${projection} failed, retrying: ${(error as Error).message}`),
      onStateChange: (change) => sayStateChange(change, options.projectionRetry, log),
    });
    this.sweep = new ExpirySweep(new StreamCommands(storage.store), storage.store, storage.sql, {
      intervalMs: options.expirySweepMs,
      onRefused,
      onError: (error) => log.error(`expiry sweep failed, retrying: ${(error as Error).message}`),
    });
  }

  get projections(): readonly string[] {
    return this.runner.names;
  }

  async start(): Promise<void> {
    this.runner.start();
    this.sweep.start();
  }

  async stop(): Promise<void> {
    await this.sweep.stop();
    await this.runner.stop();
  }
}

/** Once per change of a projection's state, not per retry. */
function sayStateChange(change: ProjectionStateChange, retry: RetryPace, log: BackgroundLog): void {
  const { projection, position, error } = change;
  if (change.state === 'failing')
    log.warn(`projection ${projection} failing at position ${position}, retrying with backoff: ${error}`);
  else if (change.state === 'failed')
    log.error(
      `projection ${projection} FAILED at position ${position} after ${change.attempts} attempts, marked failed ` +
        `(GET /health is 503); retrying every ${retry.failedRetryMs} ms, on restart or after a rebuild: ${error}`,
    );
  else log.warn(`projection ${projection} recovered at position ${position} after ${change.attempts} attempts`);
}

import type { OpenedEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import { ExpirySweep } from './expiry-sweep';
import { projectionsFor } from './projections';
import { StreamCommands } from './stream-commands';

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

  constructor(storage: OpenedEventStore, options: { expirySweepMs: number }, log: BackgroundLog) {
    const onRefused = (learnerId: string, pathwayId: string, error: { code: string; detail: string }) =>
      log.warn(`conferral of ${pathwayId} on ${learnerId} refused: ${error.code} — ${error.detail}`);
    this.runner = new ProjectionRunner(storage.store, storage.sql, projectionsFor(storage.store, onRefused), {
      onError: (projection, error) =>
        log.error(`projection ${projection} failed, retrying: ${(error as Error).message}`),
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
    await this.runner.start();
    await this.sweep.start();
  }

  async stop(): Promise<void> {
    await this.sweep.stop();
    await this.runner.stop();
  }
}

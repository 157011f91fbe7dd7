import { describeStorage, type TesseraConfig } from '@app/config';
import type { EventStore, SqlClient } from '@app/event-store';
import { listCheckpoints, listFailures } from '@app/read-models';
import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from '../storage.tokens';

export interface HealthReport {
  /** `degraded`: the stores answer, but a projection is marked failed (its read model stands still). */
  status: 'ok' | 'degraded' | 'unavailable';
  store: { events: string; database: string; eventsReachable: boolean; databaseReachable: boolean };
  projections: {
    mode: 'inline' | 'off';
    checkpoints: Array<{ projection: string; position: string; updatedAt: string }>;
    /** The projections that could not get past an event: which, since when, and why. */
    failed: Array<{ projection: string; position: string; error: string; since: string }>;
  };
}

/** Whether the stores answer and no projection is failed, with every projection's position. */
@Injectable()
export class HealthService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  async report(): Promise<HealthReport> {
    const [eventsReachable, checkpoints, failures] = await Promise.all([
      this.store.ping(),
      listCheckpoints(this.sql).catch(() => undefined),
      listFailures(this.sql.query).catch(() => []),
    ]);
    const databaseReachable = checkpoints !== undefined;
    const status = !eventsReachable || !databaseReachable ? 'unavailable' : failures.length > 0 ? 'degraded' : 'ok';
    return {
      status,
      store: { ...describeStorage(this.config.storage), eventsReachable, databaseReachable },
      projections: {
        mode: this.config.projections,
        checkpoints: (checkpoints ?? []).map((checkpoint) => ({
          projection: checkpoint.projection,
          position: checkpoint.position.toString(),
          updatedAt: checkpoint.updatedAt.toISOString(),
        })),
        failed: failures.map((failure) => ({
          projection: failure.projection,
          position: failure.position.toString(),
          error: failure.error,
          since: failure.since.toISOString(),
        })),
      },
    };
  }
}

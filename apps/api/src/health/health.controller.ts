import { describeStorage, type TesseraConfig } from '@app/config';
import type { EventStore, SqlClient } from '@app/event-store';
import { listCheckpoints } from '@app/read-models';
import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from '../storage.tokens';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  store: { events: string; database: string; eventsReachable: boolean; databaseReachable: boolean };
  projections: {
    mode: 'inline' | 'off';
    checkpoints: Array<{ projection: string; position: string; updatedAt: string }>;
  };
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'Alive, and the stores answer' })
  @ApiServiceUnavailableResponse({ description: 'Alive, but a store does not answer' })
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const [eventsReachable, checkpoints] = await Promise.all([
      this.store.ping(),
      listCheckpoints(this.sql).catch(() => undefined),
    ]);
    const databaseReachable = checkpoints !== undefined;
    const ok = eventsReachable && databaseReachable;
    response.status(ok ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: ok ? 'ok' : 'unavailable',
      store: { ...describeStorage(this.config.storage), eventsReachable, databaseReachable },
      projections: {
        mode: this.config.projections,
        checkpoints: (checkpoints ?? []).map((checkpoint) => ({
          projection: checkpoint.projection,
          position: checkpoint.position.toString(),
          updatedAt: checkpoint.updatedAt.toISOString(),
        })),
      },
    };
  }
}

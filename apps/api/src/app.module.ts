import type { TesseraConfig } from '@app/config';
import type { EventStore, SqlClient } from '@app/event-store';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './problems/problem.filter';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from './storage.tokens';

@Module({})
export class AppModule {
  /** The stores are opened before Nest starts, so a bad configuration fails in one line, not in DI. */
  static register(config: TesseraConfig, store: EventStore, sql: SqlClient): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController],
      providers: [
        { provide: TESSERA_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: store },
        { provide: SQL_CLIENT, useValue: sql },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}

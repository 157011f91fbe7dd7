import type { TesseraConfig } from '@app/config';
import type { OpenedEventStore } from '@app/event-store';
import type { ProjectionRunner } from '@app/read-models';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { HealthController } from './health/health.controller';
import { ProblemFilter } from './problems/problem.filter';
import { StorageLifecycle } from './storage.lifecycle';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from './storage.tokens';

@Module({})
export class AppModule {
  /** The stores are opened before Nest starts, so a bad configuration fails in one line, not in DI. */
  static register(config: TesseraConfig, storage: OpenedEventStore, runner?: ProjectionRunner): DynamicModule {
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot()],
      controllers: [HealthController],
      providers: [
        { provide: TESSERA_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: storage.store },
        { provide: SQL_CLIENT, useValue: storage.sql },
        { provide: StorageLifecycle, useValue: new StorageLifecycle(storage, runner) },
        { provide: APP_FILTER, useClass: ProblemFilter },
      ],
    };
  }
}

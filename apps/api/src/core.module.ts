import { StreamCommands, type Background } from '@app/application';
import type { TesseraConfig } from '@app/config';
import type { EventStore, OpenedEventStore } from '@app/event-store';
import { LearnerChanges } from '@app/read-models';
import { type DynamicModule, Global, Logger, Module } from '@nestjs/common';
import { LearnerAccess } from './auth/learner-access';
import { TokenVerifier } from './auth/token-verifier';
import { LearnerProfileStore } from './learners/learner-profile.store';
import { readSideProvider } from './queries/read-side.provider';
import { ReadYourWrites } from './queries/read-your-writes';
import { StorageLifecycle } from './storage.lifecycle';
import { EVENT_STORE, LEARNER_CHANGES, SQL_CLIENT, TESSERA_CONFIG } from './storage.tokens';

/**
 * What every feature module uses: the configuration, the opened stores, StreamCommands (the write side), the read side
 * the queries read (with read-your-writes), tenancy over learners, and learners' erasable profiles.
 */
@Global()
@Module({})
export class CoreModule {
  static register(config: TesseraConfig, storage: OpenedEventStore, background?: Background): DynamicModule {
    const changes = new LearnerChanges(storage.sql, {
      onError: (error) =>
        new Logger('LearnerChanges').warn(
          `not hearing which learners change (nothing is cached until it does): ${(error as Error).message}`,
        ),
    });
    const providers = [
      { provide: TESSERA_CONFIG, useValue: config },
      { provide: EVENT_STORE, useValue: storage.store },
      { provide: SQL_CLIENT, useValue: storage.sql },
      { provide: LEARNER_CHANGES, useValue: changes },
      { provide: StorageLifecycle, useValue: new StorageLifecycle(storage, background, changes) },
      { provide: TokenVerifier, useValue: new TokenVerifier(config.jwtSecret, config.tokenMaxAgeSeconds) },
      { provide: LearnerProfileStore, useValue: new LearnerProfileStore(storage.sql) },
      {
        provide: StreamCommands,
        useFactory: (store: EventStore) => new StreamCommands(store),
        inject: [EVENT_STORE],
      },
      ReadYourWrites,
      readSideProvider,
      LearnerAccess,
    ];
    return {
      module: CoreModule,
      providers,
      exports: providers.map((provider) => ('provide' in provider ? provider.provide : provider)),
    };
  }
}

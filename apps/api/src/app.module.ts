import type { TesseraConfig } from '@app/config';
import type { EventStore, OpenedEventStore } from '@app/event-store';
import type { Background } from '@app/application';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AchievementCommandHandler } from './achievements/achievement.handler';
import { AchievementsController } from './achievements/achievements.http.controller';
import { AnalyticsController } from './analytics/analytics.http.controller';
import { AuditController } from './audit/audit.http.controller';
import {
  AwardCredentialController,
  CredentialVerifyController,
  JwksController,
} from './credentials/credentials.http.controller';
import { ClrController } from './credentials/clr.http.controller';
import { IssuerKeyStore, keyEncryptionSecret } from './credentials/issuer-key.store';
import { QualificationCredentialController } from './credentials/qualification-credential.http.controller';
import { QualificationCredentials } from './credentials/qualification-credentials';
import { AwardCredentials } from './credentials/award-credentials';
import { LearnerAccess } from './auth/learner-access';
import { ClrCredentials } from './credentials/clr-credentials';
import { CredentialVerifier } from './credentials/credential-verifier';
import { KeyCompromise } from './credentials/key-compromise';
import { LedgerRecords } from './credentials/ledger-records';
import { StatusListStore } from './credentials/status-list.store';
import { AwardStatusSource, StatusLists } from './credentials/status-lists';
import { StatusListsController } from './credentials/status-lists.http.controller';
import { AuthGuard } from './auth/auth.guard';
import { TokenVerifier } from './auth/token-verifier';
import { ImpactComputations } from './pathways/impact-computations';
import { StreamCommands } from '@app/application';
import { FrameworksController } from './frameworks/frameworks.http.controller';
import { SchemasController } from './schemas/schemas.http.controller';
import { LearnerTranscriptController, TranscriptsController } from './transcripts/transcripts.http.controller';
import { HealthController } from './health/health.controller';
import { LearnerPathwaysController } from './pathways/learner-pathways.http.controller';
import { PathwayCommandHandler } from './pathways/pathway.handler';
import { PathwaysController } from './pathways/pathways.http.controller';
import { QualificationCommandHandler } from './pathways/qualification.handler';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { IssuerCommandHandler } from './issuers/issuer.handler';
import { IssuersController } from './issuers/issuers.http.controller';
import { LearnerProfileHandler } from './learners/learner-profile.handler';
import { LearnerProfileController } from './learners/learner-profile.http.controller';
import { LearnerProfileStore } from './learners/learner-profile.store';
import { Ob3ApiModule } from './ob3-api/ob3-api.module';
import { VcApiModule } from './vc-api/vc-api.module';
import { ProblemFilter } from './problems/problem.filter';
import { validationPipe } from './problems/validation';
import { ReadYourWrites } from './queries/read-your-writes';
import { AwardsController } from './records/awards.http.controller';
import { RecordCommandHandler } from './records/record.handler';
import { RecordsController } from './records/records.http.controller';
import { RequestInputGuard } from './security/request-input.guard';
import { RateLimitGuard } from './security/rate-limit.guard';
import { rateLimiting } from './security/security';
import { StorageLifecycle } from './storage.lifecycle';
import { EVENT_STORE, SQL_CLIENT, TESSERA_CONFIG } from './storage.tokens';

@Module({})
export class AppModule {
  /** The stores are opened before Nest starts, so a bad configuration fails in one line, not in DI. */
  static register(config: TesseraConfig, storage: OpenedEventStore, background?: Background): DynamicModule {
    return {
      module: AppModule,
      // Global, so that feature modules (the OB 3.0 API, VC-API) reach the stores and credential services below.
      global: true,
      imports: [CqrsModule.forRoot(), rateLimiting(config.rateLimitPerMinute), Ob3ApiModule, VcApiModule],
      controllers: [
        HealthController,
        IssuersController,
        AchievementsController,
        RecordsController,
        AwardsController,
        LearnerProfileController,
        PathwaysController,
        LearnerPathwaysController,
        FrameworksController,
        SchemasController,
        LearnerTranscriptController,
        TranscriptsController,
        AuditController,
        AnalyticsController,
        JwksController,
        AwardCredentialController,
        CredentialVerifyController,
        QualificationCredentialController,
        ClrController,
        StatusListsController,
      ],
      providers: [
        { provide: TESSERA_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: storage.store },
        { provide: SQL_CLIENT, useValue: storage.sql },
        { provide: StorageLifecycle, useValue: new StorageLifecycle(storage, background) },
        { provide: TokenVerifier, useValue: new TokenVerifier(config.jwtSecret, config.tokenMaxAgeSeconds) },
        { provide: ImpactComputations, useValue: new ImpactComputations(config.impactConcurrency) },
        { provide: IdempotencyStore, useValue: new IdempotencyStore(storage.sql) },
        { provide: LearnerProfileStore, useValue: new LearnerProfileStore(storage.sql) },
        {
          provide: IssuerKeyStore,
          useFactory: (streams: StreamCommands) =>
            new IssuerKeyStore(storage.sql, streams, config.publicUrl, keyEncryptionSecret(config)),
          inject: [StreamCommands],
        },
        { provide: StatusListStore, useValue: new StatusListStore(storage.sql) },
        {
          provide: StatusLists,
          useFactory: (entries: StatusListStore, keys: IssuerKeyStore) =>
            new StatusLists(entries, keys, config.publicUrl, new AwardStatusSource(storage.store)),
          inject: [StatusListStore, IssuerKeyStore],
        },
        { provide: APP_FILTER, useClass: ProblemFilter },
        // In this order: the rate limit (a flood costs little), the token, then the request's input.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RequestInputGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_PIPE, useValue: validationPipe },
        {
          provide: StreamCommands,
          useFactory: (store: EventStore) => new StreamCommands(store),
          inject: [EVENT_STORE],
        },
        ReadYourWrites,
        LearnerAccess,
        QualificationCredentials,
        AwardCredentials,
        ClrCredentials,
        CredentialVerifier,
        LedgerRecords,
        KeyCompromise,
        IssuerCommandHandler,
        AchievementCommandHandler,
        RecordCommandHandler,
        LearnerProfileHandler,
        PathwayCommandHandler,
        QualificationCommandHandler,
      ],
      exports: [
        TESSERA_CONFIG,
        EVENT_STORE,
        SQL_CLIENT,
        TokenVerifier,
        StreamCommands,
        IssuerKeyStore,
        LearnerProfileStore,
        AwardCredentials,
        ClrCredentials,
        CredentialVerifier,
      ],
    };
  }
}

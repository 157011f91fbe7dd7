import type { Background } from '@app/application';
import type { TesseraConfig } from '@app/config';
import type { OpenedEventStore, SqlClient } from '@app/event-store';
import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AchievementsModule } from './achievements/achievements.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { CoreModule } from './core.module';
import { CredentialsModule } from './credentials/credentials.module';
import { FrameworksModule } from './frameworks/frameworks.module';
import { HealthModule } from './health/health.module';
import { IdempotencyInterceptor } from './idempotency/idempotency.interceptor';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { IssuersModule } from './issuers/issuers.module';
import { LearnersModule } from './learners/learners.module';
import { Ob3ApiModule } from './ob3-api/ob3-api.module';
import { PathwaysModule } from './pathways/pathways.module';
import { ERROR_DIALECTS, ProblemFilter } from './problems/problem.filter';
import { imsxDialect } from './ob3-api/imsx';
import { consentDialect, oauthDialects } from './ob3-api/oauth.controller';
import { validationPipe } from './problems/validation';
import { RecordsModule } from './records/records.module';
import { RateLimitGuard } from './security/rate-limit.guard';
import { RequestInputGuard } from './security/request-input.guard';
import { rateLimiting } from './security/security';
import { SQL_CLIENT } from './storage.tokens';
import { TranscriptsModule } from './transcripts/transcripts.module';
import { VcApiModule } from './vc-api/vc-api.module';
import { XapiModule } from './xapi/xapi.module';

/**
 * The api: the core (stores, read side, tenancy), one module per capability, and what every request passes through —
 * the rate limit, the token, the input guard, idempotency, validation and the problem filter.
 */
@Module({})
export class AppModule {
  /** The stores are opened before Nest starts, so a bad configuration fails in one line, not in DI. */
  static register(config: TesseraConfig, storage: OpenedEventStore, background?: Background): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        rateLimiting(config.rateLimitPerMinute),
        CoreModule.register(config, storage, background),
        HealthModule,
        IssuersModule,
        AchievementsModule,
        RecordsModule,
        LearnersModule,
        PathwaysModule,
        FrameworksModule,
        TranscriptsModule,
        AuditModule,
        AnalyticsModule,
        CredentialsModule,
        Ob3ApiModule,
        VcApiModule,
        XapiModule,
      ],
      providers: [
        { provide: IdempotencyStore, useFactory: (sql: SqlClient) => new IdempotencyStore(sql), inject: [SQL_CLIENT] },
        { provide: ERROR_DIALECTS, useValue: [...oauthDialects, consentDialect, imsxDialect] },
        { provide: APP_FILTER, useClass: ProblemFilter },
        // In this order: the rate limit (a flood costs little), the token, then the request's input.
        { provide: APP_GUARD, useClass: RateLimitGuard },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: RequestInputGuard },
        { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
        { provide: APP_PIPE, useValue: validationPipe },
      ],
    };
  }
}

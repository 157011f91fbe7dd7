import type { SqlClient } from '@app/event-store';
import { type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { text, urlencoded } from 'express';
import { CredentialsModule } from '../credentials/credentials.module';
import { SQL_CLIENT } from '../storage.tokens';
import { ClrApiController } from './clr-api.controller';
import { CredentialUpsert } from './credential-upsert';
import { ExternalCredentialStore } from './external-credentials.store';
import { LearnerCredentials } from './learner-credentials';
import { OB3_PATH, Ob3ApiController } from './ob3-api.controller';
import { OAUTH_PATH, OAuthController } from './oauth.controller';
import { OAuth2Server, oauthServer } from './oauth-server';
import { OAuthTokenGuard } from './oauth-token.guard';
import { OAuthStore } from './oauth.store';

/**
 * The 1EdTech Open Badges 3.0 REST API and CLR 2.0 over OAuth 2.0 (issue 16). It uses the api's credential builders,
 * verifier, profile store and token verifier, which the app module shares.
 */
@Module({
  imports: [CredentialsModule],
  controllers: [OAuthController, Ob3ApiController, ClrApiController],
  providers: [
    { provide: OAuthStore, useFactory: (sql: SqlClient) => new OAuthStore(sql), inject: [SQL_CLIENT] },
    { provide: OAuth2Server, useFactory: (store: OAuthStore) => oauthServer(store), inject: [OAuthStore] },
    {
      provide: ExternalCredentialStore,
      useFactory: (sql: SqlClient) => new ExternalCredentialStore(sql),
      inject: [SQL_CLIENT],
    },
    OAuthTokenGuard,
    LearnerCredentials,
    CredentialUpsert,
  ],
})
export class Ob3ApiModule implements NestModule {
  /** The api parses JSON only; OAuth's authorize and token take forms, an upsert may be a VC-JWT as text/plain. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(urlencoded({ extended: false, limit: '16kb' }))
      .forRoutes(
        { path: `${OAUTH_PATH}/authorize`, method: RequestMethod.POST },
        { path: `${OAUTH_PATH}/token`, method: RequestMethod.POST },
      );
    consumer
      .apply(text({ type: 'text/plain', limit: '1mb' }))
      .forRoutes({ path: `${OB3_PATH}/credentials`, method: RequestMethod.POST });
  }
}

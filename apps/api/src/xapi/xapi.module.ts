import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { XapiAboutController, xapiVersionHeader } from './xapi-about.controller';
import { XapiAdminController } from './xapi-admin.http.controller';
import { XapiCommandHandler } from './xapi.handler';
import { XapiIssuerCache } from './xapi-issuer.cache';
import { XapiMappingQueryHandler } from './xapi.queries';
import { XapiConsistentThroughQueryHandler, XapiStatementsQueryHandler } from './xapi-statement-query';
import { XapiStatements } from './xapi-statements.service';
import { XapiStatementsController } from './xapi-statements.controller';

/** Evidence from learning platforms: xAPI clients, evidence mappings, and the statements resource. */
@Module({
  controllers: [XapiStatementsController, XapiAboutController, XapiAdminController],
  providers: [
    XapiCommandHandler,
    XapiIssuerCache,
    XapiMappingQueryHandler,
    XapiStatements,
    XapiStatementsQueryHandler,
    XapiConsistentThroughQueryHandler,
  ],
})
export class XapiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(xapiVersionHeader).forRoutes('xapi/*path');
  }
}

import { Module } from '@nestjs/common';
import { XapiAdminController } from './xapi-admin.http.controller';
import { XapiCommandHandler } from './xapi.handler';
import { XapiIssuerCache } from './xapi-issuer.cache';
import { XapiMappingQueryHandler } from './xapi.queries';
import { XapiStatements } from './xapi-statements.service';
import { XapiStatementsController } from './xapi-statements.controller';

/** Evidence from learning platforms: xAPI clients, evidence mappings, and the statements resource. */
@Module({
  controllers: [XapiStatementsController, XapiAdminController],
  providers: [XapiCommandHandler, XapiIssuerCache, XapiMappingQueryHandler, XapiStatements],
})
export class XapiModule {}

import { Module } from '@nestjs/common';
import { AuditController } from './audit.http.controller';
import { AuditVerifyQueryHandler } from './audit.queries';

@Module({ controllers: [AuditController], providers: [AuditVerifyQueryHandler] })
export class AuditModule {}

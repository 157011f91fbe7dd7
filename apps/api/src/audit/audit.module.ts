import { Module } from '@nestjs/common';
import { AuditActivityController } from './audit-activity.http.controller';
import { AuditController } from './audit.http.controller';
import { AuditVerifyQueryHandler } from './audit.queries';

@Module({ controllers: [AuditController, AuditActivityController], providers: [AuditVerifyQueryHandler] })
export class AuditModule {}

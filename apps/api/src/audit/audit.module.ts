import { Module } from '@nestjs/common';
import { AuditActivityController } from './audit-activity.http.controller';
import {
  AuditProgressQueryHandler,
  LedgerEventTotalQueryHandler,
  RecentActivityQueryHandler,
} from './audit-activity.queries';
import { AuditController } from './audit.http.controller';
import { AuditVerifyQueryHandler } from './audit.queries';

@Module({
  controllers: [AuditController, AuditActivityController],
  providers: [
    AuditVerifyQueryHandler,
    RecentActivityQueryHandler,
    LedgerEventTotalQueryHandler,
    AuditProgressQueryHandler,
  ],
})
export class AuditModule {}

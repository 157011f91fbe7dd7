import type { AuditReport } from '@app/application';
import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { AuditVerifyQuery } from './audit.queries';

/** The audit trail: every stream's hash chain, replayed and checked (docs/event-store.md, "Audit trail"). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('verify')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      '{ ok, streams, events, broken: [{ stream, revision, reason }] }: each broken stream with its first broken link',
  })
  verify(): Promise<AuditReport> {
    return this.queryBus.execute(new AuditVerifyQuery());
  }
}

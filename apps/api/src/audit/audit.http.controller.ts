import { type AuditReport, verifyAudit } from '@app/application';
import type { EventStore } from '@app/event-store';
import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { EVENT_STORE } from '../storage.tokens';

/** The audit trail: every stream's hash chain, replayed and checked (docs/event-store.md, "Audit trail"). */
@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('verify')
  @Roles('auditor')
  @ApiOkResponse({
    description:
      '{ ok, streams, events, broken: [{ stream, revision, reason }] }: each broken stream with its first broken link',
  })
  verify(): Promise<AuditReport> {
    return verifyAudit(this.store);
  }
}

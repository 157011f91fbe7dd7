import type { RecordCommand, RecordEvent } from '@app/domain';
import { Body, Controller, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { KeptByTheLedger } from '../idempotency/personal-data.decorator';
import { Command, type CommandMetadata, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { AwardLocationQuery } from './award.queries';
import { AwardStatusChangeDto, ReinstateAwardDto } from './record.dto';
import { ExecuteRecordCommand } from './record.handler';

const STATUS_AFTER = { SuspendAward: 'suspended', ReinstateAward: 'valid', RevokeAward: 'revoked' } as const;

/** Suspending, reinstating and revoking an award, found by its id. */
@ApiTags('awards')
@ApiBearerAuth()
// One record command per request, answered from its outcome alone.
@KeptByTheLedger()
@Controller('awards/:awardId')
export class AwardsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
  ) {}

  @Post('suspend')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ awardId, status: "suspended", position }' })
  suspend(@Param('awardId') awardId: string, @Body() body: AwardStatusChangeDto, @Command() metadata: CommandMetadata) {
    return this.change('SuspendAward', awardId, body.reason, metadata);
  }

  @Post('reinstate')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ awardId, status: "valid", position }' })
  reinstate(@Param('awardId') awardId: string, @Body() body: ReinstateAwardDto, @Command() metadata: CommandMetadata) {
    return this.change('ReinstateAward', awardId, body.reason, metadata);
  }

  @Post('revoke')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ awardId, status: "revoked", position }' })
  revoke(@Param('awardId') awardId: string, @Body() body: AwardStatusChangeDto, @Command() metadata: CommandMetadata) {
    return this.change('RevokeAward', awardId, body.reason, metadata);
  }

  private async change(
    type: keyof typeof STATUS_AFTER,
    awardId: string,
    reason: string | undefined,
    metadata: CommandMetadata,
  ) {
    const location = await this.queryBus.execute(new AwardLocationQuery(awardId));
    if (!location)
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-award',
        title: 'Not found',
        message: `no award ${awardId}`,
      });
    const data = {
      learnerId: location.learnerId,
      achievementId: location.achievementId,
      awardId,
      ...(reason === undefined ? {} : { reason }),
    };
    const command = { type, data, metadata: domainMetadata(metadata) } as RecordCommand;
    const outcome: CommandOutcome<RecordEvent> = await this.commandBus.execute(
      new ExecuteRecordCommand(command, metadata),
    );
    return { awardId, status: STATUS_AFTER[type], position: outcome.position.toString() };
  }
}

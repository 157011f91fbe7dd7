import type { LearnerEvent } from '@app/domain';
import { Body, Controller, Delete, Get, HttpCode, NotFoundException, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { assertLearnerAccess } from '../auth/learner-access';
import { Command, type CommandMetadata, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { PersonalDataOf } from '../idempotency/personal-data.decorator';
import { ExecuteLearnerCommand } from './learner-profile.handler';
import { LearnerProfileDto } from './learner-profile.dto';
import { LearnerProfileStore } from './learner-profile.store';

/** A learner's personal data: registrars, and the learner themself, may keep, read and erase it. */
@ApiTags('learner profiles')
@ApiBearerAuth()
@Controller('learners/:learnerId/profile')
export class LearnerProfileController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly profiles: LearnerProfileStore,
  ) {}

  @Put()
  @Roles('registrar', 'learner')
  @PersonalDataOf('learnerId')
  @ApiOkResponse({ description: '{ learnerId, position }' })
  async put(
    @Param('learnerId') learnerId: string,
    @Body() body: LearnerProfileDto,
    @Command() metadata: CommandMetadata,
  ) {
    assertLearnerAccess(metadata.actor, learnerId, ['registrar']);
    const outcome: CommandOutcome<LearnerEvent> = await this.commandBus.execute(
      new ExecuteLearnerCommand(
        {
          type: 'RecordLearnerProfile',
          data: { learnerId, fields: ['name', 'email'] },
          metadata: domainMetadata(metadata),
        },
        metadata,
        { name: body.name, email: body.email },
      ),
    );
    return { learnerId, position: outcome.position.toString() };
  }

  @Get()
  @Roles('registrar', 'learner')
  @ApiOkResponse({ description: '{ learnerId, name, email }' })
  async get(@Param('learnerId') learnerId: string, @CurrentActor() actor: Actor) {
    assertLearnerAccess(actor, learnerId, ['registrar']);
    const profile = await this.profiles.find(learnerId);
    if (!profile)
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-profile',
        title: 'Not found',
        message: `no profile for ${learnerId} (never given, or erased)`,
      });
    return { learnerId, name: profile.name, email: profile.email };
  }

  @Delete()
  @Roles('registrar', 'learner')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ learnerId, erased: true, position }' })
  async erase(@Param('learnerId') learnerId: string, @Command() metadata: CommandMetadata) {
    assertLearnerAccess(metadata.actor, learnerId, ['registrar']);
    const outcome: CommandOutcome<LearnerEvent> = await this.commandBus.execute(
      new ExecuteLearnerCommand(
        { type: 'EraseLearnerProfile', data: { learnerId }, metadata: domainMetadata(metadata) },
        metadata,
      ),
    );
    return { learnerId, erased: true, position: outcome.position.toString() };
  }
}

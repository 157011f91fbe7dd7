import { type LearnerEvent, requireIssuer } from '@app/domain';
import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Put,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { isLearnerSelf, LearnerAccess } from '../auth/learner-access';
import { Command, type CommandMetadata, domainMetadata } from '../commands/command-metadata';
import type { CommandOutcome } from '@app/application';
import { PersonalDataOf } from '../idempotency/personal-data.decorator';
import { ExecuteLearnerCommand } from './learner-profile.handler';
import { LearnerProfileQuery } from './learner-profile.queries';
import { LearnerProfileDto } from './learner-profile.dto';
import { LearnerProfileStore } from './learner-profile.store';

/**
 * A learner's personal data: the learner themself may keep, read and erase it, and so may a registrar of an issuer that
 * holds a record of the learner or registered the profile (the issuer is recorded in the ledger's event).
 */
@ApiTags('learner profiles')
@ApiBearerAuth()
@Controller('learners/:learnerId/profile')
export class LearnerProfileController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly profiles: LearnerProfileStore,
    private readonly queryBus: QueryBus,
    private readonly access: LearnerAccess,
  ) {}

  /** The issuers whose registrars recorded the learner's profile, from the learner's own stream. */
  private async registeredBy(learnerId: string): Promise<string[]> {
    const state = await this.queryBus.execute(new LearnerProfileQuery(learnerId));
    return state.registeredBy;
  }

  private async assertKeeper(actor: Actor, learnerId: string): Promise<void> {
    await this.access.assertProfileKeeper(actor, learnerId, actor.issuers, await this.registeredBy(learnerId));
  }

  @Put()
  @Roles('registrar', 'learner')
  @PersonalDataOf('learnerId')
  @ApiOkResponse({
    description:
      '{ learnerId, position } — a registrar records it for the issuer `issuerId` names (needed when their token ' +
      'holds several), which must hold a record of the learner or have registered the profile, unless no issuer does',
  })
  async put(
    @Param('learnerId') learnerId: string,
    @Body() body: LearnerProfileDto,
    @Command() metadata: CommandMetadata,
  ) {
    const { actor } = metadata;
    const issuerId =
      body.issuerId ??
      (!isLearnerSelf(actor, learnerId) && actor.roles.includes('registrar') ? registeringIssuer(actor) : undefined);
    if (issuerId !== undefined) requireIssuer(actor, issuerId, "keep a learner's profile");
    const acting = issuerId === undefined ? [] : [issuerId];
    await this.access.assertProfileKeeper(actor, learnerId, acting, await this.registeredBy(learnerId), true);
    const outcome: CommandOutcome<LearnerEvent> = await this.commandBus.execute(
      new ExecuteLearnerCommand(
        {
          type: 'RecordLearnerProfile',
          data: {
            learnerId,
            fields: ['name', 'email', ...(body.xapiAccount ? ['xapiAccount'] : [])],
            ...(issuerId === undefined ? {} : { issuerId }),
          },
          metadata: domainMetadata(metadata),
        },
        metadata,
        {
          name: body.name,
          email: body.email,
          ...(body.xapiAccount
            ? { xapiAccount: { homePage: body.xapiAccount.homePage, name: body.xapiAccount.name } }
            : {}),
        },
      ),
    );
    return { learnerId, position: outcome.position.toString() };
  }

  @Get()
  @Roles('registrar', 'learner')
  @ApiOkResponse({ description: '{ learnerId, name, email, xapiAccount?: { homePage, name } }' })
  async get(@Param('learnerId') learnerId: string, @CurrentActor() actor: Actor) {
    await this.assertKeeper(actor, learnerId);
    const profile = await this.profiles.find(learnerId);
    if (!profile)
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-profile',
        title: 'Not found',
        message: `no profile for ${learnerId} (never given, or erased)`,
      });
    return {
      learnerId,
      name: profile.name,
      email: profile.email,
      ...(profile.xapiAccount ? { xapiAccount: profile.xapiAccount } : {}),
    };
  }

  @Delete()
  @Roles('registrar', 'learner')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ learnerId, erased: true, position }' })
  async erase(@Param('learnerId') learnerId: string, @Command() metadata: CommandMetadata) {
    await this.assertKeeper(metadata.actor, learnerId);
    const outcome: CommandOutcome<LearnerEvent> = await this.commandBus.execute(
      new ExecuteLearnerCommand(
        { type: 'EraseLearnerProfile', data: { learnerId }, metadata: domainMetadata(metadata) },
        metadata,
      ),
    );
    return { learnerId, erased: true, position: outcome.position.toString() };
  }
}

/** The issuer a registrar records a profile for when the body names none: the one issuer of their token. */
function registeringIssuer(actor: Actor): string {
  if (actor.issuers.length === 1) return actor.issuers[0];
  throw new BadRequestException({
    type: 'urn:tessera:problem:issuer-required',
    title: 'Invalid input',
    message: `this token acts for ${actor.issuers.length === 0 ? 'no issuer' : `several issuers (${actor.issuers.join(', ')})`}: name the one the profile is recorded for with issuerId`,
    errors: [{ path: 'issuerId', code: 'issuer-required', message: 'the issuer the profile is recorded for' }],
  });
}

import { conferCommand, type CommandOutcome } from '@app/application';
import { DomainError, type QualificationEvent, requireIssuer } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { actsAsStaff, LearnerAccess } from '../auth/learner-access';
import { Command, type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import { NoFields } from '../problems/validation';
import { AsOfEffectiveAtQuery } from '../queries/as-of.query';
import { PathwayProgressQuery } from './pathway.queries';
import { ExecuteQualificationCommand } from './qualification.handler';

/** A learner's standing on a pathway: progress (now or as of an instant), and conferral by a registrar. */
@ApiTags('pathways')
@ApiBearerAuth()
@Controller('learners/:learnerId/pathways/:pathwayId')
export class LearnerPathwaysController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly access: LearnerAccess,
  ) {}

  @Get('progress')
  @Roles('registrar', 'auditor', 'learner')
  @ApiOkResponse({
    description:
      '{ pathwayId, version, satisfied, credits, missing, tree } — now, as of ?asOf= (the ledger as recorded then), ' +
      'or at ?effectiveAt= (what the learner had achieved by then, by the dates things happened, through the ' +
      'transcript’s fold; both may be given). Staff: of their issuers’ ' +
      'pathways (403 not-your-issuer), for a learner their issuers hold (404 unknown-learner)',
  })
  async progress(
    @Param('learnerId') learnerId: string,
    @Param('pathwayId') pathwayId: string,
    @Query() query: AsOfEffectiveAtQuery,
    @CurrentActor() actor: Actor,
  ) {
    const asOf = query.asOf === undefined ? undefined : new Date(query.asOf);
    const at = (asOf ?? new Date()).toISOString();
    const effectiveAt = query.effectiveAt === undefined ? undefined : new Date(query.effectiveAt).toISOString();
    const { pathway, result, version, ledger } = await this.queryBus.execute(
      new PathwayProgressQuery(learnerId, pathwayId, at, { asOf, effectiveAt }),
    );
    // Staff read progress on their issuers' pathways only (403), then of a learner those issuers hold (404)
    if (actsAsStaff(actor, learnerId)) requireIssuer(actor, pathway.issuerId, 'read progress on a pathway');
    await this.access.view(actor, learnerId, ['registrar', 'auditor'], ledger.events.at(-1)?.position);
    return {
      learnerId,
      pathwayId,
      version: version.version,
      title: version.definition.title,
      award: version.definition.award,
      ...(asOf ? { asOf: at } : {}),
      ...(effectiveAt ? { effectiveAt } : {}),
      satisfied: result.satisfied,
      credits: result.credits,
      missing: result.missing,
      countedAwards: result.countedAwards,
      tree: result.tree,
    };
  }

  @Post('confer')
  @Roles('registrar')
  @ApiCreatedResponse({
    description:
      '{ qualificationId, version, position } — by a registrar of the pathway’s issuer (403 not-your-issuer), for a ' +
      'pathway conferred by a registrar (422 automatic-conferral), once the rule is met (422 rule-not-met)',
  })
  @HttpCode(201)
  async confer(
    @Param('learnerId') learnerId: string,
    @Param('pathwayId') pathwayId: string,
    @Command() metadata: CommandMetadata,
    @Body(NoFields) _body: object, // it takes no fields: anything sent is refused, not ignored
  ) {
    const progress = await this.queryBus.execute(new PathwayProgressQuery(learnerId, pathwayId, metadata.now));
    // Who may confer, and whether anyone may by hand, before whether the learner meets the rule: another issuer's
    // registrar learns nothing of the learner's standing. The decider checks both again on the version evaluated.
    requireIssuer(metadata.actor, progress.pathway.issuerId, 'confer a qualification');
    if (progress.version.definition.conferral === 'automatic')
      throw new DomainError(
        'automatic-conferral',
        `The pathway ${pathwayId} is conferred automatically when its rule is met, not by a registrar`,
      );
    if (!progress.result.satisfied)
      throw new DomainError(
        'rule-not-met',
        `The learner ${learnerId} does not yet meet the rule of ${pathwayId} (see its progress)`,
      );
    const command = conferCommand(
      progress,
      deriveId(metadata.commandId, 'qualification'),
      'registrar',
      domainMetadata(metadata),
    );
    const outcome: CommandOutcome<QualificationEvent> = await this.commandBus.execute(
      new ExecuteQualificationCommand(command, metadata),
    );
    const event = outcome.events[0];
    if (event.type !== 'QualificationConferred') throw new Error(`ConferQualification answered ${event.type}`);
    return {
      qualificationId: event.data.qualificationId,
      version: event.data.version,
      position: outcome.position.toString(),
    };
  }
}

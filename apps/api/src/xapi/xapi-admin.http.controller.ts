import { randomBytes } from 'node:crypto';
import type { CommandOutcome } from '@app/application';
import { requireIssuer, requireRole, type XapiEvent } from '@app/domain';
import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { Command, type CommandMetadata, domainMetadata } from '../commands/command-metadata';
import { plain } from '../commands/plain';
import { AnswersSecretOnce } from '../idempotency/personal-data.decorator';
import { NoFields } from '../problems/validation';
import { RegisterXapiClientDto, XapiMappingDto } from './xapi.dto';
import { ExecuteXapiCommand } from './xapi.handler';
import { XapiMappingQuery } from './xapi.queries';
import { XapiStatements, xapiSecretHash } from './xapi-statements.service';

/** What an issuer-admin keeps of xAPI: the clients learning platforms send with, the mappings, what matched nothing. */
@ApiTags('xapi')
@ApiBearerAuth()
@Controller()
export class XapiAdminController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly statements: XapiStatements,
  ) {}

  /** A client for a learning platform: its secret is answered here once; only its SHA-256 is kept, in the ledger. */
  @Post('issuers/:issuerId/xapi-clients')
  @Roles('issuer-admin')
  @AnswersSecretOnce('secret')
  @ApiCreatedResponse({
    description:
      '{ clientId, secret, name, position } — the HTTP Basic credentials of /xapi/*; the secret is never shown again ' +
      '(an Idempotency-Key replay answers without it)',
  })
  async register(
    @Param('issuerId') issuerId: string,
    @Body() body: RegisterXapiClientDto,
    @Command() metadata: CommandMetadata,
  ) {
    const clientId = `${issuerId}.${randomBytes(12).toString('hex')}`;
    const secret = randomBytes(32).toString('base64url');
    const { event, position } = await this.run(
      {
        type: 'RegisterXapiClient',
        data: { issuerId, clientId, secretHash: xapiSecretHash(secret), ...(body.name ? { name: body.name } : {}) },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
    const registered = event.type === 'XapiClientRegistered' ? event.data : undefined;
    // A repeated command finds the first client: its secret is not known any more.
    const first = registered?.clientId === clientId;
    return { clientId: registered?.clientId, ...(first ? { secret } : {}), name: registered?.name, position };
  }

  @Post('issuers/:issuerId/xapi-clients/:clientId/revoke')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ clientId, revokedAt, position } — its credentials answer 401 from now on' })
  async revoke(
    @Param('issuerId') issuerId: string,
    @Param('clientId') clientId: string,
    @Command() metadata: CommandMetadata,
    @Body(NoFields) _body: object,
  ) {
    const { event, position } = await this.run(
      { type: 'RevokeXapiClient', data: { issuerId, clientId }, metadata: domainMetadata(metadata) },
      metadata,
    );
    return { clientId, revokedAt: event.type === 'XapiClientRevoked' ? event.data.revokedAt : undefined, position };
  }

  /** Statements received, how many became evidence, and those the ledger does not hold (no mapping, no learner). */
  @Get('issuers/:issuerId/xapi-statements/unmatched')
  @Roles('issuer-admin')
  @ApiOkResponse({
    description:
      '{ issuerId, received, matched, voiding, notInLedger: { unmatched, unknownActor, refused }, statements: ' +
      '[{ statementId, reason, verb, object, storedAt }] } — the latest 100, without their actors',
  })
  async unmatched(@Param('issuerId') issuerId: string, @CurrentActor() actor: Actor) {
    requireIssuer(actor, issuerId, 'read the xAPI statements');
    return this.statements.unmatched(issuerId);
  }

  /** Replaces the achievement's mapping: which statements are evidence of which criterion (and may assess it). */
  @Put('achievements/:achievementId/xapi-mapping')
  @Roles('issuer-admin')
  @ApiOkResponse({ description: '{ achievementId, issuerId, revision, rules, position }' })
  async setMapping(
    @Param('achievementId') achievementId: string,
    @Body() body: XapiMappingDto,
    @Command() metadata: CommandMetadata,
  ) {
    const { issuerId } = await this.queryBus.execute(new XapiMappingQuery(achievementId));
    const { event, position } = await this.run(
      {
        type: 'SetXapiMapping',
        data: { issuerId, achievementId, rules: plain<{ rules: unknown }>(body).rules },
        metadata: domainMetadata(metadata),
      },
      metadata,
    );
    if (event.type !== 'XapiMappingSet') throw new Error(`SetXapiMapping answered ${event.type}`);
    const { revision, rules } = event.data;
    return { achievementId, issuerId, revision, rules, position };
  }

  @Get('achievements/:achievementId/xapi-mapping')
  @Roles('issuer-admin')
  @ApiOkResponse({
    description: '{ achievementId, issuerId, revision, rules, setAt } — revision 0 and no rules before any',
  })
  async mapping(@Param('achievementId') achievementId: string, @CurrentActor() actor: Actor) {
    const { issuerId, mapping } = await this.queryBus.execute(new XapiMappingQuery(achievementId));
    requireRole(actor, ['issuer-admin'], 'read an xAPI mapping');
    requireIssuer(actor, issuerId, 'read an xAPI mapping');
    return {
      achievementId,
      issuerId,
      revision: mapping?.revision ?? 0,
      rules: mapping?.rules ?? [],
      ...(mapping ? { setAt: mapping.setAt } : {}),
    };
  }

  private async run(command: ExecuteXapiCommand['command'], metadata: CommandMetadata) {
    const outcome: CommandOutcome<XapiEvent> = await this.commandBus.execute(new ExecuteXapiCommand(command, metadata));
    return { event: outcome.events[0], position: outcome.position.toString() };
  }
}

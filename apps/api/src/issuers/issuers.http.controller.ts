import type { CommandOutcome } from '@app/application';
import type { TesseraConfig } from '@app/config';
import { issuerProfileDocument, type JsonObject } from '@app/credentials';
import {
  type Issuer,
  type IssuerEvent,
  type IssuerRecognition,
  isSlug,
  recognitionInForce,
  recognitionWindow,
} from '@app/domain';
import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public, Roles } from '../auth/auth.decorators';
import { Command, type CommandMetadata, deriveId, domainMetadata } from '../commands/command-metadata';
import { IssuerKeyStore } from '../credentials/issuer-key.store';
import { type CompromiseReport, KeyCompromise } from '../credentials/key-compromise';
import { NoFields } from '../problems/validation';
import { TESSERA_CONFIG } from '../storage.tokens';
import { CompromiseKeyDto } from './compromise-key.dto';
import { ExecuteIssuerCommand } from './issuer.handler';
import { IssuerQuery } from './issuer.queries';
import { RecordRecognitionDto, WithdrawRecognitionDto } from './recognition.dto';
import { RegisterIssuerDto } from './register-issuer.dto';

const LINKED_DATA = 'application/ld+json';

function requireIssuerId(issuerId: string): void {
  if (!isSlug(issuerId))
    throw new BadRequestException({
      type: 'urn:tessera:problem:invalid-id',
      title: 'Invalid input',
      message: 'issuerId must be an issuer id (a lower-case slug)',
    });
}

@ApiTags('issuers')
@ApiBearerAuth()
@Controller('issuers')
export class IssuersController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly keys: IssuerKeyStore,
    private readonly compromise: KeyCompromise,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  /** Registers the issuer, then makes its first signing key (none without a key-encryption key: made on first signing). */
  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: '{ id, position, keyId? }' })
  async register(@Body() body: RegisterIssuerDto, @Command() metadata: CommandMetadata) {
    const { id, ...rest } = body;
    const outcome: CommandOutcome<IssuerEvent> = await this.commandBus.execute(
      new ExecuteIssuerCommand(
        { type: 'RegisterIssuer', data: { issuerId: id, ...rest }, metadata: domainMetadata(metadata) },
        metadata,
      ),
    );
    const issuerId = outcome.events[0].data.issuerId;
    const key = await this.keys.ensureFirstKey(issuerId, metadata);
    return { id: issuerId, position: outcome.position.toString(), ...(key ? { keyId: key.keyId } : {}) };
  }

  /** A new signing key for the issuer; the previous one stops signing now but stays published with its window. */
  @Post(':issuerId/keys/rotate')
  @Roles('admin', 'issuer-admin')
  @ApiCreatedResponse({ description: '{ issuerId, keyId, previousKeyId?, validFrom, position }' })
  async rotateKey(
    @Param('issuerId') issuerId: string,
    @Command() metadata: CommandMetadata,
    @Body(NoFields) _body: object, // it takes no fields: anything sent is refused, not ignored
  ) {
    requireIssuerId(issuerId);
    const { event, position } = await this.keys.rotate(issuerId, metadata);
    return {
      issuerId,
      keyId: event.data.keyId,
      ...(event.data.previousKeyId === undefined ? {} : { previousKeyId: event.data.previousKeyId }),
      validFrom: event.data.rotatedAt,
      position: position.toString(),
    };
  }

  /**
   * The key leaked: it leaves the JWKS and the profile, nothing it signed verifies any more, and what it may have
   * signed is re-signed by the current key (a rotated-out key only: rotate first).
   */
  @Post(':issuerId/keys/:keyId/compromise')
  @Roles('admin', 'issuer-admin')
  @ApiCreatedResponse({
    description:
      '{ issuerId, keyId, since, reportedAt, signingKeyId, awardIds, qualificationIds, statusLists, counts: ' +
      '{ awards, qualifications, statusLists }, position } — what the current key now signs in the key’s place',
  })
  async compromiseKey(
    @Param('issuerId') issuerId: string,
    @Param('keyId') keyId: string,
    @Body() body: CompromiseKeyDto,
    @Command() metadata: CommandMetadata,
  ): Promise<CompromiseReport> {
    requireIssuerId(issuerId);
    return this.compromise.report(issuerId, keyId, body.since, metadata);
  }

  /**
   * The issuer: its registration fields and key ids, and, in the same object, its OB 3.0 Profile with its public
   * keys (`verificationMethod`, each with its window). `Accept: application/ld+json` gives the Profile alone.
   */
  @Get(':issuerId')
  @Public()
  @ApiOkResponse({
    description:
      '{ status, issuerId, name, url, country, qualityAssurance, framework?, keyIds, @context, id, type: [Profile], ' +
      'description, address, verificationMethod: [{ id (the kid), type: JsonWebKey, controller, publicKeyJwk, ' +
      'validFrom, validUntil? }] }; with Accept: application/ld+json only the OB 3.0 Profile members',
  })
  async profile(
    @Param('issuerId') issuerId: string,
    @Res({ passthrough: true }) response: Response,
    @Headers('accept') accept?: string,
  ): Promise<JsonObject> {
    // Read after keysOf, which records a key made before keys were recorded, so the state names every key.
    const published = await this.keys.publishedKeysOf(issuerId);
    const issuer = await this.registered(issuerId);
    const { keys, recognitions, ...fields } = issuer;
    const document = issuerProfileDocument(
      this.config.publicUrl,
      issuer,
      published.map((key) => ({
        kid: key.keyId,
        publicJwk: this.keys.jwk(key),
        validFrom: key.validFrom,
        ...(key.validUntil === undefined ? {} : { validUntil: key.validUntil }),
      })),
    );
    if (accept?.includes(LINKED_DATA)) {
      response.type(LINKED_DATA);
      return document;
    }
    const now = new Date().toISOString();
    return {
      ...fields,
      keyIds: keys.map((key) => key.keyId),
      recognitions: recognitions.filter((recognition) => recognitionInForce(recognition, now)).map(recognitionView),
      ...document,
    };
  }

  /**
   * Records that this issuer counts another issuer's achievements (all, or those listed) toward its pathways: awards
   * of them made within [from, until) count. An event on this issuer's stream.
   */
  @Post(':issuerId/recognitions')
  @Roles('issuer-admin')
  @ApiCreatedResponse({ description: '{ recognitionId, position }' })
  async recordRecognition(
    @Param('issuerId') issuerId: string,
    @Body() body: RecordRecognitionDto,
    @Command() metadata: CommandMetadata,
  ) {
    const recognitionId = deriveId(metadata.commandId, 'recognition');
    const { position } = await this.runIssuerCommand(
      { type: 'RecordRecognition', data: { issuerId, recognitionId, ...body }, metadata: domainMetadata(metadata) },
      metadata,
    );
    return { recognitionId, position };
  }

  /** Ends a recognition (now, or at a later instant): awards made from then on no longer count; earlier ones still do. */
  @Post(':issuerId/recognitions/:recognitionId/withdraw')
  @Roles('issuer-admin')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ recognitionId, effectiveAt, position }' })
  async withdrawRecognition(
    @Param('issuerId') issuerId: string,
    @Param('recognitionId') recognitionId: string,
    @Body() body: WithdrawRecognitionDto,
    @Command() metadata: CommandMetadata,
  ) {
    const { event, position } = await this.runIssuerCommand(
      { type: 'WithdrawRecognition', data: { issuerId, recognitionId, ...body }, metadata: domainMetadata(metadata) },
      metadata,
    );
    const effectiveAt = event.type === 'RecognitionWithdrawn' ? event.data.effectiveAt : undefined;
    return { recognitionId, effectiveAt, position };
  }

  /** Every recognition the issuer has recorded, withdrawn ones included, each with its window and whether in force. */
  @Get(':issuerId/recognitions')
  @Public()
  @ApiOkResponse({
    description:
      '{ issuerId, recognitions: [{ recognitionId, recognisedIssuerId, achievementIds, from, until?, agreement?, ' +
      'note?, recordedAt, withdrawal?: { effectiveAt, withdrawnAt, reason? }, window: { from, until? }, inForce }] }',
  })
  async recognitions(@Param('issuerId') issuerId: string) {
    const issuer = await this.registered(issuerId);
    return { issuerId, recognitions: issuer.recognitions.map(recognitionView) };
  }

  private async registered(issuerId: string): Promise<Extract<Issuer, { status: 'registered' }>> {
    const issuer = await this.queryBus.execute(new IssuerQuery(issuerId));
    if (issuer.status === 'unregistered')
      throw new NotFoundException({
        type: 'urn:tessera:problem:unknown-issuer',
        title: 'Not found',
        message: `no issuer ${issuerId}`,
      });
    return issuer;
  }

  private async runIssuerCommand(command: ExecuteIssuerCommand['command'], metadata: CommandMetadata) {
    const outcome: CommandOutcome<IssuerEvent> = await this.commandBus.execute(
      new ExecuteIssuerCommand(command, metadata),
    );
    return { event: outcome.events[0], position: outcome.position.toString() };
  }
}

/** A recognition as the api shows it: its terms, its window (closed by a withdrawal) and whether in force now. */
function recognitionView(recognition: IssuerRecognition) {
  const { from, until } = recognitionWindow(recognition);
  return {
    ...recognition,
    window: { from, ...(until === undefined ? {} : { until }) },
    inForce: recognitionInForce(recognition, new Date().toISOString()),
  };
}

import type { TesseraConfig } from '@app/config';
import { type LearnerEvent } from '@app/domain';
import { type CommandOutcome } from '@app/application';
import { Body, Controller, Get, HttpStatus, Inject, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { domainMetadata, type CommandMetadata, newCommandId } from '../commands/command-metadata';
import { ExecuteLearnerCommand } from '../learners/learner-profile.handler';
import { LearnerProfileStore } from '../learners/learner-profile.store';
import { AcceptsBodyOf } from '../security/request-input.guard';
import { TESSERA_CONFIG } from '../storage.tokens';
import { CredentialUpsert } from './credential-upsert';
import { ImsxError } from './imsx';
import { LearnerCredentials } from './learner-credentials';
import { OB3_SCOPES } from './ob3-scopes';
import { NeedsScope, type OAuthRequest, OAuthTokenGuard } from './oauth-token.guard';
import { credentialQuery, sendPage } from './paging';
import { serviceDescription } from './service-description';

export const OB3_PATH = 'ims/ob/v3p0';

const requestUrl = (config: TesseraConfig, request: OAuthRequest) => new URL(request.originalUrl, config.publicUrl);

/** The learner a token of the learner's own wallet acts for; an institution's systems have no profile to reach. */
function ownLearner(request: OAuthRequest): string {
  const user = request.oauthUser!;
  if ('learnerId' in user) return user.learnerId;
  throw new ImsxError(HttpStatus.FORBIDDEN, 'an institution’s token reaches no learner’s profile', 'forbidden');
}

/**
 * The 1EdTech Open Badges 3.0 REST API (ob_v3p0_openapi.json): the service description, a learner's credentials
 * (their awards as VC-JWTs, and what they upserted from elsewhere) and their profile, under OAuth 2.0 access tokens.
 * Errors are the spec's Imsx_StatusInfo.
 */
@ApiTags('open badges 3.0 api')
@Controller(OB3_PATH)
export class Ob3ApiController {
  constructor(
    private readonly credentials: LearnerCredentials,
    private readonly upserts: CredentialUpsert,
    private readonly profiles: LearnerProfileStore,
    private readonly commandBus: CommandBus,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  @Get('discovery')
  @Public()
  @ApiOkResponse({
    description:
      'The Service Description Document: an OpenAPI 3.0 document naming the OAuth 2.0 endpoints (registration, ' +
      'authorization, token, refresh) and the OB 3.0 scopes',
  })
  discovery() {
    return serviceDescription(this.config.publicUrl);
  }

  @Get('credentials')
  @Public()
  @UseGuards(OAuthTokenGuard)
  @NeedsScope(OB3_SCOPES.credentialRead)
  @ApiBearerAuth()
  @ApiOkResponse({
    description:
      'GetOpenBadgeCredentialsResponse { compactJwsString: [VC-JWT], credential: [JSON] } of the token’s learner ' +
      '(an institution’s token: ?learner=, its issuer’s awards only); limit, offset, since; X-Total-Count and Link ' +
      'headers. Scope credential.readonly',
  })
  async list(
    @Query() query: Record<string, unknown>,
    @Req() request: OAuthRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const paging = credentialQuery(query);
    const holder = await this.credentials.holder(request.oauthUser!, query.learner);
    const since = paging.since?.toISOString();
    const all = (await this.credentials.list(holder)).filter((held) => since === undefined || held.issuedAt > since);
    const page = sendPage(response, requestUrl(this.config, request), paging, all);
    return {
      compactJwsString: page.flatMap((held) => ('jwt' in held ? [held.jwt] : [])),
      credential: page.flatMap((held) => ('json' in held ? [held.json] : [])),
    };
  }

  @Post('credentials')
  @Public()
  @UseGuards(OAuthTokenGuard)
  @NeedsScope(OB3_SCOPES.credentialUpsert)
  @AcceptsBodyOf(/^text\/plain\s*(;|$)/i)
  @ApiBearerAuth()
  @ApiConsumes('application/json', 'text/plain')
  @ApiBody({
    description: 'An AchievementCredential (application/json) or its VC-JWT compact JWS (text/plain)',
    schema: { oneOf: [{ type: 'object' }, { type: 'string' }] },
  })
  @ApiOkResponse({
    description:
      'Upserts a credential issued elsewhere — an AchievementCredential (JSON) or a VC-JWT (text/plain) — checked ' +
      'against the OB 3.0 schema and, where its key resolves, its proof: 201 when new, 200 when replaced, the ' +
      'credential as sent. Kept as the learner’s external credential (it counts in a pathway only through a ' +
      'recognition). Scope credential.upsert',
  })
  async upsert(
    @Body() body: unknown,
    @Query('learner') learner: unknown,
    @Req() request: OAuthRequest,
    @Res() response: Response,
  ): Promise<void> {
    const holder = await this.credentials.holder(request.oauthUser!, learner);
    const { created } = await this.upserts.upsert(holder.learnerId, body);
    response.status(created ? 201 : 200);
    if (typeof body === 'string') response.type('text/plain').send(body.trim());
    else response.json(body);
  }

  @Get('profile')
  @Public()
  @UseGuards(OAuthTokenGuard)
  @NeedsScope(OB3_SCOPES.profileRead)
  @ApiBearerAuth()
  @ApiOkResponse({
    description: 'The learner’s OB 3.0 Profile { id, type: ["Profile"], name, email }. Scope profile.readonly',
  })
  async profile(@Req() request: OAuthRequest) {
    const learnerId = ownLearner(request);
    const profile = await this.profiles.find(learnerId);
    if (!profile)
      throw new ImsxError(HttpStatus.NOT_FOUND, `no profile for ${learnerId} (never given, or erased)`, 'not_found');
    return this.profileDocument(learnerId, profile.name, profile.email);
  }

  @Put('profile')
  @Public()
  @UseGuards(OAuthTokenGuard)
  @NeedsScope(OB3_SCOPES.profileUpdate)
  @ApiBearerAuth()
  @ApiOkResponse({
    description:
      'Replaces the learner’s name and email from an OB 3.0 Profile (both required; other fields are not kept), ' +
      'recorded in the ledger like PUT /learners/:id/profile; answers the Profile. Scope profile.update',
  })
  async putProfile(@Body() body: unknown, @Req() request: OAuthRequest) {
    const learnerId = ownLearner(request);
    const { name, email, type } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    if (!Array.isArray(type) || !type.includes('Profile'))
      throw new ImsxError(HttpStatus.BAD_REQUEST, 'a Profile’s type must be a list holding "Profile"', 'invalid_data');
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200)
      throw new ImsxError(HttpStatus.BAD_REQUEST, 'name must be a string of 1 to 200 characters', 'invalid_data');
    if (typeof email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
      throw new ImsxError(HttpStatus.BAD_REQUEST, 'email must be an email address', 'invalid_data');
    const commandId = newCommandId();
    const metadata: CommandMetadata = {
      commandId,
      correlationId: commandId,
      actor: { sub: `oauth-client:${request.oauthClientId}`, roles: ['learner'], issuers: [], learner: learnerId },
      now: new Date().toISOString(),
    };
    await this.commandBus.execute<ExecuteLearnerCommand, CommandOutcome<LearnerEvent>>(
      new ExecuteLearnerCommand(
        {
          type: 'RecordLearnerProfile',
          data: { learnerId, fields: ['name', 'email'] },
          metadata: domainMetadata(metadata),
        },
        metadata,
        { name, email },
      ),
    );
    return this.profileDocument(learnerId, name, email);
  }

  private profileDocument(learnerId: string, name: string, email: string) {
    return {
      id: `${this.config.publicUrl}/learners/${encodeURIComponent(learnerId)}`,
      type: ['Profile'],
      name,
      email,
    };
  }
}

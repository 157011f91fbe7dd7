import type { LearnerLedger } from '@app/application';
import type { TesseraConfig } from '@app/config';
import { foldTranscript } from '@app/domain';
import { Controller, Get, Inject, NotFoundException, Query, Req, Res, UseGuards } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { ClrCredentials } from '../credentials/clr-credentials';
import { LearnerLedgerQuery } from '../credentials/credential.queries';
import { TESSERA_CONFIG } from '../storage.tokens';
import { LearnerCredentials } from './learner-credentials';
import { CLR_CREDENTIAL_READ_SCOPE } from './ob3-scopes';
import { NeedsScope, type OAuthRequest, OAuthTokenGuard } from './oauth-token.guard';
import { credentialQuery, sendPage } from './paging';
import { serviceDescription } from './service-description';

/**
 * CLR 2.0 over the same OAuth 2.0 as the OB 3.0 API. No CLR 2.0 OpenAPI document is available offline, so this
 * follows the OB 3.0 one: discovery, and the learner's ClrCredentials (one per issuer) as VC-JWTs.
 */
@ApiTags('open badges 3.0 api')
@Controller('ims/clr/v2p0')
export class ClrApiController {
  constructor(
    private readonly clrs: ClrCredentials,
    private readonly credentials: LearnerCredentials,
    private readonly queryBus: QueryBus,
    @Inject(TESSERA_CONFIG) private readonly config: TesseraConfig,
  ) {}

  @Get('discovery')
  @Public()
  @ApiOkResponse({ description: 'The CLR 2.0 Service Description Document (OAuth endpoints and the CLR scope)' })
  discovery() {
    return serviceDescription(this.config.publicUrl, 'clr');
  }

  @Get('credentials')
  @Public()
  @UseGuards(OAuthTokenGuard)
  @NeedsScope(CLR_CREDENTIAL_READ_SCOPE)
  @ApiBearerAuth()
  @ApiOkResponse({
    description:
      '{ compactJwsString: [ClrCredential VC-JWT, one per issuer] } of the token’s learner (an institution’s token: ' +
      '?learner=, its own issuer’s CLR); limit, offset; X-Total-Count and Link headers',
  })
  async list(
    @Query() query: Record<string, unknown>,
    @Req() request: OAuthRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    const paging = credentialQuery(query);
    const holder = await this.credentials.holder(request.oauthUser!, query.learner);
    const ledger: LearnerLedger = await this.queryBus.execute(new LearnerLedgerQuery(holder.learnerId));
    const transcript = foldTranscript(holder.learnerId, ledger.events);
    const issuers = [...new Set([...transcript.awards, ...transcript.qualifications].map((held) => held.issuerId))]
      .filter((issuerId) => holder.issuerId === undefined || issuerId === holder.issuerId)
      .sort();
    const clrs: string[] = [];
    for (const issuer of issuers) {
      try {
        clrs.push(await this.clrs.sign(await this.clrs.build(holder.learnerId, { issuer, ledger })));
      } catch (error) {
        // An issuer of whose credentials none is valid any more has no CLR to give.
        if (!(error instanceof NotFoundException)) throw error;
      }
    }
    return {
      compactJwsString: sendPage(response, new URL(request.originalUrl, this.config.publicUrl), paging, clrs),
    };
  }
}

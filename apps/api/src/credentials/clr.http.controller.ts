import type { JsonObject } from '@app/credentials';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { assertLearnerAccess } from '../auth/learner-access';
import { ClrCredentials } from './clr-credentials';
import { ClrQuery } from './credential-format.query';

/** A learner's Comprehensive Learner Record from one issuer: a CLR 2.0 ClrCredential, as JSON or a VC-JWT it signs. */
@ApiTags('credentials')
@ApiBearerAuth()
@Controller('learners/:learnerId/clr')
export class ClrController {
  constructor(private readonly clrs: ClrCredentials) {}

  @Get()
  @Roles('registrar', 'learner')
  @ApiOkResponse({
    description:
      'CLR 2.0 ClrCredential issued by one awarding body (?issuer=, needed when the learner holds credentials of ' +
      'several): its valid award and qualification AchievementCredentials, their achievements and the pathways they ' +
      'stack into (isPartOf / isParentOf) — now, or as of ?asOf=; ?format=jwt signs it with the issuer’s key',
  })
  async clr(
    @Param('learnerId') learnerId: string,
    @Query() query: ClrQuery,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JsonObject | string> {
    assertLearnerAccess(actor, learnerId, ['registrar']);
    const clr = await this.clrs.build(learnerId, {
      ...(query.asOf === undefined ? {} : { asOf: new Date(query.asOf) }),
      ...(query.issuer === undefined ? {} : { issuer: query.issuer }),
    });
    if (query.format !== 'jwt') return clr.credential;
    response.type('application/vc+jwt');
    return this.clrs.sign(clr);
  }
}

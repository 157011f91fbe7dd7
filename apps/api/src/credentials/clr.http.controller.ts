import type { JsonObject } from '@app/credentials';
import type { LearnerView } from '@app/application';
import { learnerStream, requireIssuer } from '@app/domain';
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { actsAsStaff, LearnerAccess } from '../auth/learner-access';
import { ClrCredentials, issuerRequired } from './clr-credentials';
import { ClrQuery } from './credential-format.query';
import { LearnerLedgerQuery } from './credential.queries';

/** A learner's Comprehensive Learner Record from one issuer: a CLR 2.0 ClrCredential, as JSON or a VC-JWT it signs. */
@ApiTags('credentials')
@ApiBearerAuth()
@Controller('learners/:learnerId/clr')
export class ClrController {
  constructor(
    private readonly clrs: ClrCredentials,
    private readonly access: LearnerAccess,
    private readonly queryBus: QueryBus,
  ) {}

  @Get()
  @Roles('registrar', 'learner')
  @ApiOkResponse({
    description:
      'CLR 2.0 ClrCredential issued by one awarding body (?issuer=, needed when the learner holds credentials of ' +
      'several): its valid award and qualification AchievementCredentials, their achievements and the pathways they ' +
      'stack into (isPartOf / isParentOf) — now, as of ?asOf= (as the ledger knew it then), or of what the learner ' +
      'had achieved by ?effectiveAt= (by the dates things happened, the transcript’s fold; both may be given); ' +
      '?format=jwt signs it with the issuer’s key. A ' +
      'registrar gets the CLR of one of their issuers that holds the learner (403 not-your-issuer for another)',
  })
  async clr(
    @Param('learnerId') learnerId: string,
    @Query() query: ClrQuery,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: Response,
  ): Promise<JsonObject | string> {
    learnerStream(learnerId); // a malformed learner id is a 400
    // A registrar names an issuer of their own token (403), before anything is read of the learner
    if (query.issuer !== undefined && actsAsStaff(actor, learnerId))
      requireIssuer(actor, query.issuer, "issue a learner's CLR");
    const asOf = query.asOf === undefined ? undefined : new Date(query.asOf);
    const ledger = await this.queryBus.execute(new LearnerLedgerQuery(learnerId, asOf));
    const view = await this.access.view(actor, learnerId, ['registrar'], ledger.events.at(-1)?.position);
    const issuer = view.all ? query.issuer : registrarIssuer(view, query.issuer);
    const clr = await this.clrs.build(learnerId, {
      ...(asOf === undefined ? {} : { asOf }),
      ...(query.effectiveAt === undefined ? {} : { effectiveAt: new Date(query.effectiveAt) }),
      ...(issuer === undefined ? {} : { issuer }),
      ledger,
    });
    if (query.format !== 'jwt') return this.clrs.withProof(clr);
    response.type('application/vc+jwt');
    return this.clrs.sign(clr);
  }
}

/** The issuer of a registrar's CLR: the one asked for; else the one of their issuers holding the learner. */
function registrarIssuer(view: Exclude<LearnerView, { all: true }>, asked: string | undefined): string {
  if (asked !== undefined) return asked;
  if (view.issuers.length === 1) return view.issuers[0];
  throw issuerRequired(view.issuers, 'the issuers of this token hold records of the learner at several');
}

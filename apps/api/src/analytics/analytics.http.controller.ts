import { type AchievementAnalytics, DomainError, type IssuerAnalytics } from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { achievementAnalytics, analyticsProjection, issuerAnalytics } from '@app/read-models';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { MinPositionQuery } from '../queries/min-position.query';
import { ReadYourWrites } from '../queries/read-your-writes';
import { SQL_CLIENT } from '../storage.tokens';
import { AchievementAnalyticsDto, IssuerAnalyticsDto } from './analytics.dto';

/** Issuer-admins, registrars and auditors see the analytics of their token's issuers only. */
export function assertIssuerAccess(actor: Actor, issuerId: string | null): void {
  if (issuerId !== null && actor.issuers.includes(issuerId)) return;
  throw new DomainError('not-your-issuer', `This token may not read analytics of the issuer ${issuerId ?? '?'}`);
}

/**
 * Analytics per achievement and per issuer (the sum over its achievements), from the analytics read model: evidence,
 * assessments and pass rate, awards, suspensions, revocations, reinstatements, median days from first evidence to
 * award. `?minPosition=` waits for a write.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class AnalyticsController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  @Get('achievements/:achievementId')
  @Roles('issuer-admin', 'registrar', 'auditor')
  @ApiOkResponse({ type: AchievementAnalyticsDto, description: "One achievement's figures; 404 when none are held" })
  async achievement(
    @Param('achievementId') achievementId: string,
    @Query() query: MinPositionQuery,
    @CurrentActor() actor: Actor,
  ): Promise<AchievementAnalytics> {
    await this.readYourWrites.waitFor(analyticsProjection.name, query.minPosition);
    const found = await achievementAnalytics(this.sql.query, achievementId);
    if (!found) throw new DomainError('unknown-achievement', `no analytics for the achievement ${achievementId}`);
    assertIssuerAccess(actor, found.issuerId);
    return found;
  }

  @Get('issuers/:issuerId')
  @Roles('issuer-admin', 'registrar', 'auditor')
  @ApiOkResponse({
    type: IssuerAnalyticsDto,
    description:
      "The issuer's figures summed over its achievements (median over every learner's duration); 404 when none",
  })
  async issuer(
    @Param('issuerId') issuerId: string,
    @Query() query: MinPositionQuery,
    @CurrentActor() actor: Actor,
  ): Promise<IssuerAnalytics> {
    assertIssuerAccess(actor, issuerId);
    await this.readYourWrites.waitFor(analyticsProjection.name, query.minPosition);
    const found = await issuerAnalytics(this.sql.query, issuerId);
    if (!found) throw new DomainError('unknown-issuer', `no analytics for the issuer ${issuerId}`);
    return found;
  }
}

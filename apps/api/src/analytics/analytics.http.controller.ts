import type { AchievementAnalytics, IssuerAnalytics } from '@app/domain';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { MinPositionQuery } from '../queries/min-position.query';
import { AchievementAnalyticsDto, IssuerAnalyticsDto } from './analytics.dto';
import { AchievementAnalyticsQuery, IssuerAnalyticsQuery } from './analytics.queries';

/**
 * Analytics per achievement and per issuer (the sum over its achievements), from the analytics read model: evidence,
 * assessments and pass rate, awards, suspensions, revocations, reinstatements, median days from first evidence to
 * award. `?minPosition=` waits for a write. Issuer-admins, registrars and auditors see their token's issuers' only.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('achievements/:achievementId')
  @Roles('issuer-admin', 'registrar', 'auditor')
  @ApiOkResponse({ type: AchievementAnalyticsDto, description: "One achievement's figures; 404 when none are held" })
  achievement(
    @Param('achievementId') achievementId: string,
    @Query() query: MinPositionQuery,
    @CurrentActor() actor: Actor,
  ): Promise<AchievementAnalytics> {
    return this.queryBus.execute(
      new AchievementAnalyticsQuery(achievementId, { issuers: actor.issuers, minPosition: query.minPosition }),
    );
  }

  @Get('issuers/:issuerId')
  @Roles('issuer-admin', 'registrar', 'auditor')
  @ApiOkResponse({
    type: IssuerAnalyticsDto,
    description:
      "The issuer's figures summed over its achievements (median over every learner's duration); 404 when none",
  })
  issuer(
    @Param('issuerId') issuerId: string,
    @Query() query: MinPositionQuery,
    @CurrentActor() actor: Actor,
  ): Promise<IssuerAnalytics> {
    return this.queryBus.execute(
      new IssuerAnalyticsQuery(issuerId, { issuers: actor.issuers, minPosition: query.minPosition }),
    );
  }
}

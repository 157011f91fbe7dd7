import type { IssuerCharts } from '@app/domain';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { MinPositionQuery } from '../queries/min-position.query';
import { IssuerChartsDto } from './analytics.dto';
import { IssuerChartsQuery } from './issuer-charts.queries';

/**
 * The figures the analytics page charts for an issuer (libs/domain/src/analytics/issuer-charts.ts): pass rate per
 * achievement, days from first evidence to award, credits awarded per month, and each published pathway's funnel.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class IssuerChartsController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('issuers/:issuerId/charts')
  @Roles('issuer-admin', 'registrar')
  @ApiOkResponse({
    type: IssuerChartsDto,
    description: "The issuer's chart data; 403 not-your-issuer for another issuer, 404 when nothing is held",
  })
  async charts(
    @Param('issuerId') issuerId: string,
    @Query() query: MinPositionQuery,
    @CurrentActor() actor: Actor,
  ): Promise<IssuerCharts> {
    return this.queryBus.execute(
      new IssuerChartsQuery(issuerId, { issuers: actor.issuers, minPosition: query.minPosition }),
    );
  }
}

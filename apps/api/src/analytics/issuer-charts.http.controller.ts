import {
  type AchievementAnalyticsState,
  creditsByMonth,
  daysToAwardDistribution,
  DomainError,
  type IssuerCharts,
  type Pathway,
  passRates,
  pathwayAchievements,
  pathwayFunnel,
  type Rule,
  type TranscriptState,
} from '@app/domain';
import type { SqlClient } from '@app/event-store';
import {
  analyticsProjection,
  issuerAnalytics,
  learnersHoldingAny,
  listPathways,
  loadAchievementAnalyticsState,
  loadTranscriptStates,
  transcriptProjection,
} from '@app/read-models';
import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { MinPositionQuery } from '../queries/min-position.query';
import { ReadYourWrites } from '../queries/read-your-writes';
import { SQL_CLIENT } from '../storage.tokens';
import { assertIssuerAccess } from './analytics.http.controller';
import { IssuerChartsDto } from './analytics.dto';

/** Learners' transcripts are read this many at a time. */
const LEARNER_PAGE = 500;

const latestRule = (pathway: Pathway): Rule | undefined =>
  pathway.status === 'none' ? undefined : pathway.versions.at(-1)?.definition.rule;

/**
 * The figures the analytics page charts for an issuer (libs/domain/src/analytics/issuer-charts.ts): pass rate per
 * achievement, days from first evidence to award, credits awarded per month, and each published pathway's funnel.
 */
@ApiTags('analytics')
@ApiBearerAuth()
@Controller('analytics')
export class IssuerChartsController {
  constructor(
    private readonly readYourWrites: ReadYourWrites,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

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
    assertIssuerAccess(actor, issuerId);
    // A record's position, which ?minPosition= names, is one the pathway catalogue never sees: it is not waited for.
    for (const projection of [analyticsProjection, transcriptProjection])
      await this.readYourWrites.waitFor(projection.name, query.minPosition);
    const summary = await issuerAnalytics(this.sql.query, issuerId);
    if (!summary) throw new DomainError('unknown-issuer', `no analytics for the issuer ${issuerId}`);
    const states = (
      await Promise.all(summary.achievementIds.map((id) => loadAchievementAnalyticsState(this.sql.query, id)))
    ).filter((state): state is AchievementAnalyticsState => state !== undefined);
    const transcripts = await this.transcriptsOf(summary.achievementIds);
    const all = await listPathways(this.sql.query, {});
    const rules = new Map(all.flatMap((pathway) => (pathway.status === 'none' ? [] : [[pathway.pathwayId, pathway]])));
    const lookupRule = (pathwayId: string) => {
      const pathway = rules.get(pathwayId);
      return pathway && latestRule(pathway);
    };
    const at = new Date().toISOString();
    return {
      issuerId,
      passRates: passRates(states),
      daysToAward: daysToAwardDistribution(states),
      creditsByMonth: creditsByMonth(issuerId, transcripts),
      pathways: all.flatMap((pathway) => {
        const rule = latestRule(pathway);
        if (pathway.status !== 'published' || pathway.issuerId !== issuerId || rule === undefined) return [];
        return [pathwayFunnel(pathway.pathwayId, pathwayAchievements(rule, lookupRule), transcripts, at)];
      }),
    };
  }

  /** The transcripts of every learner holding or having held an award of these achievements, page by page. */
  private async transcriptsOf(achievementIds: readonly string[]): Promise<TranscriptState[]> {
    const transcripts: TranscriptState[] = [];
    for (let after: string | undefined; ;) {
      const learners = await learnersHoldingAny(this.sql.query, achievementIds, { after, limit: LEARNER_PAGE });
      transcripts.push(...(await loadTranscriptStates(this.sql.query, learners)));
      if (learners.length < LEARNER_PAGE) return transcripts;
      after = learners[learners.length - 1];
    }
  }
}

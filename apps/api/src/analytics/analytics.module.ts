import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.http.controller';
import { AchievementAnalyticsQueryHandler, IssuerAnalyticsQueryHandler } from './analytics.queries';
import { IssuerChartsController } from './issuer-charts.http.controller';
import { IssuerChartsQueryHandler } from './issuer-charts.queries';

@Module({
  controllers: [AnalyticsController, IssuerChartsController],
  providers: [AchievementAnalyticsQueryHandler, IssuerAnalyticsQueryHandler, IssuerChartsQueryHandler],
})
export class AnalyticsModule {}

import { Module } from '@nestjs/common';
import { AnalyticsController } from './analytics.http.controller';
import { AchievementAnalyticsQueryHandler, IssuerAnalyticsQueryHandler } from './analytics.queries';

@Module({
  controllers: [AnalyticsController],
  providers: [AchievementAnalyticsQueryHandler, IssuerAnalyticsQueryHandler],
})
export class AnalyticsModule {}

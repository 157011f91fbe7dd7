import { type AnalyticsReader, analyticsOfAchievement, analyticsOfIssuer } from '@app/application';
import type { AchievementAnalytics, IssuerAnalytics } from '@app/domain';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class AchievementAnalyticsQuery extends Query<AchievementAnalytics> {
  constructor(
    readonly achievementId: string,
    readonly reader: AnalyticsReader,
  ) {
    super();
  }
}
export const AchievementAnalyticsQueryHandler = queryHandler(AchievementAnalyticsQuery, (read, asked) =>
  analyticsOfAchievement(read, asked.achievementId, asked.reader),
);

export class IssuerAnalyticsQuery extends Query<IssuerAnalytics> {
  constructor(
    readonly issuerId: string,
    readonly reader: AnalyticsReader,
  ) {
    super();
  }
}
export const IssuerAnalyticsQueryHandler = queryHandler(IssuerAnalyticsQuery, (read, asked) =>
  analyticsOfIssuer(read, asked.issuerId, asked.reader),
);

import { xapiMappingOfAchievement } from '@app/application';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class XapiMappingQuery extends Query<Awaited<ReturnType<typeof xapiMappingOfAchievement>>> {
  constructor(readonly achievementId: string) {
    super();
  }
}
export const XapiMappingQueryHandler = queryHandler(XapiMappingQuery, (read, { achievementId }) =>
  xapiMappingOfAchievement(read, achievementId),
);

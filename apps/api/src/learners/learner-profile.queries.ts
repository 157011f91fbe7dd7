import { learnerProfileOf } from '@app/application';
import type { LearnerProfile } from '@app/domain';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class LearnerProfileQuery extends Query<LearnerProfile> {
  constructor(readonly learnerId: string) {
    super();
  }
}
export const LearnerProfileQueryHandler = queryHandler(LearnerProfileQuery, (read, { learnerId }) =>
  learnerProfileOf(read, learnerId),
);

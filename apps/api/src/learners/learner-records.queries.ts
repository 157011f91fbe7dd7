import { type LearnerRecordProgress, learnerRecordsOf, type ViewOfLearner } from '@app/application';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class LearnerRecordsQuery extends Query<LearnerRecordProgress[]> {
  constructor(
    readonly learnerId: string,
    readonly view: ViewOfLearner,
  ) {
    super();
  }
}
export const LearnerRecordsQueryHandler = queryHandler(LearnerRecordsQuery, (read, { learnerId, view }) =>
  learnerRecordsOf(read, learnerId, view),
);

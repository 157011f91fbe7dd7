import {
  type HistoryOptions,
  learnerHistory,
  searchTranscripts,
  type TranscriptOptions,
  transcriptOf,
} from '@app/application';
import type { Transcript } from '@app/domain';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

export class TranscriptQuery extends Query<Transcript> {
  constructor(
    readonly learnerId: string,
    readonly options: TranscriptOptions,
  ) {
    super();
  }
}
export const TranscriptQueryHandler = queryHandler(TranscriptQuery, (read, { learnerId, options }) =>
  transcriptOf(read, learnerId, options),
);

export class LearnerHistoryQuery extends Query<Awaited<ReturnType<typeof learnerHistory>>> {
  constructor(
    readonly learnerId: string,
    readonly options: HistoryOptions,
  ) {
    super();
  }
}
export const LearnerHistoryQueryHandler = queryHandler(LearnerHistoryQuery, (read, { learnerId, options }) =>
  learnerHistory(read, learnerId, options),
);

export class TranscriptSearchQuery extends Query<Awaited<ReturnType<typeof searchTranscripts>>> {
  constructor(readonly search: Parameters<typeof searchTranscripts>[1]) {
    super();
  }
}
export const TranscriptSearchQueryHandler = queryHandler(TranscriptSearchQuery, (read, { search }) =>
  searchTranscripts(read, search),
);

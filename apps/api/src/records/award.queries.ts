import { awardLocation } from '@app/application';
import type { AwardLocation } from '@app/read-models';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

/** Where an award lives, found by its id (an award just made included: see awardLocation). */
export class AwardLocationQuery extends Query<AwardLocation | undefined> {
  constructor(readonly awardId: string) {
    super();
  }
}
export const AwardLocationQueryHandler = queryHandler(AwardLocationQuery, (read, { awardId }) =>
  awardLocation(read, awardId),
);

import {
  type AwardCredentialInputs,
  awardCredentialInputs,
  type DefinedPathway,
  definedPathways,
  type LearnerLedger,
  learnerLedgerOf,
  qualificationOf,
} from '@app/application';
import type { QualificationEntry } from '@app/domain';
import { Query } from '@nestjs/cqrs';
import { queryHandler } from '../queries/query-handler';

/** What an award's credential is built from; undefined for an unknown award. */
export class AwardCredentialInputsQuery extends Query<AwardCredentialInputs | undefined> {
  constructor(readonly awardId: string) {
    super();
  }
}
export const AwardCredentialInputsQueryHandler = queryHandler(AwardCredentialInputsQuery, (read, { awardId }) =>
  awardCredentialInputs(read, awardId),
);

/** A qualification found by its id; undefined when none is known. */
export class QualificationQuery extends Query<QualificationEntry | undefined> {
  constructor(readonly qualificationId: string) {
    super();
  }
}
export const QualificationQueryHandler = queryHandler(QualificationQuery, (read, { qualificationId }) =>
  qualificationOf(read, qualificationId),
);

/** A learner's ledger now or as of an instant: what their CLR is built from. */
export class LearnerLedgerQuery extends Query<LearnerLedger> {
  constructor(
    readonly learnerId: string,
    readonly asOf?: Date,
  ) {
    super();
  }
}
export const LearnerLedgerQueryHandler = queryHandler(LearnerLedgerQuery, (read, { learnerId, asOf }) =>
  learnerLedgerOf(read, learnerId, asOf),
);

/** Every defined pathway: those a CLR shows are chosen among them. */
export class DefinedPathwaysQuery extends Query<DefinedPathway[]> {}
export const DefinedPathwaysQueryHandler = queryHandler(DefinedPathwaysQuery, (read) => definedPathways(read));

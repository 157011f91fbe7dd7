import type { QualificationEntry } from '@app/domain';
import { findQualificationHolder } from '@app/read-models';
import { learnerLedgerOf } from './learner-ledger.query';
import { readModelsOf, type ReadSide } from './read-side';

/** A qualification found by its id (its holder through the transcript read model): what its credential is built from. */
export async function qualificationOf(
  read: ReadSide,
  qualificationId: string,
): Promise<QualificationEntry | undefined> {
  const learnerId = await findQualificationHolder(readModelsOf(read).query, qualificationId);
  if (learnerId === undefined) return undefined;
  const ledger = await learnerLedgerOf(read, learnerId);
  return ledger.qualifications
    .flatMap(({ state }) => state.qualifications)
    .find((candidate) => candidate.qualificationId === qualificationId);
}

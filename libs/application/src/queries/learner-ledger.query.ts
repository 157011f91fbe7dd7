import { readPathways } from '../conferral.process-manager';
import { type LearnerLedger, readLearnerLedger } from '../learner-ledger';
import type { DefinedPathway } from '../pathway-progress';
import { ledgerSourceOf, type ReadSide } from './read-side';

/**
 * A learner's ledger — every record and qualification stream folded — now or as recorded by `asOf`: what a CLR and a
 * learner's award credentials are built from.
 */
export function learnerLedgerOf(read: ReadSide, learnerId: string, asOf?: Date): Promise<LearnerLedger> {
  return readLearnerLedger(ledgerSourceOf(read), learnerId, asOf);
}

/** Every defined pathway, folded from its stream: the pathways a CLR shows are chosen among them. */
export function definedPathways(read: ReadSide): Promise<DefinedPathway[]> {
  return readPathways(ledgerSourceOf(read));
}

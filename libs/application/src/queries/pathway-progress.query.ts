import { completedPathways, readLearnerLedger } from '../learner-ledger';
import { readPathways } from '../conferral.process-manager';
import { type PathwayProgress, pathwayProgress, progressOf } from '../pathway-progress';
import { StreamCommands } from '../stream-commands';
import { ledgerSourceOf, type ReadSide } from './read-side';

/**
 * A learner's progress on one pathway at `at` (their records as recorded by `asOf`, when given): what `GET
 * /learners/:l/pathways/:p/progress` shows and a registrar's conferral checks.
 */
export function progressOnPathway(
  read: ReadSide,
  learnerId: string,
  pathwayId: string,
  at: string,
  asOf?: Date,
): Promise<PathwayProgress> {
  return pathwayProgress(new StreamCommands(read.store), read.store, learnerId, pathwayId, at, { asOf });
}

export type LearnerPathwayProgress = PathwayProgress & { readonly conferred: boolean };

/**
 * Every pathway the learner has made a start on (an award it counts) or holds, evaluated at the same instant (now, or
 * as recorded by `asOf`): what `tessera transcript` lists under the transcript.
 */
export async function progressOnEveryPathway(
  read: ReadSide,
  learnerId: string,
  asOf?: Date,
): Promise<LearnerPathwayProgress[]> {
  const streams = new StreamCommands(read.store);
  const ledger = await readLearnerLedger(ledgerSourceOf(read), learnerId, asOf);
  const held = completedPathways(ledger);
  const at = (asOf ?? new Date()).toISOString();
  const all = await Promise.all(
    (await readPathways(ledgerSourceOf(read))).map((pathway) =>
      progressOf(streams, pathway, ledger, at, undefined, asOf),
    ),
  );
  return all
    .map((progress) => ({ ...progress, conferred: held.includes(progress.pathway.pathwayId) }))
    .filter(({ result, conferred }) => result.countedAwards.length > 0 || conferred);
}

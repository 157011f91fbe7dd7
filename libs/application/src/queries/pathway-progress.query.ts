import { completedPathways, readLearnerLedger } from '../learner-ledger';
import { readPathways } from '../conferral.process-manager';
import {
  type PathwayProgress,
  pathwayProgress,
  progressOf,
  type ProgressOptions,
  standingEffectiveAt,
} from '../pathway-progress';
import { StreamCommands } from '../stream-commands';
import { ledgerSourceOf, type ReadSide } from './read-side';

/**
 * A learner's progress on one pathway at `at` (their records as recorded by `asOf`, when given; what they had achieved
 * by `effectiveAt`, when given): what `GET /learners/:l/pathways/:p/progress` shows and a registrar's conferral checks.
 */
export function progressOnPathway(
  read: ReadSide,
  learnerId: string,
  pathwayId: string,
  at: string,
  options: Pick<ProgressOptions, 'asOf' | 'effectiveAt'> = {},
): Promise<PathwayProgress> {
  return pathwayProgress(new StreamCommands(read.store), read.store, learnerId, pathwayId, at, options);
}

export type LearnerPathwayProgress = PathwayProgress & { readonly conferred: boolean };

/**
 * Every pathway the learner has made a start on (an award it counts) or holds, evaluated at the same instant (now, or
 * as recorded by `asOf`; by the dates things happened at `effectiveAt`): what `tessera transcript` lists under the
 * transcript.
 */
export async function progressOnEveryPathway(
  read: ReadSide,
  learnerId: string,
  options: Pick<ProgressOptions, 'asOf' | 'effectiveAt'> = {},
): Promise<LearnerPathwayProgress[]> {
  const { asOf, effectiveAt } = options;
  const streams = new StreamCommands(read.store);
  const ledger = await readLearnerLedger(ledgerSourceOf(read), learnerId, asOf);
  const held =
    effectiveAt === undefined
      ? completedPathways(ledger)
      : standingEffectiveAt(ledger, effectiveAt).conferred.map((entry) => entry.pathwayId);
  const at = (asOf ?? new Date()).toISOString();
  const all = await Promise.all(
    (await readPathways(ledgerSourceOf(read))).map((pathway) => progressOf(streams, pathway, ledger, at, options)),
  );
  return all
    .map((progress) => ({ ...progress, conferred: held.includes(progress.pathway.pathwayId) }))
    .filter(({ result, conferred }) => result.countedAwards.length > 0 || conferred);
}

import {
  activeQualification,
  DomainError,
  evaluate,
  findPathwayVersion,
  holdingsFromRecords,
  latestPathwayVersion,
  type Pathway,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  type PathwayVersion,
  type StackingResult,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { crossIssuerCounting } from './cross-issuer-counting';
import { completedPathways, type LearnerLedger, readLearnerLedger } from './learner-ledger';
import { loadRuleCatalogue, type RuleCatalogue } from './rule-catalogue';
import type { StreamCommands } from './stream-commands';

export type DefinedPathway = Exclude<Pathway, { status: 'none' }>;

export interface PathwayProgress {
  readonly pathway: DefinedPathway;
  /** The version evaluated: the one asked for, else the one the learner is held to. */
  readonly version: PathwayVersion;
  readonly result: StackingResult;
  readonly ledger: LearnerLedger;
}

/**
 * Whether a nested pathway is another issuer's: its conferral does not satisfy the node, its rule is evaluated instead,
 * so the other issuer's awards under it count only as the recognitions say.
 */
function ofAnotherIssuer(catalogue: RuleCatalogue, pathwayId: string, issuerId: string): boolean {
  const nested = catalogue.pathways.get(pathwayId);
  return nested !== undefined && nested.status !== 'none' && nested.issuerId !== issuerId;
}

/** The version a learner is held to: the one conferred on them, else the latest. */
function appliedVersion(pathway: Pathway, conferredVersion: number | undefined): PathwayVersion | undefined {
  return (
    (conferredVersion === undefined ? undefined : findPathwayVersion(pathway, conferredVersion)) ??
    latestPathwayVersion(pathway)
  );
}

/**
 * A learner's progress on a pathway at an instant: their holdings (as recorded by `asOf`, when given) evaluated by
 * the stacking engine against the pathway version that applies to them.
 */
export async function pathwayProgress(
  streams: StreamCommands,
  store: EventStore,
  learnerId: string,
  pathwayId: string,
  at: string,
  options: { asOf?: Date; version?: number } = {},
): Promise<PathwayProgress> {
  const { asOf } = options;
  const [pathway, ledger] = await Promise.all([
    streams.load<Pathway, PathwayEvent>(pathwayStream(pathwayId), pathwayDecider, asOf),
    readLearnerLedger(store, learnerId, asOf),
  ]);
  if (pathway.status === 'none') throw new DomainError('unknown-pathway', `No pathway ${pathwayId} is defined`);
  return progressOf(streams, pathway, ledger, at, options.version, asOf);
}

/**
 * Evaluates a learner's ledger against a pathway: the version asked for, else the one the learner is held to. Another
 * issuer's awards count only under the pathway issuer's recognitions, as recorded by `asOf` when given.
 */
export async function progressOf(
  streams: StreamCommands,
  pathway: DefinedPathway,
  ledger: LearnerLedger,
  at: string,
  versionNumber?: number,
  asOf?: Date,
): Promise<PathwayProgress> {
  const { pathwayId } = pathway;
  const conferred = ledger.qualifications.find((entry) => entry.pathwayId === pathwayId);
  const held = conferred && activeQualification(conferred.state);
  const version =
    versionNumber !== undefined ? findPathwayVersion(pathway, versionNumber) : appliedVersion(pathway, held?.version);
  if (!version) throw new DomainError('unknown-version', `The pathway ${pathwayId} has no version ${versionNumber}`);
  const heldAchievements = ledger.records.map((entry) => entry.achievementId);
  const [catalogue, counting] = await Promise.all([
    loadRuleCatalogue(streams, [version.definition.rule], heldAchievements),
    crossIssuerCounting(streams, pathway.issuerId, asOf),
  ]);
  const result = evaluate(
    {
      pathwayId,
      version: version.version,
      rule: version.definition.rule,
      award: version.definition.award,
      counting,
    },
    holdingsFromRecords(
      ledger.records,
      completedPathways(ledger).filter((id) => id !== pathwayId && !ofAnotherIssuer(catalogue, id, pathway.issuerId)),
    ),
    catalogue.stacking,
    at,
  );
  return { pathway, version, result, ledger };
}

import {
  activeQualification,
  DomainError,
  evaluatePrepared,
  findPathwayVersion,
  holdingsFromRecords,
  latestPathwayVersion,
  type Pathway,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  type PathwayVersion,
  type PreparedHoldings,
  prepareHoldings,
  type LearnerRecord,
  type CrossIssuerCounting,
  foldTranscript,
  type StackingResult,
  transcriptStateEffectiveAt,
  type TranscriptState,
} from '@app/domain';
import type { EventStore } from '@app/event-store';
import { crossIssuerCounting } from './cross-issuer-counting';
import { type LearnerLedger, readLearnerLedger } from './learner-ledger';
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

/** Which version to evaluate, as the ledger stood when, and at which effective date. */
export interface ProgressOptions {
  /** The version asked for; else the one the learner is held to. */
  readonly version?: number;
  /** The ledger as recorded by then (the recognitions counted too). */
  readonly asOf?: Date;
  /**
   * What the learner had achieved by then, by the dates things happened: the transcript fold's state at that effective
   * date (`transcriptStateEffectiveAt`, as `?effectiveAt=` on the transcript reads it), evaluated at it.
   */
  readonly effectiveAt?: string;
}

/**
 * A learner's progress on a pathway at an instant: their holdings (as recorded by `asOf`, when given; at
 * `effectiveAt`, when given) evaluated by the stacking engine against the pathway version that applies to them.
 */
export async function pathwayProgress(
  streams: StreamCommands,
  store: EventStore,
  learnerId: string,
  pathwayId: string,
  at: string,
  options: ProgressOptions = {},
): Promise<PathwayProgress> {
  const { asOf } = options;
  const [pathway, ledger] = await Promise.all([
    streams.load<Pathway, PathwayEvent>(pathwayStream(pathwayId), pathwayDecider, asOf),
    readLearnerLedger(store, learnerId, asOf),
  ]);
  if (pathway.status === 'none') throw new DomainError('unknown-pathway', `No pathway ${pathwayId} is defined`);
  return progressOf(streams, pathway, ledger, at, options);
}

/**
 * What progress reads of a learner: the awards and recognitions of each of their records, and the pathways conferred
 * on them and in force (with the version conferred). The ledger gives it (`standingOfLedger`), and so does the
 * transcript read model (`standingOfTranscript`), which keeps the same award entries.
 */
export interface LearnerStanding {
  readonly records: ReadonlyArray<{ achievementId: string; record: Pick<LearnerRecord, 'awards' | 'recognitions'> }>;
  readonly conferred: ReadonlyArray<{ pathwayId: string; version: number }>;
}

export function standingOfLedger(ledger: LearnerLedger): LearnerStanding {
  return {
    records: ledger.records,
    conferred: ledger.qualifications.flatMap(({ pathwayId, state }) => {
      const held = activeQualification(state);
      return held ? [{ pathwayId, version: held.version }] : [];
    }),
  };
}

export function standingOfTranscript(transcript: TranscriptState): LearnerStanding {
  const records = new Map<string, Pick<LearnerRecord, 'awards' | 'recognitions'>>();
  const recordOf = (achievementId: string) =>
    records.get(achievementId) ?? records.set(achievementId, { awards: [], recognitions: [] }).get(achievementId)!;
  for (const award of transcript.awards) recordOf(award.achievementId).awards.push(award);
  for (const recognition of transcript.priorLearning)
    recordOf(recognition.achievementId).recognitions.push(recognition);
  return {
    records: [...records].map(([achievementId, record]) => ({ achievementId, record })),
    conferred: transcript.qualifications
      .filter((entry) => entry.status === 'conferred')
      .map(({ pathwayId, version }) => ({ pathwayId, version })),
  };
}

/**
 * The learner's standing at an effective date: their ledger's events through the transcript's fold, at that date by
 * the dates things happened (`transcriptStateEffectiveAt`), so progress agrees with the transcript at it.
 */
export function standingEffectiveAt(ledger: LearnerLedger, effectiveAt: string): LearnerStanding {
  return standingOfTranscript(transcriptStateEffectiveAt(foldTranscript(ledger.learnerId, ledger.events), effectiveAt));
}

/**
 * Evaluates a learner's ledger against a pathway: the version asked for, else the one the learner is held to. Another
 * issuer's awards count only under the pathway issuer's recognitions, as recorded by `asOf` when given. With
 * `effectiveAt`, what the learner had achieved by then is evaluated at it (and `at` is not read).
 */
export async function progressOf(
  streams: StreamCommands,
  pathway: DefinedPathway,
  ledger: LearnerLedger,
  at: string,
  options: ProgressOptions = {},
): Promise<PathwayProgress> {
  const { asOf, effectiveAt } = options;
  const standing = effectiveAt === undefined ? standingOfLedger(ledger) : standingEffectiveAt(ledger, effectiveAt);
  const version = versionToEvaluate(pathway, standing, options.version);
  const [catalogue, counting] = await Promise.all([
    loadRuleCatalogue(
      streams,
      [version.definition.rule],
      standing.records.map((entry) => entry.achievementId),
    ),
    crossIssuerCounting(streams, pathway.issuerId, asOf),
  ]);
  const evaluatedAt = effectiveAt ?? at;
  const result = evaluateStanding(
    pathway,
    version,
    prepareStanding(pathway, standing, catalogue, evaluatedAt),
    counting,
  );
  return { pathway, version, result, ledger };
}

/** The version asked for, else the one the learner is held to (the one conferred on them, else the latest). */
export function versionToEvaluate(
  pathway: DefinedPathway,
  standing: LearnerStanding,
  versionNumber?: number,
): PathwayVersion {
  const held = standing.conferred.find((entry) => entry.pathwayId === pathway.pathwayId);
  const version =
    versionNumber !== undefined ? findPathwayVersion(pathway, versionNumber) : appliedVersion(pathway, held?.version);
  if (!version)
    throw new DomainError('unknown-version', `The pathway ${pathway.pathwayId} has no version ${versionNumber}`);
  return version;
}

/**
 * A learner's standing made ready for the stacking engine against `pathway`, once for all its versions: their awards
 * and recognitions, and the pathways conferred on them but this one and other issuers'. `catalogue` must know the
 * achievements and pathways the rules reach and those the learner holds (`loadRuleCatalogue`).
 */
export function prepareStanding(
  pathway: DefinedPathway,
  standing: LearnerStanding,
  catalogue: RuleCatalogue,
  at: string,
): PreparedHoldings {
  const { pathwayId, issuerId } = pathway;
  return prepareHoldings(
    holdingsFromRecords(
      standing.records,
      standing.conferred
        .map((entry) => entry.pathwayId)
        .filter((id) => id !== pathwayId && !ofAnotherIssuer(catalogue, id, issuerId)),
    ),
    catalogue.stacking,
    at,
  );
}

/**
 * The stacking engine's verdict on a learner's standing (`prepareStanding`) against one version of a pathway;
 * `counting` says whose awards count (`crossIssuerCounting`).
 */
export function evaluateStanding(
  pathway: DefinedPathway,
  version: PathwayVersion,
  standing: PreparedHoldings,
  counting: CrossIssuerCounting,
): StackingResult {
  const { rule, award } = version.definition;
  return evaluatePrepared({ pathwayId: pathway.pathwayId, version: version.version, rule, award, counting }, standing);
}

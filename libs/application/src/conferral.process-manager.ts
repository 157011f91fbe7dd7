import {
  CONFERRAL_ACTOR,
  DomainError,
  evolvePathway,
  initialPathway,
  latestPathwayVersion,
  parseQualificationStream,
  parseRecordStream,
  type PathwayEvent,
  type RecognitionRecorded,
  STREAM_PREFIX,
} from '@app/domain';
import { byPosition, type EventStore, groupByStream, readAllEvents, type RecordedEvent } from '@app/event-store';
import type { Reactor, SqlQuery } from '@app/read-models';
import { conferralDecision, heldQualification } from './conferral';
import { deriveId } from './derive-id';
import { type LedgerSource, readLearnerLedger, readStreamsUnder } from './learner-ledger';
import { type DefinedPathway, progressOf } from './pathway-progress';
import { executeQualificationCommand } from './qualification-commands';
import type { StreamCommands } from './stream-commands';

/** What changes what a learner holds, and so may complete a pathway or break the basis of a qualification. */
const TRIGGERS = [
  'AchievementAwarded',
  'AwardSuspended',
  'AwardReinstated',
  'AwardRevoked',
  'PriorLearningRecognised',
  'QualificationConferred',
  'QualificationBasisInvalidated',
  'QualificationRevoked',
  // A recognition may make awards already made count: their learners are evaluated again.
  'RecognitionRecorded',
];

/**
 * The conferral process manager, a reactor: driven by a store subscription with its own checkpoint (the runner),
 * it re-evaluates every pathway for each learner whose holdings changed: an automatic pathway now satisfied is
 * conferred, a held qualification whose rule no longer holds is invalidated or revoked. Each command's id derives
 * from the event that triggered it, so a batch replayed after a crash appends nothing twice; conferring a nested
 * pathway is itself a trigger, so completions cascade up.
 */
export function conferralProcessManager(
  streams: StreamCommands,
  { store, query }: { store: EventStore; query: SqlQuery },
  onRefused?: OnRefused,
): Reactor {
  return {
    name: 'conferral',
    filter: { eventTypes: TRIGGERS },
    async react(events) {
      const pathways = await readPathways({ store, query });
      const reconcile = (learnerId: string, trigger: RecordedEvent, id: string) =>
        reconcileLearner(
          streams,
          { store, query },
          pathways,
          learnerId,
          {
            id,
            // The instant of the trigger, not of the run: a replay decides exactly as the first run did.
            at: trigger.recordedAt.toISOString(),
            position: trigger.position,
            correlationId:
              typeof trigger.metadata.correlationId === 'string' ? trigger.metadata.correlationId : trigger.id,
          },
          onRefused,
        );
      const work: Array<{ learnerId: string; trigger: RecordedEvent; id: string }> = [];
      for (const [learnerId, trigger] of lastTriggerPerLearner(events))
        work.push({ learnerId, trigger, id: trigger.id });
      for (const recognition of events.filter((event) => event.type === 'RecognitionRecorded'))
        for (const learnerId of await learnersItCovers(store, recognition))
          // One trigger per learner, so that the ids of the commands it causes differ between learners.
          work.push({ learnerId, trigger: recognition, id: deriveId(recognition.id, learnerId) });
      // In the log's order: a recognition is decided on before the awards recorded after it in the same batch.
      work.sort((a, b) => byPosition(a.trigger, b.trigger));
      for (const { learnerId, trigger, id } of work) await reconcile(learnerId, trigger, id);
    },
  };
}

export type OnRefused = (learnerId: string, pathwayId: string, error: DomainError) => void;

/** What makes a learner's pathways worth evaluating again: an event, or an award's expiry. */
export interface Trigger {
  /** Names the trigger for good: the ids of the commands it causes derive from it. */
  readonly id: string;
  /** The instant evaluated at. */
  readonly at: string;
  /**
   * The trigger's place in the log: the learner's ledger is read up to it, so that a trigger handled late decides on
   * what the ledger held then. Read whole, it would hold what came after — a qualification conferred on a later award,
   * which evaluated at this earlier instant would look lost and be invalidated.
   */
  readonly position?: bigint;
  readonly correlationId: string;
}

/** Confers what a learner now completes and ends what no longer holds, for every pathway, at the trigger's instant. */
export async function reconcileLearner(
  streams: StreamCommands,
  ledgerSource: LedgerSource,
  pathways: readonly DefinedPathway[],
  learnerId: string,
  trigger: Trigger,
  onRefused?: OnRefused,
): Promise<void> {
  const ledger = await readLearnerLedger(ledgerSource, learnerId, trigger.position);
  for (const pathway of pathways) {
    const held = heldQualification(ledger, pathway.pathwayId);
    if (!held && (pathway.status === 'retired' || latestPathwayVersion(pathway)?.definition.conferral !== 'automatic'))
      continue;
    const progress = await progressOf(streams, pathway, ledger, trigger.at);
    const commandId = deriveId('conferral', trigger.id, pathway.pathwayId);
    const command = conferralDecision(progress, held, deriveId(commandId, 'qualification'), {
      now: trigger.at,
      actor: CONFERRAL_ACTOR,
    });
    if (!command) continue;
    try {
      await executeQualificationCommand(streams, command, {
        commandId,
        correlationId: trigger.correlationId,
        causationId: trigger.id,
        actor: CONFERRAL_ACTOR,
        now: trigger.at,
      });
    } catch (error) {
      // A refusal is final for this trigger (retrying would refuse again); anything else is retried by the caller.
      if (!(error instanceof DomainError)) throw error;
      onRefused?.(learnerId, pathway.pathwayId, error);
    }
  }
}

/** The learners a batch touches, each with the last event that touched them. */
function lastTriggerPerLearner(events: readonly RecordedEvent[]): Map<string, RecordedEvent> {
  const learners = new Map<string, RecordedEvent>();
  for (const event of events) {
    const learnerId = (parseRecordStream(event.stream) ?? parseQualificationStream(event.stream))?.learnerId;
    if (learnerId) learners.set(learnerId, event);
  }
  return learners;
}

/** The learners holding an award of the achievements a recognition names: a full read of the ledger's awards. */
async function learnersItCovers(store: EventStore, recognition: RecordedEvent): Promise<string[]> {
  const { recognisedIssuerId, achievementIds } = recognition.data as RecognitionRecorded['data'];
  const awards = await readAllEvents(store, {
    filter: { eventTypes: ['AchievementAwarded'] },
    visibility: 'committed',
  });
  const learners = new Set<string>();
  for (const award of awards) {
    const record = parseRecordStream(award.stream);
    if (record === undefined || award.data.issuerId !== recognisedIssuerId) continue;
    if (achievementIds === 'all' || achievementIds.includes(record.achievementId)) learners.add(record.learnerId);
  }
  return [...learners];
}

/** Every defined pathway, folded from its stream (found as readStreamsUnder finds streams). */
export async function readPathways(source: EventStore | LedgerSource): Promise<DefinedPathway[]> {
  const events = await readStreamsUnder(source, [STREAM_PREFIX.pathway]);
  const byStream = groupByStream(events);
  return [...byStream.values()]
    .map((streamEvents) =>
      streamEvents.map(({ type, data }) => ({ type, data }) as PathwayEvent).reduce(evolvePathway, initialPathway()),
    )
    .filter((pathway): pathway is DefinedPathway => pathway.status !== 'none');
}

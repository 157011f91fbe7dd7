import {
  CONFERRAL_ACTOR,
  DomainError,
  evolvePathway,
  initialPathway,
  latestPathwayVersion,
  parseQualificationStream,
  parseRecordStream,
  type PathwayEvent,
  STREAM_PREFIX,
} from '@app/domain';
import type { EventStore, RecordedEvent } from '@app/event-store';
import type { Projection } from '@app/read-models';
import { conferralDecision, heldQualification } from './conferral';
import { deriveId } from './derive-id';
import { readLearnerLedger } from './learner-ledger';
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
];

/**
 * The conferral process manager. Driven by a store subscription with its own checkpoint (the projection runner),
 * it re-evaluates every pathway for each learner whose holdings changed: an automatic pathway now satisfied is
 * conferred, a held qualification whose rule no longer holds is invalidated or revoked. Each command's id derives
 * from the event that triggered it, so a batch replayed after a crash appends nothing twice; conferring a nested
 * pathway is itself a trigger, so completions cascade up.
 */
export function conferralProcessManager(
  streams: StreamCommands,
  store: EventStore,
  onRefused?: (learnerId: string, pathwayId: string, error: DomainError) => void,
): Projection {
  return {
    name: 'conferral',
    filter: { eventTypes: TRIGGERS },
    migration: 'SELECT 1',
    async apply(events) {
      const pathways = await readPathways(store);
      for (const [learnerId, trigger] of lastTriggerPerLearner(events)) {
        // The instant of the trigger, not of the run: a replay decides exactly as the first run did.
        const at = trigger.recordedAt.toISOString();
        const ledger = await readLearnerLedger(store, learnerId);
        for (const pathway of pathways) {
          const held = heldQualification(ledger, pathway.pathwayId);
          if (!held && latestPathwayVersion(pathway)?.definition.conferral !== 'automatic') continue;
          if (!held && pathway.status === 'retired') continue;
          const progress = await progressOf(streams, pathway, ledger, at);
          const commandId = deriveId('conferral', trigger.id, pathway.pathwayId);
          const command = conferralDecision(progress, held, deriveId(commandId, 'qualification'), {
            now: at,
            actor: CONFERRAL_ACTOR,
          });
          if (!command) continue;
          try {
            await executeQualificationCommand(streams, command, {
              commandId,
              correlationId:
                typeof trigger.metadata.correlationId === 'string' ? trigger.metadata.correlationId : trigger.id,
              causationId: trigger.id,
              actor: CONFERRAL_ACTOR,
              now: at,
            });
          } catch (error) {
            // A refusal is final for this trigger (retrying would refuse again); anything else is retried by the runner.
            if (!(error instanceof DomainError)) throw error;
            onRefused?.(learnerId, pathway.pathwayId, error);
          }
        }
      }
    },
  };
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

/** Every defined pathway, folded from its stream. */
async function readPathways(store: EventStore): Promise<DefinedPathway[]> {
  const byStream = new Map<string, PathwayEvent[]>();
  for (let from: bigint | undefined; ;) {
    const page = await store.readAll({ from, maxCount: 1000, filter: { streamPrefix: STREAM_PREFIX.pathway } });
    for (const event of page)
      byStream.set(event.stream, [...(byStream.get(event.stream) ?? []), event as unknown as PathwayEvent]);
    if (page.length < 1000) break;
    from = page[page.length - 1].position;
  }
  return [...byStream.values()]
    .map((events) =>
      events.map(({ type, data }) => ({ type, data }) as PathwayEvent).reduce(evolvePathway, initialPathway()),
    )
    .filter((pathway): pathway is DefinedPathway => pathway.status !== 'none');
}

import {
  activeQualification,
  foldQualifications,
  foldRecord,
  type LearnerRecord,
  parseQualificationStream,
  parseRecordStream,
  type QualificationEvent,
  type Qualifications,
  RECORD_SEPARATOR,
  type RecordEvent,
  STREAM_PREFIX,
} from '@app/domain';
import { type EventStore, groupByStream, readAllEvents, type RecordedEvent } from '@app/event-store';

/** Everything the ledger holds about one learner's achievements and qualifications, folded per stream. */
export interface LearnerLedger {
  readonly learnerId: string;
  readonly records: ReadonlyArray<{ achievementId: string; record: LearnerRecord }>;
  readonly qualifications: ReadonlyArray<{ pathwayId: string; state: Qualifications }>;
  /** The events folded, in global order. */
  readonly events: readonly RecordedEvent[];
}

/**
 * Reads a learner's record and qualification streams, as they stand now or as they stood at `asOf` (events recorded
 * after it are left out): the one fold serves the live answer and the point-in-time replay.
 */
export async function readLearnerLedger(store: EventStore, learnerId: string, asOf?: Date): Promise<LearnerLedger> {
  const streamPrefix = [STREAM_PREFIX.record, STREAM_PREFIX.qualification].map(
    (prefix) => `${prefix}${learnerId}${RECORD_SEPARATOR}`,
  );
  const all = await readAllEvents(store, { filter: { streamPrefix }, visibility: 'committed' });
  const events = asOf ? all.filter((event) => event.recordedAt <= asOf) : all;
  const byStream = groupByStream(events);
  const records: Array<{ achievementId: string; record: LearnerRecord }> = [];
  const qualifications: Array<{ pathwayId: string; state: Qualifications }> = [];
  for (const [stream, streamEvents] of byStream) {
    const domainEvents = streamEvents.map(({ type, data }) => ({ type, data }));
    const record = parseRecordStream(stream);
    if (record)
      records.push({ achievementId: record.achievementId, record: foldRecord(domainEvents as RecordEvent[]) });
    const qualification = parseQualificationStream(stream);
    if (qualification)
      qualifications.push({
        pathwayId: qualification.pathwayId,
        state: foldQualifications(domainEvents as QualificationEvent[]),
      });
  }
  return { learnerId, records, qualifications, events };
}

/** The pathways conferred on the learner and still in force. */
export function completedPathways(ledger: LearnerLedger): string[] {
  return ledger.qualifications
    .filter(({ state }) => activeQualification(state) !== undefined)
    .map(({ pathwayId }) => pathwayId);
}

/** An event of a learner's history as the api and the CLI show it: positions and revisions as strings, times ISO. */
export function historyEntry(event: RecordedEvent) {
  return {
    type: event.type,
    stream: event.stream,
    revision: event.revision.toString(),
    position: event.position.toString(),
    recordedAt: event.recordedAt.toISOString(),
    data: event.data,
    metadata: event.metadata,
  };
}

import type { EventStore } from '@app/event-store';
import type { LearnerCache, loadTranscriptRead, SqlQuery } from '@app/read-models';
import type { LedgerSource } from '../learner-ledger';

/** The read models and how to read one's own writes from them: what the api has beside the store. */
export interface ReadModels {
  readonly query: SqlQuery;
  /** Waits until a projection has reached `minPosition` (no position: at once); refuses when it cannot. */
  waitFor(projection: string, minPosition: string | undefined): Promise<void>;
  /**
   * Learners' transcript rows with the read model's position when read, kept until a change to the learner is heard
   * (the api's; none, and every live read reads the row, elsewhere).
   */
  readonly transcripts?: LearnerCache<TranscriptRead>;
}

/** A learner's transcript row as the read model held it, with the read model's position then. */
export type TranscriptRead = Awaited<ReturnType<typeof loadTranscriptRead>>;

/**
 * What every query reads: the event store, and the read models when the caller has them running. The CLI, which runs
 * no projections, passes the store alone: then what the api answers from a read model is replayed from the ledger.
 */
export interface ReadSide {
  readonly store: EventStore;
  readonly readModels?: ReadModels;
}

/** Where a learner's streams are found: the stream summary with the store, or the store alone. */
export const ledgerSourceOf = (read: ReadSide): EventStore | LedgerSource =>
  read.readModels ? { store: read.store, query: read.readModels.query } : read.store;

/** The read models a query cannot answer without (searches, analytics, catalogues). */
export function readModelsOf(read: ReadSide): ReadModels {
  if (!read.readModels) throw new Error('this query answers from the read models, and none were given');
  return read.readModels;
}

import type { EventFilter, RecordedEvent, SqlClient } from '@app/event-store';

export type SqlQuery = SqlClient['query'];

/**
 * A read model kept by a pure fold over events. `apply` writes a batch's effect inside the runner's
 * transaction, which also stores the checkpoint: the effect happens exactly once.
 */
export interface Projection {
  readonly name: string;
  readonly filter?: EventFilter;
  /** Creates the projection's tables if needed (idempotent). */
  readonly migration: string;
  /**
   * A process manager: its effects are appends to the store, each made idempotent by an id derived from the event that
   * caused it, not rows written in the runner's transaction. Its batches run outside a transaction, the checkpoint
   * saved after them — on embedded PGlite a transaction holds the one connection, so the store could not be read or
   * written from inside one.
   */
  readonly appendsToStore?: boolean;
  apply(events: readonly RecordedEvent[], query: SqlQuery): Promise<void>;
}

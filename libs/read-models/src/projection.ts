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
  apply(events: readonly RecordedEvent[], query: SqlQuery): Promise<void>;
}

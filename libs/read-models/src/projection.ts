import type { EventFilter, RecordedEvent, SqlClient } from '@app/event-store';
import type { EntitySchema } from 'typeorm';
import type { RowModel } from './row-model';

export type SqlQuery = SqlClient['query'];

/**
 * A read model kept by a pure fold over events. `apply` writes a batch's effect inside the runner's
 * transaction, which also stores the checkpoint: the effect happens exactly once.
 */
export interface Projection {
  readonly name: string;
  /**
   * The fold's version, raised whenever the fold changes: a runner that finds rows written by another version rebuilds
   * the projection beside them and swaps the new rows in once caught up.
   */
  readonly version: number;
  readonly filter?: EventFilter;
  /** The tables the projection keeps (its migrations make them): rebuilt and swapped in together. */
  readonly entities: readonly EntitySchema[];
  apply(events: readonly RecordedEvent[], query: SqlQuery): Promise<void>;
  /**
   * The rows it keeps by key and their fold, when it has one (`rowProjection`: `apply` is then its load → fold →
   * write). A rebuild folds many pages into them in memory and writes each row once; without it, a rebuild applies
   * page after page.
   */
  readonly rows?: RowModel<unknown>;
}

/**
 * A reactor (a process manager): it answers events with appends to the store, each made idempotent by an id derived
 * from the event that caused it, and keeps no rows. Its batches run outside a transaction, the checkpoint saved after
 * them, so a crash in between only repeats appends that are no-ops — and on embedded PGlite a transaction holds the
 * one connection, so the store could not be read or written from inside one.
 */
export interface Reactor {
  readonly name: string;
  readonly filter?: EventFilter;
  react(events: readonly RecordedEvent[]): Promise<void>;
}

/** What the runner keeps going from its own checkpoint: a projection or a reactor. */
export type Subscriber = Projection | Reactor;

export const isReactor = (subscriber: Subscriber): subscriber is Reactor => 'react' in subscriber;

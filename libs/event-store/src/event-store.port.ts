/**
 * The EventStore port: our own interface, modelled on Emmett's and EventStoreDB's.
 * Adapters: postgres (pg or PGlite), eventstoredb, memory.
 */

/** A stream's revision: the 0-based index of an event within its stream. */
export type StreamRevision = bigint;

/**
 * A global position in the store's total order. Positions only grow; they need not be dense.
 * A subscriber that has handled position P never sees an event below P later (no in-flight gap).
 */
export type GlobalPosition = bigint;

export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | StreamRevision;

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * An event to append. `id` makes an append idempotent: a retry with the same ids appends nothing. The port promises ids
 * unique within a stream (a retry repeats an append whole; some of its ids already there is InvalidEvent); PostgreSQL
 * also holds them unique across the store, EventStoreDB does not. What must be unique across the store is claimed.
 */
export interface NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata?: JsonObject;
  /**
   * Ids this event takes for its stream alone in the whole store (an award's, an evidence's, a qualification's id).
   * An append any of whose claims another stream already holds is refused whole with IdClaimedByAnotherStream; a claim
   * the same stream holds already (a retry, a later event naming the same id) is fine.
   */
  readonly claims?: readonly string[];
}

export interface RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> {
  readonly id: string;
  readonly type: Type;
  readonly data: Data;
  readonly metadata: JsonObject;
  readonly stream: string;
  readonly revision: StreamRevision;
  readonly position: GlobalPosition;
  readonly recordedAt: Date;
}

/**
 * An Idempotency-Key as the store keeps it: the caller's key within its scope (the caller's subject), held by the
 * fingerprint of the one request it names. Kept by the append that carries it, in the same statement and transaction,
 * so that the key is held exactly when that command's events are in the store (see docs/event-store.md).
 */
export interface CommandKey {
  readonly subject: string;
  readonly key: string;
  readonly fingerprint: string;
}

export interface AppendOptions {
  /**
   * Takes this key with the append: an append whose key is held with another fingerprint writes nothing and throws
   * CommandKeyTaken; the same fingerprint holding it already (a twin, a retry) is fine. Only where keepsCommandKeys.
   */
  readonly key?: CommandKey;
  /**
   * `'any'` by default. On EventStoreDB, `'any'` and `'stream_exists'` recognise a retry only while the server's id
   * cache holds its ids: callers that may retry name `'no_stream'` or the revision they read.
   */
  readonly expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  readonly nextRevision: StreamRevision;
  /** The global position of the last event appended. */
  readonly position: GlobalPosition;
  /**
   * False when every event was already in the stream (an idempotent retry): nothing was written and the result is the
   * first append's. Lets a caller that raced with itself answer with what was stored rather than what it decided.
   */
  readonly appended: boolean;
}

export type Direction = 'forwards' | 'backwards';

export interface ReadStreamOptions {
  /** Inclusive. Defaults to the start (forwards) or the end (backwards). */
  readonly fromRevision?: StreamRevision;
  readonly direction?: Direction;
  readonly maxCount?: number;
}

export interface ReadStreamsOptions {
  /** Per stream, the last revision the caller holds already (a cached fold): only the events after it are read. */
  readonly after?: ReadonlyMap<string, StreamRevision>;
  /** Also says, in the same round trip, which fingerprint holds this key (`keyHolder`). Only where keepsCommandKeys. */
  readonly key?: Omit<CommandKey, 'fingerprint'>;
}

/**
 * What readStreams found: the streams' events by name and, when a key was asked about, the fingerprint holding it
 * (undefined: the key is free).
 */
export type StreamsRead = Map<string, RecordedEvent[]> & { readonly keyHolder?: string };

/** Either a stream-name prefix or a set of event types (EventStoreDB's server-side filters). */
export type EventFilter =
  { readonly streamPrefix: string | readonly string[] } | { readonly eventTypes: readonly string[] };

export interface ReadAllOptions {
  /** Exclusive: events strictly after this position. Defaults to the start. */
  readonly from?: GlobalPosition;
  readonly maxCount?: number;
  readonly filter?: EventFilter;
  /**
   * `settled` (the default): only events no transaction still in flight can precede — what a subscriber may
   * checkpoint on. `committed`: every committed event, for reads that need the latest state (a learner's ledger,
   * an audit) and never checkpoint; a transaction in flight may still commit events at lower positions.
   */
  readonly visibility?: 'settled' | 'committed';
}

export interface SubscribeOptions {
  /** Exclusive checkpoint: the position of the last event already handled. Defaults to the start. */
  readonly from?: GlobalPosition;
  readonly filter?: EventFilter;
  /** Aborting ends the iteration. */
  readonly signal?: AbortSignal;
}

/** The largest event this store accepts, measured as the UTF-8 JSON of data plus metadata. */
export const MAX_EVENT_BYTES = 1024 * 1024;
/** The longest stream name accepted, in characters. */
export const MAX_STREAM_NAME_LENGTH = 200;
/** The most events one append may carry. */
export const MAX_EVENTS_PER_APPEND = 10_000;

/** One stream's part of a batch append: it always names the revision it expects (a bulk writer read it first). */
export interface StreamAppend {
  readonly stream: string;
  readonly events: readonly NewEvent[];
  readonly expectedRevision: 'no_stream' | StreamRevision;
}

/**
 * What became of one stream's part of a batch: appended; refused because the stream was not at the expected revision
 * (`actual` is where it is); or refused because one of its claims (`id`, see NewEvent.claims) is held by another
 * stream — by one appended before, or by an earlier part of the same batch. A refused part wrote nothing; the other
 * parts are settled on their own.
 */
export type StreamAppendResult =
  | {
      readonly stream: string;
      readonly outcome: 'appended';
      readonly nextRevision: StreamRevision;
      readonly position: GlobalPosition;
    }
  | { readonly stream: string; readonly outcome: 'conflict'; readonly actual: StreamRevision | 'no_stream' }
  | { readonly stream: string; readonly outcome: 'id-claimed'; readonly id: string };

/** The most events one batch append may carry, over all its streams. */
export const MAX_EVENTS_PER_BATCH = 10_000;

export interface EventStore {
  /** Appends atomically: all events or none. */
  appendToStream(stream: string, events: readonly NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * Appends to many streams at once (a bulk import): each stream's part is checked against its expected revision on
   * its own, and the parts that hold are written together — on PostgreSQL in one statement, one round trip. A part
   * whose events were all appended before (same ids) counts as appended again, nothing written twice. A part claiming an
   * id another stream holds (or an earlier part of this batch claims) is refused as 'id-claimed', the others go on.
   * Results come in the order of `appends`; a stream may appear once per batch.
   */
  appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]>;
  /**
   * Several streams' events at once, by name, in one round trip on PostgreSQL; a stream without events (or none after
   * its `after` revision) is absent from the map.
   */
  readStreams(streams: readonly string[], options?: ReadStreamsOptions): Promise<StreamsRead>;
  /**
   * True when appends can take a CommandKey and reads can look one up (PostgreSQL, PGlite, memory). EventStoreDB has
   * no transaction spanning a key and a stream: there the api keeps keys beside the store (docs/event-store.md).
   */
  readonly keepsCommandKeys?: boolean;
  /** Throws StreamNotFound for a stream without events. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Events in global order; by default only those a subscriber may safely see (no in-flight gap). */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** A catch-up subscription: history from `from`, then live events, in global order, until aborted. */
  subscribe(options?: SubscribeOptions): AsyncIterable<RecordedEvent>;
  /** True when the store answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

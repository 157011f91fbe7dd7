import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendResult as ClientAppendResult,
  type Position,
  type ReadStreamOptions as ClientReadStreamOptions,
} from '@eventstore/db-client';
import {
  assertValidFilter,
  assertValidStreamName,
  checkAppend,
  appendEachInTurn,
  checkBatch,
  type CheckedEvent,
} from '../append-validation';
import { InvalidEvent, StoreUnavailable, StreamNotFound, WrongExpectedVersion } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  GlobalPosition,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
  StreamAppend,
  StreamAppendResult,
  SubscribeOptions,
} from '../event-store.port';
import {
  assertAppendFits,
  assertClaimHeldBy,
  checkMaxCount,
  claimEvent,
  claimsOf,
  claimStream,
  comparePositions,
  DEFAULT_MAX_APPEND_BYTES,
  earlierAppendResult,
  fromClientCurrentRevision,
  knownPosition,
  splitConnectionString,
  toClientExpectedRevision,
  toCursor,
  toEventData,
  toRecordedEvent,
  toServerFilter,
  toStoreError,
  visibleAllEvent,
} from './eventstoredb.mapping';

/** $all is read in pages of this many records; system and filtered-out events are dropped on our side. */
const NO_COMMAND_KEYS = 'EventStoreDB keeps no command keys (keepsCommandKeys is false): the api keeps them beside it';

const READ_ALL_PAGE_SIZE = 500;
/** A ping that takes longer than this counts as the store not answering. */
const PING_TIMEOUT_MS = 5_000;
/** How many streams a batch append or read (or an append's claims) has in flight at once. */
export const STREAMS_IN_FLIGHT = 16;

/** The part of the client the adapter uses: what a test's fake must provide. */
export type EventStoreDbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'dispose'
>;

export interface EventStoreDbOptions {
  /** The server's MaxAppendSize in bytes (KurrentDB's default is 1 MiB): larger appends are refused before sending. */
  readonly maxAppendBytes?: number;
}

/**
 * The EventStore port over EventStoreDB / KurrentDB (gRPC, @eventstore/db-client).
 * Positions are commit positions; see the top of eventstoredb.mapping.ts for why.
 */
export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  /** Stops of the live subscriptions, so close() can end them cleanly. */
  private readonly liveSubscriptions = new Set<() => void>();
  private readonly maxAppendBytes: number;

  constructor(
    private readonly client: EventStoreDbClient,
    options: EventStoreDbOptions = {},
  ) {
    this.maxAppendBytes = options.maxAppendBytes ?? DEFAULT_MAX_APPEND_BYTES;
  }

  /**
   * Connects and checks the server answers, so a wrong URL fails at start-up (throws StoreUnavailable). The URL may
   * carry `maxAppendSize=<bytes>` for a server not on the default MaxAppendSize.
   */
  static async connect(connectionString: string, options: EventStoreDbOptions = {}): Promise<EventStoreDbEventStore> {
    const { clientString, maxAppendBytes } = splitConnectionString(connectionString);
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(clientString), {
      maxAppendBytes,
      ...options,
    });
    try {
      await store.probe();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  /**
   * Claims the events' ids first (no multi-stream transaction: a claim stays with this stream even if the append then
   * fails, so this stream's retry succeeds), then appends. `appended` is decided from positions: a retry the server
   * answers as a success carries the first attempt's position, at or before the stream's last one before the append.
   */
  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const checked = checkAppend(stream, events);
    if (options.key) throw new InvalidEvent(NO_COMMAND_KEYS);
    const expected = options.expectedRevision ?? 'any';
    const expectedRevision = toClientExpectedRevision(expected);
    assertAppendFits(stream, checked, this.maxAppendBytes);
    const claims = claimsOf(stream, events);
    try {
      await this.claim(stream, claims);
      const lastBefore = await this.lastPosition(stream);
      const result = await this.client.appendToStream(stream, checked.map(toEventData), { expectedRevision });
      // With ?throwOnAppendFailure=false in the URL the client answers a conflict instead of throwing it.
      if (!result.success)
        return await this.settleConflict(
          stream,
          checked,
          new WrongExpectedVersion(stream, expected, fromClientCurrentRevision(result.nextExpectedRevision)),
        );
      const nextRevision = result.nextExpectedRevision;
      const position = knownPosition(result.position) ?? (await this.positionOfRevision(stream, nextRevision));
      return { nextRevision, position, appended: lastBefore === undefined || position > lastBefore };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError)
        return this.settleConflict(stream, checked, toStoreError(error, stream) as WrongExpectedVersion);
      throw toStoreError(error, stream);
    }
  }

  /**
   * EventStoreDB appends to one stream at a time: the parts go concurrently, STREAMS_IN_FLIGHT at once, each atomic on
   * its own. Every part is checked (and sized) before any is sent.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    const parts = checkBatch(appends);
    for (const part of parts) assertAppendFits(part.stream, part.events, this.maxAppendBytes);
    const claimed = new Map(appends.map((append) => [append.stream, append.events]));
    for (const part of parts) claimsOf(part.stream, claimed.get(part.stream)!);
    return mapBounded(parts, STREAMS_IN_FLIGHT, async (part) => {
      const [result] = await appendEachInTurn(
        { appendToStream: (stream, _checked, options) => this.appendToStream(stream, claimed.get(stream)!, options) },
        [part],
      );
      return result;
    });
  }

  /** No transaction spans a key and a stream here: the api keeps Idempotency-Keys beside the store (its SQL table). */
  readonly keepsCommandKeys = false;

  async readStreams(
    streams: readonly string[],
    options: ReadStreamsOptions = {},
  ): Promise<Map<string, RecordedEvent[]>> {
    if (options.key) throw new InvalidEvent(NO_COMMAND_KEYS);
    const read = await mapBounded(streams, STREAMS_IN_FLIGHT, async (stream) => {
      const after = options.after?.get(stream);
      try {
        return await this.readStream(stream, after === undefined ? {} : { fromRevision: after + 1n });
      } catch (error) {
        if (error instanceof StreamNotFound) return undefined;
        throw error;
      }
    });
    const found = new Map<string, RecordedEvent[]>();
    streams.forEach((stream, index) => {
      const events = read[index];
      if (events?.length) found.set(stream, events);
    });
    return found;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamName(stream);
    const forwards = (options.direction ?? 'forwards') === 'forwards';
    const maxCount = checkMaxCount(options.maxCount);
    if (options.fromRevision !== undefined && (typeof options.fromRevision !== 'bigint' || options.fromRevision < 0n))
      throw new InvalidEvent('fromRevision must be a bigint >= 0');
    try {
      const events = await this.readStreamEvents(stream, {
        fromRevision: options.fromRevision ?? (forwards ? START : END),
        direction: forwards ? FORWARDS : BACKWARDS,
        // Reading one event still tells a missing stream (StreamNotFound) from an empty answer.
        maxCount: maxCount === 0 ? 1 : maxCount,
      });
      return maxCount === 0 ? [] : events;
    } catch (error) {
      throw toStoreError(error, stream);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertValidFilter(options.filter);
    const maxCount = checkMaxCount(options.maxCount) ?? Number.POSITIVE_INFINITY;
    const found: RecordedEvent[] = [];
    // readAll is inclusive of its start; visibleAllEvent drops what is not strictly after the cursor.
    let cursor = toCursor(options.from);
    try {
      while (found.length < maxCount) {
        const page = await this.readAllPage(cursor);
        for (const resolved of page) {
          const event = visibleAllEvent(resolved, cursor, options.filter);
          if (event) found.push(event);
          if (found.length >= maxCount) return found;
        }
        const next = page.at(-1)?.event?.position;
        const endOfLog = page.length < READ_ALL_PAGE_SIZE;
        if (endOfLog || !next || (cursor && comparePositions(next, cursor) <= 0)) return found;
        // Page by the exact {commit, prepare} pair, so no event is skipped even when positions share a commit.
        cursor = next;
      }
      return found;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    // Validate now, not on the first next() of the generator.
    assertValidFilter(options.filter);
    return this.follow(options);
  }

  async ping(): Promise<boolean> {
    try {
      await this.probe();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stop of this.liveSubscriptions) stop();
    await this.client.dispose();
  }

  private async *follow({ from, filter, signal }: SubscribeOptions): AsyncGenerator<RecordedEvent> {
    if (signal?.aborted || this.closed) return;
    const cursor = toCursor(from);
    // subscribeToAll is exclusive of its start; visibleAllEvent re-checks it anyway.
    const subscription = this.client.subscribeToAll({ fromPosition: cursor ?? START, filter: toServerFilter(filter) });
    const stop = stopOnce(subscription);
    this.liveSubscriptions.add(stop);
    signal?.addEventListener('abort', stop, { once: true });
    try {
      for await (const resolved of subscription) {
        if (signal?.aborted) return;
        const event = visibleAllEvent(resolved, cursor, filter);
        if (event) yield event;
      }
    } catch (error) {
      // Stopping destroys the stream, which ends the iteration with an error we asked for.
      if (signal?.aborted || this.closed) return;
      throw toStoreError(error);
    } finally {
      signal?.removeEventListener('abort', stop);
      this.liveSubscriptions.delete(stop);
      stop();
    }
  }

  /**
   * Claims each id for `stream` with a first event in the id's own stream (written with no_stream, its event id the
   * same for the same stream, so the holder's retry is answered as done). A claim stream started by another stream
   * refuses the append with IdClaimedByAnotherStream.
   */
  private async claim(stream: string, ids: readonly string[]): Promise<void> {
    await mapBounded(ids, STREAMS_IN_FLIGHT, async (id) => {
      const claimed = await this.client
        .appendToStream(claimStream(id), [claimEvent(id, stream)], { expectedRevision: NO_STREAM })
        .then(
          (result: ClientAppendResult) => result.success,
          (error: unknown) => {
            if (error instanceof WrongExpectedVersionError) return false;
            throw error;
          },
        );
      if (claimed) return;
      const [first] = await this.readStreamEvents(claimStream(id), {
        fromRevision: START,
        direction: FORWARDS,
        maxCount: 1,
      });
      assertClaimHeldBy(id, stream, first);
    });
  }

  /**
   * The server refused the append. Its events all in the stream already make it a retry (answered as the first attempt
   * was, even when the server's id cache forgot them); some of them there is bad input; none, a conflict.
   */
  private async settleConflict(
    stream: string,
    checked: readonly CheckedEvent[],
    conflict: WrongExpectedVersion,
  ): Promise<AppendResult> {
    const stored = await this.readStreamEvents(stream, { fromRevision: START, direction: FORWARDS }).catch(
      (error: unknown) => {
        if (error instanceof StreamNotFoundError) return [];
        throw toStoreError(error, stream);
      },
    );
    const earlier = earlierAppendResult(
      stream,
      checked.map((event) => event.id),
      stored,
    );
    if (earlier) return earlier;
    throw conflict;
  }

  /** The position of the stream's last event, or undefined when it has none. */
  private async lastPosition(stream: string): Promise<GlobalPosition | undefined> {
    try {
      const [last] = await this.readStreamEvents(stream, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
      return last?.position;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }

  /** For servers that answer an append without a position: the position of the event now at that revision. */
  private async positionOfRevision(stream: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStreamEvents(stream, { fromRevision: revision, direction: FORWARDS, maxCount: 1 });
    if (!event) throw new StoreUnavailable(`EventStoreDB did not return the event just appended to ${stream}`);
    return event.position;
  }

  private async readStreamEvents(stream: string, options: ClientReadStreamOptions): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const resolved of this.client.readStream(stream, options)) {
      if (resolved.event) events.push(toRecordedEvent(resolved.event));
    }
    return events;
  }

  private async readAllPage(cursor: Position | undefined): Promise<AllStreamResolvedEvent[]> {
    const page: AllStreamResolvedEvent[] = [];
    for await (const resolved of this.client.readAll({ fromPosition: cursor ?? START, maxCount: READ_ALL_PAGE_SIZE })) {
      page.push(resolved);
    }
    return page;
  }

  /** A cheap read of $all that throws our typed error when the store does not answer in time. */
  private async probe(): Promise<void> {
    const read = this.client.readAll({ maxCount: 1 });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StoreUnavailable(`EventStoreDB did not answer within ${PING_TIMEOUT_MS} ms`)),
        PING_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([drain(read), timeout]);
    } catch (error) {
      throw toStoreError(error);
    } finally {
      clearTimeout(timer);
      read.cancel().catch(() => undefined);
    }
  }
}

/** Cancels the gRPC call and destroys the stream (which ends a pending iteration); safe to call more than once. */
function stopOnce(subscription: AllStreamSubscription): () => void {
  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    subscription.unsubscribe().catch(() => undefined);
    subscription.destroy();
  };
}

/** Reads to the end; only whether the read succeeds matters. */
async function drain(read: AsyncIterable<unknown>): Promise<void> {
  const iterator = read[Symbol.asyncIterator]();
  while (!(await iterator.next()).done);
}

/**
 * `work` over the items, at most `limit` at once, results in the order of the items. After a failure no new item is
 * started; the first failure is thrown once those in flight have settled.
 */
async function mapBounded<Item, Result>(
  items: readonly Item[],
  limit: number,
  work: (item: Item) => Promise<Result>,
): Promise<Result[]> {
  const results = new Array<Result>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

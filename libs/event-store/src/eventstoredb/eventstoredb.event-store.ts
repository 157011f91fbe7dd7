import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  START,
  WrongExpectedVersionError,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
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
import { InvalidEvent, StoreUnavailable, StreamNotFound } from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamAppendResult,
  SubscribeOptions,
} from '../event-store.port';
import {
  checkMaxCount,
  comparePositions,
  earlierAppendResult,
  firstRevisionOfAppend,
  knownPosition,
  toClientExpectedRevision,
  toCursor,
  toEventData,
  toRecordedEvent,
  toServerFilter,
  toStoreError,
  visibleAllEvent,
} from './eventstoredb.mapping';

/** $all is read in pages of this many records; system and filtered-out events are dropped on our side. */
const READ_ALL_PAGE_SIZE = 500;
/** A ping that takes longer than this counts as the store not answering. */
const PING_TIMEOUT_MS = 5_000;

/**
 * The EventStore port over EventStoreDB / KurrentDB (gRPC, @eventstore/db-client).
 * Positions are commit positions; see the top of eventstoredb.mapping.ts for why.
 */
export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  /** Stops of the live subscriptions, so close() can end them cleanly. */
  private readonly liveSubscriptions = new Set<() => void>();

  private constructor(private readonly client: EventStoreDBClient) {}

  /** Connects and checks the server answers, so a wrong URL fails at start-up (throws StoreUnavailable). */
  static async connect(connectionString: string): Promise<EventStoreDbEventStore> {
    const store = new EventStoreDbEventStore(EventStoreDBClient.connectionString(connectionString));
    try {
      await store.probe();
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }

  async appendToStream(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const checked = checkAppend(stream, events);
    const expected = options.expectedRevision ?? 'any';
    const expectedRevision = toClientExpectedRevision(expected);
    try {
      const result = await this.client.appendToStream(stream, checked.map(toEventData), { expectedRevision });
      const nextRevision = result.nextExpectedRevision;
      const position = knownPosition(result.position) ?? (await this.positionOfRevision(stream, nextRevision));
      // The server also deduplicates by event id without saying so; only a retry that conflicts is reported as such.
      return { nextRevision, position, appended: true };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const earlier = await this.findEarlierAppend(stream, checked, expected);
        if (earlier) return earlier;
      }
      throw toStoreError(error, stream);
    }
  }

  /** EventStoreDB appends to one stream at a time: the parts go one after another (each atomic on its own). */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    return appendEachInTurn(this, checkBatch(appends));
  }

  async readStreams(streams: readonly string[]): Promise<Map<string, RecordedEvent[]>> {
    const found = new Map<string, RecordedEvent[]>();
    for (const stream of streams) {
      try {
        found.set(stream, await this.readStream(stream));
      } catch (error) {
        if (!(error instanceof StreamNotFound)) throw error;
      }
    }
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
   * The server answers a retried append (same event ids) with the first result. Should it report a conflict instead
   * (an expired deduplication cache, an older server), the events with these ids sitting exactly where the first
   * attempt put them still prove a retry, and we answer as that attempt did.
   */
  private async findEarlierAppend(
    stream: string,
    checked: readonly CheckedEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | undefined> {
    const fromRevision = firstRevisionOfAppend(expected);
    if (fromRevision === undefined) return undefined;
    try {
      const stored = await this.readStreamEvents(stream, {
        fromRevision,
        direction: FORWARDS,
        maxCount: checked.length,
      });
      return earlierAppendResult(
        checked.map((event) => event.id),
        stored,
      );
    } catch {
      return undefined; // the caller reports the original conflict
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

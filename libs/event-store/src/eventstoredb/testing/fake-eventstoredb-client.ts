import {
  MaxAppendSizeExceededError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type Position,
  type ReadStreamOptions,
} from '@eventstore/db-client';
import type { EventStoreDbClient } from '../eventstoredb.event-store';
import type { ClientRecordedEvent } from '../eventstoredb.mapping';

export interface FakeServerOptions {
  /** The server's MaxAppendSize in bytes (1 MiB by default). */
  readonly maxAppendBytes?: number;
  /** The client's `throwOnAppendFailure` (true unless the URL says `?throwOnAppendFailure=false`). */
  readonly throwOnAppendFailure?: boolean;
}

interface Stored extends ClientRecordedEvent {
  readonly position: Position;
}

/**
 * A hand-made stand-in for the parts of @eventstore/db-client 6.2.1 the adapter calls, answering as a KurrentDB server
 * does: an exact expected revision (or no_stream) below the stream's is a retry when the events from the next revision
 * on carry the same ids (read from the index, so it survives a restart), a conflict otherwise; `any` and
 * `stream_exists` recognise a retry only while the in-memory id cache holds the first id, and append again when it
 * does not. Appends over MaxAppendSize throw MaxAppendSizeExceededError; a conflict throws WrongExpectedVersionError,
 * or with throwOnAppendFailure off answers `{ success: false }`. Calls are counted, with how many were in flight.
 */
export class FakeEventStoreDbClient {
  readonly streams = new Map<string, Stored[]>();
  /** The server's id cache (event id → stream), emptied by forgetIds() as a restart or an eviction would. */
  private idCache = new Map<string, string>();
  private logPosition = 0n;
  appendCalls: string[] = [];
  readCalls: string[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private readonly maxAppendBytes: number;
  private readonly throwOnAppendFailure: boolean;

  constructor(options: FakeServerOptions = {}) {
    this.maxAppendBytes = options.maxAppendBytes ?? 1024 * 1024;
    this.throwOnAppendFailure = options.throwOnAppendFailure ?? true;
  }

  /** The adapter's view of this fake: only the methods it uses are real. */
  asClient(): EventStoreDbClient {
    return this as unknown as EventStoreDbClient;
  }

  forgetIds(): void {
    this.idCache = new Map();
  }

  async appendToStream(
    stream: string,
    events: EventData | EventData[],
    { expectedRevision = 'any' }: { expectedRevision?: AppendExpectedRevision } = {},
  ): Promise<AppendResult> {
    this.appendCalls.push(stream);
    await this.enter();
    try {
      const proposed = [events].flat();
      const size = proposed.reduce(
        (total, event) =>
          total +
          Buffer.byteLength(JSON.stringify(event.data)) +
          Buffer.byteLength(JSON.stringify(event.metadata ?? {})) +
          Buffer.byteLength(event.type),
        0,
      );
      if (size > this.maxAppendBytes) throw MaxAppendSizeExceededError.fromMaxAppendSize(this.maxAppendBytes);
      const existing = this.streams.get(stream) ?? [];
      const current = BigInt(existing.length - 1);
      const ids = proposed.map((event) => event.id!);
      const retryFrom = this.retryStart(stream, existing, ids, expectedRevision, current);
      if (retryFrom !== undefined) {
        const last = existing[Number(retryFrom) + ids.length - 1];
        return { success: true, nextExpectedRevision: last.revision, position: last.position };
      }
      const expected = expectedRevision === 'no_stream' ? -1n : expectedRevision;
      const holds =
        expected === 'any' ||
        (expected === 'stream_exists' && existing.length > 0) ||
        (typeof expected === 'bigint' && expected === current);
      if (!holds) return this.refuse(stream, expectedRevision, current);
      const written = proposed.map((event, index) => this.record(stream, event, current + 1n + BigInt(index)));
      this.streams.set(stream, [...existing, ...written]);
      const last = written[written.length - 1];
      return { success: true, nextExpectedRevision: last.revision, position: last.position };
    } finally {
      this.leave();
    }
  }

  async *readStream(
    stream: string,
    { fromRevision = 'start', direction = 'forwards', maxCount = Number.MAX_SAFE_INTEGER }: ReadStreamOptions = {},
  ): AsyncGenerator<{ event: ClientRecordedEvent }> {
    this.readCalls.push(stream);
    await this.enter();
    try {
      const events = this.streams.get(stream);
      if (!events) throw new StreamNotFoundError(undefined, stream);
      const ordered = direction === 'forwards' ? events : [...events].reverse();
      const from =
        fromRevision === 'start' || fromRevision === 'end'
          ? undefined
          : ordered.findIndex((event) =>
              direction === 'forwards' ? event.revision >= fromRevision : event.revision <= fromRevision,
            );
      const selected = from === undefined ? ordered : from < 0 ? [] : ordered.slice(from);
      for (const event of selected.slice(0, Number(maxCount))) yield { event };
    } finally {
      this.leave();
    }
  }

  /** $all forwards in log order, from `fromPosition` inclusive as the server reads it, at most `maxCount`. */
  readAll({
    fromPosition = 'start',
    maxCount = Number.MAX_SAFE_INTEGER,
  }: { fromPosition?: Position | 'start'; maxCount?: number | bigint } = {}): AsyncGenerator<{
    event: ClientRecordedEvent;
  }> & { cancel(): Promise<void> } {
    const all = [...this.streams.values()]
      .flat()
      .filter((event) => fromPosition === 'start' || event.position.commit >= fromPosition.commit)
      .sort((a, b) => (a.position.commit < b.position.commit ? -1 : 1))
      .slice(0, Number(maxCount));
    const read = (async function* () {
      for (const event of all) yield { event };
    })();
    return Object.assign(read, { cancel: async () => undefined });
  }

  async dispose(): Promise<void> {}

  /** Where a retry of these ids starts in the stream, if the server would answer it as done. */
  private retryStart(
    stream: string,
    existing: readonly Stored[],
    ids: readonly string[],
    expected: AppendExpectedRevision,
    current: bigint,
  ): bigint | undefined {
    const matchesFrom = (start: number) =>
      start >= 0 && ids.every((id, index) => existing[start + index]?.id === id) ? BigInt(start) : undefined;
    if (expected === 'any' || expected === 'stream_exists') {
      if (this.idCache.get(ids[0]) !== stream) return undefined;
      const start = existing.findIndex((event) => event.id === ids[0]);
      return matchesFrom(start) ?? this.corrupted(stream, expected, current);
    }
    const revision = expected === 'no_stream' ? -1n : expected;
    if (revision >= current) return undefined;
    return matchesFrom(Number(revision) + 1) ?? this.corrupted(stream, expected, current);
  }

  /** The server's CorruptedIdempotency and plain conflicts both reach the client as a wrong expected version. */
  private corrupted(stream: string, expected: AppendExpectedRevision, current: bigint): never {
    throw new WrongExpectedVersionError(undefined, {
      streamName: stream,
      current: current < 0n ? 'no_stream' : current,
      expected,
    });
  }

  private refuse(stream: string, expected: AppendExpectedRevision, current: bigint): AppendResult {
    if (this.throwOnAppendFailure) this.corrupted(stream, expected, current);
    return { success: false, nextExpectedRevision: current, position: undefined };
  }

  private record(stream: string, event: EventData, revision: bigint): Stored {
    this.logPosition += 100n;
    this.idCache.set(event.id!, stream);
    return {
      streamId: stream,
      id: event.id!,
      revision,
      type: event.type,
      created: new Date(),
      data: event.data,
      metadata: event.metadata,
      position: { commit: this.logPosition, prepare: this.logPosition },
    };
  }

  /** Yields once, so that concurrent callers overlap as they would over the network. */
  private async enter(): Promise<void> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((resolve) => setImmediate(resolve));
  }

  private leave(): void {
    this.inFlight--;
  }
}

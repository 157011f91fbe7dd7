import {
  appendEachInTurn,
  assertValidFilter,
  assertValidStreamName,
  checkAppend,
  checkBatch,
} from '../append-validation';
import { AppendSignal, catchUp, matchesFilter } from '../catch-up-subscription';
import {
  CommandKeyTaken,
  IdClaimedByAnotherStream,
  InvalidEvent,
  StreamNotFound,
  WrongExpectedVersion,
} from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  ReadStreamsOptions,
  RecordedEvent,
  StreamAppend,
  StreamAppendResult,
  StreamsRead,
  SubscribeOptions,
} from '../event-store.port';

/** An in-process store for unit tests: the same contract, nothing durable. */
export class InMemoryEventStore implements EventStore {
  private readonly log: RecordedEvent[] = [];
  private readonly streams = new Map<string, RecordedEvent[]>();
  private readonly byId = new Map<string, RecordedEvent>();
  /** NewEvent.claims: id → the stream holding it. */
  private readonly claims = new Map<string, string>();
  private readonly appended = new AppendSignal();
  /** AppendOptions.key: the fingerprint holding each key, by subject and key. */
  private readonly keys = new Map<string, string>();
  readonly keepsCommandKeys = true;

  async appendToStream(
    stream: string,
    events: Parameters<EventStore['appendToStream']>[1],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    const checked = checkAppend(stream, events);
    const key = options.key && keyOf(options.key);
    const holder = key === undefined ? undefined : this.keys.get(key);
    if (holder !== undefined && holder !== options.key!.fingerprint)
      throw new CommandKeyTaken(options.key!.subject, options.key!.key);
    const already = checked.map((event) => this.byId.get(event.id));
    if (already.every((event) => event !== undefined)) return resultOf(already as RecordedEvent[], false);
    if (already.some((event) => event !== undefined))
      throw new InvalidEvent(`Some of these event ids were already appended to ${stream}, others not`);

    const existing = this.streams.get(stream) ?? [];
    const current = existing.length === 0 ? 'no_stream' : BigInt(existing.length - 1);
    const expected = options.expectedRevision ?? 'any';
    const conflict =
      (expected === 'no_stream' && current !== 'no_stream') ||
      (expected === 'stream_exists' && current === 'no_stream') ||
      (typeof expected === 'bigint' && current !== expected);
    if (conflict) throw new WrongExpectedVersion(stream, expected, current);
    const claims = checked.flatMap((event) => event.claims ?? []);
    const held = claims.find((id) => (this.claims.get(id) ?? stream) !== stream);
    if (held !== undefined) throw new IdClaimedByAnotherStream(held, stream);

    const recordedAt = new Date();
    const recorded = checked.map((event, index): RecordedEvent => ({
      id: event.id,
      type: event.type,
      data: structuredClone(event.data),
      metadata: structuredClone(event.metadata),
      stream,
      revision: BigInt(existing.length + index),
      position: BigInt(this.log.length + index + 1),
      recordedAt,
    }));
    this.streams.set(stream, [...existing, ...recorded]);
    this.log.push(...recorded);
    for (const event of recorded) this.byId.set(event.id, event);
    for (const id of claims) this.claims.set(id, stream);
    if (key !== undefined) this.keys.set(key, options.key!.fingerprint);
    this.appended.notify();
    return resultOf(recorded, true);
  }

  async appendToStreams(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    return appendEachInTurn(this, checkBatch(appends));
  }

  async readStreams(streams: readonly string[], options: ReadStreamsOptions = {}): Promise<StreamsRead> {
    streams.forEach(assertValidStreamName);
    const found = new Map<string, RecordedEvent[]>();
    for (const stream of streams) {
      const after = options.after?.get(stream) ?? -1n;
      const events = this.streams.get(stream)?.filter((event) => event.revision > after);
      if (events?.length) found.set(stream, events);
    }
    return options.key ? Object.assign(found, { keyHolder: this.keys.get(keyOf(options.key)) }) : found;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    assertValidStreamName(stream);
    const events = this.streams.get(stream);
    if (!events) throw new StreamNotFound(stream);
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision;
    const selected = backwards
      ? [...events].reverse().filter((event) => from === undefined || event.revision <= from)
      : events.filter((event) => from === undefined || event.revision >= from);
    return selected.slice(0, options.maxCount ?? selected.length);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    assertValidFilter(options.filter);
    const from = options.from ?? 0n;
    const selected = this.log.filter(
      (event) => event.position > from && matchesFilter(event.stream, event.type, options.filter),
    );
    return selected.slice(0, options.maxCount ?? selected.length);
  }

  subscribe(options: SubscribeOptions = {}): AsyncIterable<RecordedEvent> {
    assertValidFilter(options.filter);
    return catchUp(async (read) => ({ events: await this.readAll(read) }), this.appended, options);
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    this.appended.notify();
  }
}

function keyOf(key: { readonly subject: string; readonly key: string }): string {
  return JSON.stringify([key.subject, key.key]);
}

function resultOf(events: RecordedEvent[], appended: boolean): AppendResult {
  const last = events[events.length - 1];
  return { nextRevision: last.revision, position: last.position, appended };
}

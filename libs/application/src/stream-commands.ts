import { STREAM_PREFIX } from '@app/domain';
import {
  CommandKeyTaken,
  type EventStore,
  type GlobalPosition,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
  type StreamRevision,
  WrongExpectedVersion,
} from '@app/event-store';
import { ConcurrencyConflict, IdempotencyKeyReused } from './application.errors';
import { chainEvents, chainLinks, GENESIS_HASH } from './audit/hash-chain';
import { claimedIdsOf } from './claimed-ids';
import type { CommandContext } from './command-context';
import { deriveId } from './derive-id';

export interface DomainEvent {
  readonly type: string;
  readonly data: JsonObject;
}

/** How to rebuild an aggregate's state from its events (a domain decider fits). */
export interface Aggregate<State, Event extends DomainEvent> {
  initialState(): State;
  evolve(state: State, event: Event): State;
}

export interface CommandOutcome<Event extends DomainEvent> {
  /** The command's events: just appended, or found in the stream when the command had already been applied. */
  readonly events: readonly Event[];
  /** The global position of the command's last event. */
  readonly position: GlobalPosition;
}

/** Folds a stream into a state: `StreamCommands.load`, or the streams a command read beside its own. */
export interface StreamLoader {
  load<State, Event extends DomainEvent>(stream: string, aggregate: Aggregate<State, Event>): Promise<State>;
}

const MAX_ATTEMPTS = 5;

/** The definitions whose folds are kept between commands: few, read by nearly every command, rarely changed. */
const CACHED_PREFIXES = [STREAM_PREFIX.achievement, STREAM_PREFIX.pathway];

/** Far above any catalogue; past it the oldest folds are dropped, to be read again when next needed. */
const MAX_CACHED_FOLDS = 10_000;

interface CachedFold {
  readonly aggregate: Aggregate<unknown, DomainEvent>;
  readonly revision: StreamRevision;
  readonly state: unknown;
}

/**
 * Runs a command against one stream: read, fold, decide, append with the expected revision.
 * A concurrent change is retried a few times, then reported as 409. A command whose events are
 * already in the stream (same command id) returns them instead of deciding again: that is what
 * makes a repeated Idempotency-Key append nothing, even across restarts and races. Every event appended is linked into
 * its stream's audit hash chain (`metadata.prevHash`, `metadata.hash`; see audit/hash-chain.ts).
 *
 * A command with an Idempotency-Key the ledger keeps (`CommandContext.idempotency`, on a store that keepsCommandKeys)
 * costs no more round trips: its read also says which request holds the key (another: IdempotencyKeyReused, before
 * deciding), and its append takes the key in the same statement (taken by another request meanwhile: read again). The
 * key is held exactly when the command's events are in the store, so a command that fails holds none, and a repeat
 * finds the events by its command id and is answered from them (`replayed`).
 */
export class StreamCommands {
  /**
   * Achievement and pathway folds by stream, with the revision they were folded to. Every use reads the events after
   * that revision (in the command's own read), so a definition's own events bring its fold up to date, whichever
   * process appended them.
   */
  private readonly folds = new Map<string, CachedFold>();

  constructor(private readonly store: EventStore) {}

  /** Whether the store keeps Idempotency-Keys with the appends (CommandContext.idempotency): not on EventStoreDB. */
  get keepsCommandKeys(): boolean {
    return this.store.keepsCommandKeys === true;
  }

  /**
   * `alongside`: the other streams the decision reads (an achievement's definition, prerequisites' records), read in
   * the same round trip as the command's stream and served to `decide` by its loader; a stream not read alongside is
   * loaded on its own.
   */
  async execute<State, Event extends DomainEvent>(
    stream: string,
    aggregate: Aggregate<State, Event>,
    metadata: CommandContext,
    decide: (state: State, loader: StreamLoader) => readonly Event[] | Promise<readonly Event[]>,
    alongside: readonly string[] = [],
  ): Promise<CommandOutcome<Event>> {
    const keyed = metadata.idempotency;
    const key = keyed && this.store.keepsCommandKeys ? keyed.key : undefined;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const besides = alongside.filter((other) => other !== stream);
      const after = this.cachedRevisions(besides);
      const read = await this.store.readStreams([stream, ...besides], key ? { after, key } : { after });
      if (key && read.keyHolder !== undefined && read.keyHolder !== key.fingerprint) throw new IdempotencyKeyReused();
      const history = read.get(stream) ?? [];
      const applied = history.filter((event) => event.metadata.commandId === metadata.commandId);
      if (applied.length > 0) {
        if (keyed) keyed.replayed = true;
        return { events: applied.map(asDomainEvent<Event>), position: applied[applied.length - 1].position };
      }

      const state = history.map(asDomainEvent<Event>).reduce(aggregate.evolve, aggregate.initialState());
      const loader: StreamLoader = {
        load: async (other, otherAggregate) =>
          besides.includes(other)
            ? this.fold(other, otherAggregate, read.get(other) ?? [], after.get(other))
            : this.load(other, otherAggregate),
      };
      const events = await decide(state, loader);
      const last = history.at(-1);
      // A decision of nothing (e.g. a definition imported again unchanged) appends nothing.
      if (events.length === 0) return { events, position: last?.position ?? 0n };
      const expectedRevision = last === undefined ? 'no_stream' : last.revision;
      try {
        const { position, appended } = await this.store.appendToStream(
          stream,
          newEventsOf(stream, tailHash(last), metadata, events),
          key ? { expectedRevision, key } : { expectedRevision },
        );
        // A concurrent twin of this command got there first: answer with what it stored.
        if (!appended) continue;
        return { events, position };
      } catch (error) {
        // Another request took the key since the read: the next read says so (422), having written nothing.
        if (!(error instanceof WrongExpectedVersion) && !(error instanceof CommandKeyTaken)) throw error;
      }
    }
    throw new ConcurrencyConflict(stream, MAX_ATTEMPTS);
  }

  /** A stream's events, or none when it does not exist yet: one query, whether it exists or not. */
  async readStream(stream: string): Promise<RecordedEvent[]> {
    return (await this.store.readStreams([stream])).get(stream) ?? [];
  }

  /**
   * Folds a stream that is only read, for context (an achievement's definition, a prerequisite's record), as it
   * stands now or as it stood at `asOf` (events recorded after it left out).
   */
  async load<State, Event extends DomainEvent>(
    stream: string,
    aggregate: Aggregate<State, Event>,
    asOf?: Date,
  ): Promise<State> {
    if (asOf !== undefined) {
      const history = (await this.readStream(stream)).filter((event) => event.recordedAt <= asOf);
      return history.map(asDomainEvent<Event>).reduce(aggregate.evolve, aggregate.initialState());
    }
    const after = this.cachedRevisions([stream]);
    const read = await this.store.readStreams([stream], { after });
    return this.fold(stream, aggregate, read.get(stream) ?? [], after.get(stream));
  }

  /** A definition's cached fold, as last read (perhaps stale): to choose what else to read beside a command's stream. */
  cached<State>(stream: string): State | undefined {
    return this.folds.get(stream)?.state as State | undefined;
  }

  /** The revisions of the cached folds among `streams`: what a read needs beyond them. */
  private cachedRevisions(streams: readonly string[]): Map<string, StreamRevision> {
    const revisions = new Map<string, StreamRevision>();
    for (const stream of streams) {
      const cached = this.folds.get(stream);
      if (cached) revisions.set(stream, cached.revision);
    }
    return revisions;
  }

  /**
   * The fold of a stream of which `events` were read after revision `after` (all of them without one): onto the cached
   * fold, which may have moved on since (another command's read) but never back. Kept when it is a definition's.
   */
  private async fold<State, Event extends DomainEvent>(
    stream: string,
    aggregate: Aggregate<State, Event>,
    events: readonly RecordedEvent[],
    after: StreamRevision | undefined,
  ): Promise<State> {
    const cached = this.folds.get(stream);
    const base = cached?.aggregate === aggregate ? cached : undefined;
    // Dropped from the cache since the read: what was read does not start at the beginning.
    if (after !== undefined && base === undefined)
      return this.fold(stream, aggregate, await this.readStream(stream), undefined);
    const newer = base === undefined ? events : events.filter((event) => event.revision > base.revision);
    const state = newer
      .map(asDomainEvent<Event>)
      .reduce(aggregate.evolve, base === undefined ? aggregate.initialState() : (base.state as State));
    const last = newer.at(-1);
    if (last && CACHED_PREFIXES.some((prefix) => stream.startsWith(prefix))) {
      if (this.folds.size >= MAX_CACHED_FOLDS) this.folds.delete(this.folds.keys().next().value!);
      this.folds.set(stream, {
        aggregate: aggregate as Aggregate<unknown, DomainEvent>,
        revision: last.revision,
        state,
      });
    }
    return state;
  }
}

/**
 * The events a command appends to a stream whose last event is `last`: ids derived from the command id (a repeated
 * command appends nothing), the command's metadata, links onto the stream's audit hash chain, and the record ids they
 * claim (claimedIdsOf: the store refuses one another stream holds). Bulk imports append
 * through this too, so that every event in the store carries the same metadata and chain.
 */
export function newEventsOf(
  stream: string,
  prevHash: string,
  context: CommandContext,
  events: readonly DomainEvent[],
): NewEvent[] {
  const chained = chainEvents(
    prevHash,
    events.map((event) => ({ type: event.type, data: event.data, metadata: eventMetadata(context) })),
  );
  return events.map((event, index) => ({
    id: deriveId(context.commandId, stream, String(index)),
    type: event.type,
    data: event.data,
    metadata: chained[index],
    claims: claimedIdsOf(event),
  }));
}

/**
 * The hash new events link onto: the last event's (GENESIS_HASH for a new stream). The tail is the one just read;
 * were it to move, the append's expected revision fails and the command is decided again.
 */
export function tailHash(last: RecordedEvent | undefined): string {
  return last === undefined ? GENESIS_HASH : (chainLinks(last.metadata)?.hash ?? GENESIS_HASH);
}

function asDomainEvent<Event extends DomainEvent>(event: RecordedEvent): Event {
  return { type: event.type, data: event.data } as unknown as Event;
}

function eventMetadata(metadata: CommandContext): JsonObject {
  return {
    commandId: metadata.commandId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId ?? metadata.commandId,
    actor: { sub: metadata.actor.sub, roles: [...metadata.actor.roles] },
    occurredAt: metadata.now,
  };
}

import {
  type EventStore,
  type GlobalPosition,
  type JsonObject,
  type NewEvent,
  type RecordedEvent,
  StreamNotFound,
  WrongExpectedVersion,
} from '@app/event-store';
import { ConcurrencyConflict } from './application.errors';
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

const MAX_ATTEMPTS = 5;

/**
 * Runs a command against one stream: read, fold, decide, append with the expected revision.
 * A concurrent change is retried a few times, then reported as 409. A command whose events are
 * already in the stream (same command id) returns them instead of deciding again: that is what
 * makes a repeated Idempotency-Key append nothing, even across restarts and races. Every event appended is linked into
 * its stream's audit hash chain (`metadata.prevHash`, `metadata.hash`; see audit/hash-chain.ts).
 */
export class StreamCommands {
  constructor(private readonly store: EventStore) {}

  async execute<State, Event extends DomainEvent>(
    stream: string,
    aggregate: Aggregate<State, Event>,
    metadata: CommandContext,
    decide: (state: State) => readonly Event[] | Promise<readonly Event[]>,
  ): Promise<CommandOutcome<Event>> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const history = await this.readStream(stream);
      const applied = history.filter((event) => event.metadata.commandId === metadata.commandId);
      if (applied.length > 0)
        return { events: applied.map(asDomainEvent<Event>), position: applied[applied.length - 1].position };

      const state = history.map(asDomainEvent<Event>).reduce(aggregate.evolve, aggregate.initialState());
      const events = await decide(state);
      const last = history.at(-1);
      // A decision of nothing (e.g. a definition imported again unchanged) appends nothing.
      if (events.length === 0) return { events, position: last?.position ?? 0n };
      const expectedRevision = last === undefined ? 'no_stream' : last.revision;
      try {
        const { position, appended } = await this.store.appendToStream(
          stream,
          newEventsOf(stream, tailHash(last), metadata, events),
          { expectedRevision },
        );
        // A concurrent twin of this command got there first: answer with what it stored.
        if (!appended) continue;
        return { events, position };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersion)) throw error;
      }
    }
    throw new ConcurrencyConflict(stream, MAX_ATTEMPTS);
  }

  /** A stream's events, or none when it does not exist yet. */
  async readStream(stream: string): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(stream);
    } catch (error) {
      if (error instanceof StreamNotFound) return [];
      throw error;
    }
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
    const history = (await this.readStream(stream)).filter((event) => asOf === undefined || event.recordedAt <= asOf);
    return history.map(asDomainEvent<Event>).reduce(aggregate.evolve, aggregate.initialState());
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

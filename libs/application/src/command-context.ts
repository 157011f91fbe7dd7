import type { Actor } from '@app/domain';
import type { CommandKey } from '@app/event-store';

/**
 * A command under an Idempotency-Key, kept by the ledger: the command's read says who holds the key, its append takes
 * it (StreamCommands.execute). `replayed` is set when the command was found applied already, so that the answer, made
 * again from the events found, is told as a replay.
 */
export interface KeyedCommand {
  readonly key: CommandKey;
  replayed: boolean;
}

/** What every command carries besides its payload: who, when, and the ids that make it idempotent. */
export interface CommandContext {
  /** The same command always has the same id (derived from an Idempotency-Key, or from what a process reacts to). */
  readonly commandId: string;
  readonly correlationId: string;
  /** Set when a process manager issues the command in reaction to an event. */
  readonly causationId?: string;
  readonly actor: Actor;
  /** The instant the command is decided at (ISO 8601). */
  readonly now: string;
  /** Its Idempotency-Key, when the ledger keeps it (one stream command per request: the first to run takes it). */
  readonly idempotency?: KeyedCommand;
}

/** What a domain command carries of the context: the instant and the actor. */
export const domainMetadata = (context: CommandContext) => ({
  now: context.now,
  actor: { sub: context.actor.sub, roles: context.actor.roles, issuers: context.actor.issuers },
});

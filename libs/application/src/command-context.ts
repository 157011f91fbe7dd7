import type { Actor } from '@app/domain';

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
}

/** What a domain command carries of the context: the instant and the actor. */
export const domainMetadata = (context: CommandContext) => ({
  now: context.now,
  actor: { sub: context.actor.sub, roles: context.actor.roles, issuers: context.actor.issuers },
});

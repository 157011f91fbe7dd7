import { createHash, randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

/** What every command carries besides its payload: who, when, and the ids that make it idempotent. */
export interface CommandMetadata {
  /** Derived from the caller and their Idempotency-Key, so a repeated request is the same command. */
  readonly commandId: string;
  readonly correlationId: string;
  readonly actor: Actor;
  /** The instant the command is decided at (ISO 8601). */
  readonly now: string;
}

export type CommandRequest = AuthenticatedRequest & { commandId?: string };

/** A UUID (version 8, name-based) from a SHA-256 of the parts: the same parts always give the same id. */
export function deriveId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u001f')).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const newCommandId = (): string => randomUUID();

/** What a domain command carries of the request: the instant and the actor. */
export const domainMetadata = (metadata: CommandMetadata) => ({
  now: metadata.now,
  actor: { sub: metadata.actor.sub, roles: metadata.actor.roles, issuers: metadata.actor.issuers },
});

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The command metadata of this request (the idempotency interceptor has set its command id). */
export const Command = createParamDecorator((_data: unknown, context: ExecutionContext): CommandMetadata => {
  const request = context.switchToHttp().getRequest<CommandRequest>();
  if (!request.actor || !request.commandId)
    throw new Error('Command metadata is only available on authenticated commands');
  const correlation = request.header('x-correlation-id');
  return {
    commandId: request.commandId,
    correlationId: correlation && CORRELATION_ID.test(correlation) ? correlation : request.commandId,
    actor: request.actor,
    now: new Date().toISOString(),
  };
});

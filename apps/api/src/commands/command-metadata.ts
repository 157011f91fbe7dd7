import { randomUUID } from 'node:crypto';
import type { CommandContext, KeyedCommand } from '@app/application';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

export { deriveId, domainMetadata } from '@app/application';

/** The command context of an HTTP request: its actor is the caller, with their learner id where they are one. */
export interface CommandMetadata extends CommandContext {
  readonly actor: Actor;
}

/** `idempotency`: the request's Idempotency-Key where the ledger keeps it (see KeptByTheLedger). */
export type CommandRequest = AuthenticatedRequest & { commandId?: string; idempotency?: KeyedCommand };

export const newCommandId = (): string => randomUUID();

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
    ...(request.idempotency ? { idempotency: request.idempotency } : {}),
  };
});

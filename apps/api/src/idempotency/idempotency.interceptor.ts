import { createHash } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UnprocessableEntityException,
  BadRequestException,
} from '@nestjs/common';
import type { Response } from 'express';
import { from, type Observable, of, switchMap } from 'rxjs';
import { type CommandRequest, deriveId, newCommandId } from '../commands/command-metadata';
import { IdempotencyStore } from './idempotency.store';

const KEY = /^[\x21-\x7e]{1,255}$/;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Honours `Idempotency-Key` on every command: the key (per caller) fixes the command id, so the
 * ledger itself refuses to apply it twice; the first response is kept and replayed; the same key
 * with another request is refused with 422.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(private readonly responses: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<CommandRequest>();
    if (!UNSAFE_METHODS.has(request.method) || !request.actor) return next.handle();
    const key = request.header('idempotency-key');
    if (key === undefined) {
      request.commandId = newCommandId();
      return next.handle();
    }
    if (!KEY.test(key))
      throw new BadRequestException({
        type: 'urn:tessera:problem:invalid-idempotency-key',
        title: 'Invalid Idempotency-Key',
        message: 'the Idempotency-Key header must be 1 to 255 visible ASCII characters',
      });
    const subject = request.actor.sub;
    request.commandId = deriveId('command', subject, key);
    const requestHash = createHash('sha256')
      .update(`${request.method} ${request.originalUrl.split('?')[0]}\n${JSON.stringify(request.body ?? null)}`)
      .digest('hex');
    const response = context.switchToHttp().getResponse<Response>();

    return from(this.responses.find(subject, key)).pipe(
      switchMap((stored) => {
        if (!stored)
          return next
            .handle()
            .pipe(
              switchMap((body) =>
                from(
                  this.responses
                    .remember(subject, key, { requestHash, status: response.statusCode, body })
                    .then(() => body),
                ),
              ),
            );
        if (stored.requestHash !== requestHash)
          throw new UnprocessableEntityException({
            type: 'urn:tessera:problem:idempotency-key-reused',
            title: 'Idempotency-Key reused',
            message: 'this Idempotency-Key was already used for a different request',
          });
        response.status(stored.status).setHeader('Idempotent-Replayed', 'true');
        return of(stored.body);
      }),
    );
  }
}

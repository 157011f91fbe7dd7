import { createHash, createHmac } from 'node:crypto';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
  UnprocessableEntityException,
  BadRequestException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { StreamCommands } from '@app/application';
import { catchError, from, map, type Observable, of, switchMap } from 'rxjs';
import { type CommandRequest, deriveId, newCommandId } from '../commands/command-metadata';
import { LearnerProfileStore } from '../learners/learner-profile.store';
import { IdempotencyStore } from './idempotency.store';
import { KEPT_BY_THE_LEDGER, PERSONAL_DATA_OF, SECRET_FIELD } from './personal-data.decorator';

const KEY = /^[\x21-\x7e]{1,255}$/;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a request is, for its Idempotency-Key: method, path (without the query) and body as parsed. */
export const requestText = (method: string, path: string, body: unknown): string =>
  `${method} ${path}\n${JSON.stringify(body ?? null)}`;

/** The command id of a keyed request: from caller, key and fingerprint, so two different requests never share one. */
export const keyedCommandId = (subject: string, key: string, fingerprint: string): string =>
  deriveId('command', subject, key, fingerprint);

/** The fingerprint of a request on a route without personal data. */
export const requestFingerprint = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * Honours `Idempotency-Key` on every command. The key is claimed, with the request's fingerprint (method, path, body),
 * in one INSERT before the command runs, so of two requests racing with one key and different fingerprints one runs
 * and the other is refused with 422; an identical twin runs too and finds the command in the ledger. The command id
 * derives from caller, key and fingerprint, so two different requests never share an id. The first answer is kept and
 * replayed; a command that fails frees the key for a retry.
 *
 * On a route whose key the ledger keeps (KeptByTheLedger, on a store that keepsCommandKeys) none of that costs a
 * statement: the key rides on the command (CommandContext.idempotency), whose read finds who holds it and whose append
 * takes it, in the same table; the answer is made again from the command's events, and told as a replay when they
 * were found rather than appended.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    private readonly responses: IdempotencyStore,
    private readonly profiles: LearnerProfileStore,
    private readonly reflector: Reflector,
    private readonly streams: StreamCommands,
  ) {}

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
    const response = context.switchToHttp().getResponse<Response>();
    const learnerParam = this.reflector.get<string | undefined>(PERSONAL_DATA_OF, context.getHandler());
    const secretField = this.reflector.get<string | undefined>(SECRET_FIELD, context.getHandler());
    const kept = (body: unknown) =>
      secretField && typeof body === 'object' && body !== null
        ? Object.fromEntries(Object.entries(body).filter(([field]) => field !== secretField))
        : body;

    const byTheLedger =
      secretField === undefined &&
      this.streams.keepsCommandKeys &&
      this.reflector.getAllAndOverride<boolean | undefined>(KEPT_BY_THE_LEDGER, [
        context.getHandler(),
        context.getClass(),
      ]) === true;

    return from(this.fingerprintOf(request, learnerParam)).pipe(
      switchMap((requestHash) => {
        request.commandId = keyedCommandId(subject, key, requestHash);
        if (byTheLedger) {
          const keyed = { key: { subject, key, fingerprint: requestHash }, replayed: false };
          request.idempotency = keyed;
          return next.handle().pipe(
            map((body: unknown) => {
              if (keyed.replayed) response.setHeader('Idempotent-Replayed', 'true');
              return body;
            }),
          );
        }
        return from(this.responses.claim(subject, key, requestHash)).pipe(
          switchMap((claim) => {
            if (claim.state === 'reused')
              throw new UnprocessableEntityException({
                type: 'urn:tessera:problem:idempotency-key-reused',
                title: 'Idempotency-Key reused',
                message: 'this Idempotency-Key was already used for a different request',
              });
            if (claim.state === 'answered') {
              response.status(claim.response.status).setHeader('Idempotent-Replayed', 'true');
              return of(claim.response.body);
            }
            return next.handle().pipe(
              switchMap((body) =>
                from(
                  this.responses
                    .complete(subject, key, requestHash, { status: response.statusCode, body: kept(body) })
                    .then(() => body),
                ),
              ),
              // A claim that cannot be released stays pending, which is harmless: the same request runs again.
              catchError((error: unknown) =>
                from(
                  this.responses
                    .release(subject, key, requestHash)
                    .catch(() => undefined)
                    .then(() => {
                      throw error;
                    }),
                ),
              ),
            );
          }),
        );
      }),
    );
  }

  /**
   * SHA-256 of method, path and body; for a route carrying a learner's personal data, an HMAC under that learner's
   * fingerprint key instead, so that once erasure deletes the key nothing left (this row, the ledger's ids) can be
   * tested against a guessed name or email.
   */
  private async fingerprintOf(request: CommandRequest, learnerParam: string | undefined): Promise<string> {
    const text = requestText(request.method, request.originalUrl.split('?')[0], request.body);
    const learnerId = learnerParam === undefined ? undefined : request.params[learnerParam];
    if (typeof learnerId !== 'string') return requestFingerprint(text);
    return createHmac('sha256', await this.profiles.fingerprintKey(learnerId))
      .update(text)
      .digest('hex');
  }
}

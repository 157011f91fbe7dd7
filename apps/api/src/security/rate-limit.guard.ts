import { createHash } from 'node:crypto';
import { type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';
import { TokenVerifier } from '../auth/token-verifier';

/**
 * Counts every request against its caller, across all routes: a valid token's subject (so one user's many tokens
 * share a budget), else the client's IP address (anonymous calls, and tokens that do not verify, so sending
 * random tokens does not buy fresh budgets). Over the limit: 429 with `Retry-After`.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Request): Promise<string> {
    const token = /^Bearer ([^\s]+)$/i.exec(request.headers.authorization ?? '')?.[1];
    if (token) {
      const subject = await this.verifier.verify(token).then(
        (actor) => actor.sub,
        () => undefined,
      );
      if (subject !== undefined) return `sub:${createHash('sha256').update(subject).digest('base64url')}`;
    }
    return `ip:${request.ip ?? request.socket.remoteAddress ?? 'unknown'}`;
  }

  /** One budget per caller for the whole api, not one per route. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttler: string): string {
    return `${throttler}:${tracker}`;
  }

  protected override async throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new HttpException(
      {
        type: 'urn:tessera:problem:rate-limited',
        title: 'Too many requests',
        message: `more than ${detail.limit} requests a minute from this caller; retry after ${detail.timeToBlockExpire} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}

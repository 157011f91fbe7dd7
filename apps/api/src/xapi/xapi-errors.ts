import { randomUUID } from 'node:crypto';
import { type ArgumentsHost, Catch, type ExceptionFilter, UnauthorizedException } from '@nestjs/common';
import type { Response } from 'express';

export type XapiWarning = { path: string; message: string };

/**
 * An error of the statements resource, answered in xAPI's form (the one Learning Locker answers, whose validator this
 * is): `{ errorId, message, warnings? }` as application/json — not problem+json, which LMS plugins do not read.
 */
export class XapiError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
    readonly warnings: readonly XapiWarning[] = [],
  ) {
    super(message);
  }
}

@Catch(XapiError)
export class XapiErrorFilter implements ExceptionFilter {
  catch(error: XapiError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response
      .status(error.status)
      .type('application/json')
      .json({
        errorId: randomUUID(),
        message: error.message,
        ...(error.warnings.length > 0 ? { warnings: error.warnings } : {}),
      });
  }
}

/** No or wrong credentials: 401 (as a problem, like every 401 of the api) with the Basic challenge LMS clients expect. */
export function xapiUnauthorized(detail: string): UnauthorizedException {
  return new UnauthorizedException({
    type: 'urn:tessera:problem:unauthenticated',
    title: 'Unauthorized',
    message: detail,
  });
}

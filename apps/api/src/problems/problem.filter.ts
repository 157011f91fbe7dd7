import { ConcurrencyConflict, describeClaim, IdempotencyKeyReused } from '@app/application';
import { DomainError, type DomainErrorKind } from '@app/domain';
import {
  EventStoreError,
  IdClaimedByAnotherStream,
  InvalidEvent,
  StoreUnavailable,
  StreamNotFound,
  translateConnectionError,
  WrongExpectedVersion,
} from '@app/event-store';
import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  HttpStatus,
  Inject,
  Logger,
  Optional,
} from '@nestjs/common';
import type { Request, Response } from 'express';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: Array<{ field?: string; message: string; code?: string }>;
}

const DOMAIN_STATUS: Record<DomainErrorKind, [number, string]> = {
  invalid: [400, 'Invalid input'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  conflict: [409, 'Conflict'],
  refused: [422, 'Refused by a domain rule'],
};

const STORE_STATUS: Array<[abstract new (...args: never[]) => EventStoreError, number, string]> = [
  [WrongExpectedVersion, 409, 'Concurrent change'],
  [StreamNotFound, 404, 'Not found'],
  [InvalidEvent, 400, 'Invalid input'],
  [StoreUnavailable, 503, 'Store unavailable'],
];

const titleOf = (status: number): string => HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error';

/**
 * The error form of routes whose standard names its own (OAuth 2.0, the OB 3.0 API's Imsx_StatusInfo). It answers
 * every error of those routes, those raised before their controller (body parsing, guards) included.
 */
export interface ErrorDialect {
  readonly matches: (path: string) => boolean;
  readonly send: (response: Response, problem: Problem, error: unknown) => void;
}
export const ERROR_DIALECTS = Symbol('ERROR_DIALECTS');

/** Every error leaves the API as application/problem+json with a stable type, but where a dialect answers it. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  constructor(@Optional() @Inject(ERROR_DIALECTS) private readonly dialects: readonly ErrorDialect[] = []) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const problem = { ...toProblem(error), instance: request.originalUrl };
    if (problem.status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    const response = http.getResponse<Response>();
    const dialect = this.dialects.find((candidate) => candidate.matches(request.path));
    if (dialect) dialect.send(response, problem, error);
    else response.status(problem.status).type('application/problem+json').json(problem);
  }
}

export function toProblem(thrown: unknown): Problem {
  // A lost database connection outside the event store (idempotency, profiles, read models) is the same 503.
  const error = translateConnectionError(thrown);
  if (error instanceof DomainError) {
    const [status, title] = DOMAIN_STATUS[error.kind];
    return {
      type: `urn:tessera:problem:${error.code}`,
      title,
      status,
      code: error.code,
      detail: error.detail,
      ...(error.issues.length
        ? {
            errors: error.issues.map((issue) => ({
              field: bodyPath(issue.path),
              message: issue.message,
              code: issue.code,
            })),
          }
        : {}),
    };
  }
  if (error instanceof IdempotencyKeyReused)
    // As the idempotency interceptor answers it where it claims keys itself.
    return {
      type: `urn:tessera:problem:${error.code}`,
      title: 'Idempotency-Key reused',
      status: 422,
      detail: error.message,
    };
  if (error instanceof ConcurrencyConflict)
    return {
      type: `urn:tessera:problem:${error.code}`,
      title: 'Concurrent change',
      status: 409,
      code: error.code,
      detail: error.message,
    };
  if (error instanceof IdClaimedByAnotherStream)
    // The holder's stream is not named: it is another learner's record.
    return {
      type: 'urn:tessera:problem:id-already-held',
      title: 'Id already held',
      status: 409,
      code: 'id-already-held',
      detail: `the ${describeClaim(error.id)} that this request gives is held by another record; nothing was written`,
    };
  if (error instanceof EventStoreError) {
    const [, status, title] = STORE_STATUS.find(([type]) => error instanceof type) ?? [undefined, 500, 'Store error'];
    return { type: `urn:tessera:problem:${error.code}`, title, status, code: error.code, detail: error.message };
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
    const detail = typeof response === 'string' ? response : (body.message as string | string[] | undefined);
    return {
      type: typeof body.type === 'string' ? body.type : `urn:tessera:problem:http-${status}`,
      title: typeof body.title === 'string' ? body.title : titleOf(status),
      status,
      detail: Array.isArray(detail) ? detail.join('; ') : detail,
      ...(Array.isArray(body.errors) ? { errors: body.errors as Problem['errors'] } : {}),
    };
  }
  const transport = error as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (
    typeof transport?.status === 'number' &&
    transport.status >= 400 &&
    transport.status < 500 &&
    transport.expose === true
  )
    // body-parser's errors: malformed JSON, a body over the limit, an unsupported charset or encoding.
    return {
      type: `urn:tessera:problem:${typeof transport.type === 'string' ? transport.type.replace(/\./g, '-') : `http-${transport.status}`}`,
      title: titleOf(transport.status),
      status: transport.status,
      detail: String(transport.message),
    };
  return {
    type: 'urn:tessera:problem:internal',
    title: 'Internal error',
    status: 500,
    detail: 'An unexpected error occurred',
  };
}

/**
 * A domain path as the request body spells it: commands carry a definition under `definition`, while the bodies of
 * the define and revise routes hold its fields at the top level.
 */
function bodyPath(path: string): string {
  return path.replace(/^definition\./, '');
}

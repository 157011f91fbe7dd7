import {
  EventStoreError,
  InvalidEvent,
  StoreUnavailable,
  StreamNotFound,
  WrongExpectedVersion,
} from '@app/event-store';
import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';

/** An RFC 9457 problem document. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field?: string; message: string }>;
}

const STORE_ERROR_STATUS: Array<[new (...args: never[]) => EventStoreError, number, string]> = [
  [WrongExpectedVersion, HttpStatus.CONFLICT, 'Concurrent change'],
  [StreamNotFound, HttpStatus.NOT_FOUND, 'Not found'],
  [InvalidEvent, HttpStatus.BAD_REQUEST, 'Invalid input'],
  [StoreUnavailable, HttpStatus.SERVICE_UNAVAILABLE, 'Store unavailable'],
];

/** Every error leaves the API as application/problem+json. */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problem');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const problem = this.toProblem(error);
    problem.instance = request.originalUrl;
    if (problem.status >= 500) this.logger.error(error instanceof Error ? error.stack : String(error));
    http.getResponse<Response>().status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(error: unknown): Problem {
    if (error instanceof EventStoreError) {
      const [, status, title] = STORE_ERROR_STATUS.find(([type]) => error instanceof type) ?? [
        undefined,
        500,
        'Store error',
      ];
      return { type: `urn:tessera:problem:${error.code}`, title, status, detail: error.message };
    }
    if (error instanceof HttpException) {
      const status = error.getStatus();
      const response = error.getResponse();
      const body = typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
      const detail = typeof response === 'string' ? response : (body.message as string | string[] | undefined);
      return {
        type: typeof body.type === 'string' ? body.type : `urn:tessera:problem:http-${status}`,
        title:
          typeof body.title === 'string'
            ? body.title
            : (HttpStatus[status]?.toString().replace(/_/g, ' ').toLowerCase() ?? 'error'),
        status,
        detail: Array.isArray(detail) ? detail.join('; ') : detail,
        ...(Array.isArray(body.errors) ? { errors: body.errors as Problem['errors'] } : {}),
      };
    }
    return {
      type: 'urn:tessera:problem:internal',
      title: 'Internal error',
      status: 500,
      detail: 'An unexpected error occurred',
    };
  }
}

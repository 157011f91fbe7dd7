import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request } from 'express';

const JSON_TYPE = /^application\/json\s*(;|$)/i;

/**
 * Bodies are JSON (DESIGN §6). A body of another type would reach the handlers unparsed, as no body at all,
 * and be refused as a validation error that misleads; it is refused here as 415 instead.
 */
@Injectable()
export class JsonBodyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody || JSON_TYPE.test(request.headers['content-type'] ?? '')) return true;
    throw new HttpException(
      {
        type: 'urn:tessera:problem:unsupported-media-type',
        title: 'Unsupported media type',
        message: `request bodies must be application/json (got ${request.headers['content-type'] ?? 'no Content-Type'})`,
      },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
}

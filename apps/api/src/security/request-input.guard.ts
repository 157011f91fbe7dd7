import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const BODY_TYPES = 'tessera:body-types';

/** A route that takes bodies of these media types too (OAuth forms, a compact JWS as text), beside JSON. */
export const AcceptsBodyOf = (...types: RegExp[]) => SetMetadata(BODY_TYPES, types);
/** Deeper bodies overflow the stack of the validation pipe (a 500); the deepest real one, a pathway rule, is far less. */
const MAX_DEPTH = 64;
/**
 * Keys that reach an object's prototype when code copies input (prototype poisoning); the validation pipe's whitelist
 * does not see them as unknown fields, so they are refused here.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** With the `u` flag a surrogate range matches only unpaired surrogates: paired ones are read as one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const unstorable = (text: string) => LONE_SURROGATE.test(text) || text.includes('\u0000');

/**
 * Bodies are JSON (DESIGN §6). A body of another type would reach the handlers unparsed, as no body at all, and be
 * refused as a misleading validation error: it is refused here as 415. A JSON body whose text PostgreSQL cannot store
 * (a lone UTF-16 surrogate or NUL, both valid JSON escapes), or such a path or query parameter, would fail deep in a
 * query as a 500, a body nested thousands deep would overflow the validation pipe's stack, and `__proto__` / `constructor` /
 * `prototype` keys slip past its whitelist: all are refused as 400,
 * before the body's type is looked at.
 */
@Injectable()
export class RequestInputGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const found =
      unfitInput(request.params, 'path.') ?? unfitInput(request.query, 'query.') ?? unfitInput(request.body);
    if (found !== undefined)
      throw new BadRequestException({
        type: `urn:tessera:problem:${found.code}`,
        title: 'Invalid input',
        message: found.message,
        errors: [{ field: found.field, message: found.message }],
      });
    const hasBody =
      Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined;
    if (!hasBody) return true;
    const accepted = [JSON_TYPE, ...(this.reflector.get<RegExp[] | undefined>(BODY_TYPES, context.getHandler()) ?? [])];
    if (!accepted.some((type) => type.test(request.headers['content-type'] ?? '')))
      throw new HttpException(
        {
          type: 'urn:tessera:problem:unsupported-media-type',
          title: 'Unsupported media type',
          message: `request bodies must be application/json (got ${request.headers['content-type'] ?? 'no Content-Type'})`,
        },
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
      );
    return true;
  }
}

interface UnfitInput {
  readonly code: 'invalid-text' | 'too-deep' | 'forbidden-key';
  readonly field: string;
  readonly message: string;
}

/** The first key or string that is not well-formed Unicode or holds NUL, or the first value nested too deep. */
function unfitInput(value: unknown, prefix = ''): UnfitInput | undefined {
  // An explicit stack, not recursion: the input may be nested deeper than the call stack allows
  const pending: Array<[unknown, string, number]> = [[value, '', 0]];
  const badText = (field: string): UnfitInput => ({
    code: 'invalid-text',
    field: `${prefix}${field}`,
    message: 'text must be well-formed Unicode without NUL characters',
  });
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path, depth] = next;
    if (typeof item === 'string' && unstorable(item)) return badText(path);
    if (typeof item !== 'object' || item === null) continue;
    if (depth >= MAX_DEPTH)
      return { code: 'too-deep', field: `${prefix}${path}`, message: `input may be nested at most ${MAX_DEPTH} deep` };
    for (const [key, child] of Object.entries(item)) {
      const childPath = path ? `${path}.${key}` : key;
      if (unstorable(key)) return badText(childPath);
      if (PROTOTYPE_KEYS.has(key))
        return {
          code: 'forbidden-key',
          field: `${prefix}${childPath}`,
          message: `${key} is not a field of any request`,
        };
      pending.push([child, childPath, depth + 1]);
    }
  }
  return undefined;
}

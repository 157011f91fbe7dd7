import { HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import { ImsxError } from './imsx';

/** The OB 3.0 getCredentials query: limit (≥ 1), offset (≥ 0, zero-indexed), since (a date-time). */
export interface CredentialQuery {
  readonly limit?: number;
  readonly offset: number;
  readonly since?: Date;
}

const badQuery = (description: string) => new ImsxError(HttpStatus.BAD_REQUEST, description, 'invalid_query_parameter');

const integer = (value: unknown, name: string, min: number): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value) || Number(value) < min)
    throw badQuery(`${name} must be an integer of at least ${min}`);
  return Number(value);
};

export function credentialQuery(query: Record<string, unknown>): CredentialQuery {
  const limit = integer(query.limit, 'limit', 1);
  const offset = integer(query.offset, 'offset', 0) ?? 0;
  const since = query.since;
  if (since !== undefined && (typeof since !== 'string' || Number.isNaN(Date.parse(since))))
    throw badQuery('since must be an ISO 8601 date-time');
  return {
    ...(limit === undefined ? {} : { limit }),
    offset,
    ...(since === undefined ? {} : { since: new Date(since) }),
  };
}

/** The page of `all` the query asks for, with `X-Total-Count` and `Link` set on the response. */
export function sendPage<T>(response: Response, url: URL, query: CredentialQuery, all: readonly T[]): T[] {
  response.set('X-Total-Count', String(all.length));
  const links = pageLinks(url, query, all.length);
  if (links) response.set('Link', links);
  return all.slice(query.offset, query.limit === undefined ? undefined : query.offset + query.limit);
}

/**
 * RFC 8288 Link header of a page: first, prev, next and last, each the same URL with its own offset (only when the
 * caller pages with a limit).
 */
function pageLinks(url: URL, query: CredentialQuery, total: number): string | undefined {
  if (query.limit === undefined) return undefined;
  const { limit, offset } = query;
  const at = (pageOffset: number) => {
    const link = new URL(url);
    link.searchParams.set('limit', String(limit));
    link.searchParams.set('offset', String(pageOffset));
    return link.toString();
  };
  const last = total === 0 ? 0 : Math.floor((total - 1) / limit) * limit;
  const links: Array<[string, number]> = [['first', 0]];
  if (offset > 0) links.push(['prev', Math.max(0, offset - limit)]);
  if (offset + limit < total) links.push(['next', offset + limit]);
  links.push(['last', last]);
  return links.map(([rel, pageOffset]) => `<${at(pageOffset)}>; rel="${rel}"`).join(', ');
}

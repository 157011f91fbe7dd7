import { DomainError } from './domain-error';
import { isId, isSlug } from './ids';

/**
 * Stream names. Ids never contain `~` (see ids.ts), so `record-{learnerId}~{achievementId}` splits one way only, even
 * when both ids contain hyphens (UUIDs do).
 */
export const STREAM_PREFIX = {
  issuer: 'issuer-',
  achievement: 'achievement-',
  record: 'record-',
  learner: 'learner-',
  pathway: 'pathway-',
  qualification: 'qualification-',
  xapi: 'xapi-',
} as const;
export const RECORD_SEPARATOR = '~';

function check(valid: boolean, what: string, id: unknown, field: string): void {
  if (!valid) {
    const message = `${JSON.stringify(id)} is not a valid ${what}`;
    throw new DomainError('invalid-id', message, [{ path: field, code: 'invalid-id', message }]);
  }
}

export function issuerStream(issuerId: string): string {
  check(isSlug(issuerId), 'issuer id (a lower-case slug)', issuerId, 'issuerId');
  return `${STREAM_PREFIX.issuer}${issuerId}`;
}

/** An issuer's xAPI clients and evidence mappings: `xapi-{issuerId}`. */
export function xapiStream(issuerId: string): string {
  check(isSlug(issuerId), 'issuer id (a lower-case slug)', issuerId, 'issuerId');
  return `${STREAM_PREFIX.xapi}${issuerId}`;
}

export function achievementStream(achievementId: string): string {
  check(isId(achievementId), 'achievement id', achievementId, 'achievementId');
  return `${STREAM_PREFIX.achievement}${achievementId}`;
}

/** A learner's own stream: what happened to their profile (never the personal data itself). */
export function learnerStream(learnerId: string): string {
  check(isId(learnerId), 'learner id', learnerId, 'learnerId');
  return `${STREAM_PREFIX.learner}${learnerId}`;
}

export function recordStream(learnerId: string, achievementId: string): string {
  check(isId(learnerId), 'learner id', learnerId, 'learnerId');
  check(isId(achievementId), 'achievement id', achievementId, 'achievementId');
  return `${STREAM_PREFIX.record}${learnerId}${RECORD_SEPARATOR}${achievementId}`;
}

/** The ids a record stream is named after, or undefined for any other name. */
export function parseRecordStream(stream: string): { learnerId: string; achievementId: string } | undefined {
  if (!stream.startsWith(STREAM_PREFIX.record)) return undefined;
  const parts = stream.slice(STREAM_PREFIX.record.length).split(RECORD_SEPARATOR);
  if (parts.length !== 2 || !isId(parts[0]) || !isId(parts[1])) return undefined;
  return { learnerId: parts[0], achievementId: parts[1] };
}

export function pathwayStream(pathwayId: string): string {
  check(isId(pathwayId), 'pathway id', pathwayId, 'pathwayId');
  return `${STREAM_PREFIX.pathway}${pathwayId}`;
}

/** One learner's qualifications from one pathway: `qualification-{learnerId}~{pathwayId}`. */
export function qualificationStream(learnerId: string, pathwayId: string): string {
  check(isId(learnerId), 'learner id', learnerId, 'learnerId');
  check(isId(pathwayId), 'pathway id', pathwayId, 'pathwayId');
  return `${STREAM_PREFIX.qualification}${learnerId}${RECORD_SEPARATOR}${pathwayId}`;
}

/** The ids a qualification stream is named after, or undefined for any other name. */
export function parseQualificationStream(stream: string): { learnerId: string; pathwayId: string } | undefined {
  if (!stream.startsWith(STREAM_PREFIX.qualification)) return undefined;
  const parts = stream.slice(STREAM_PREFIX.qualification.length).split(RECORD_SEPARATOR);
  if (parts.length !== 2 || !isId(parts[0]) || !isId(parts[1])) return undefined;
  return { learnerId: parts[0], pathwayId: parts[1] };
}

import { isCountryCode } from './country-codes';
import { DomainError, type DomainErrorCode, type ValidationIssue } from './domain-error';
import { isId, isSlug } from './ids';
import { compareInstants, normaliseInstant } from './instant';
import { isDuration, isPositiveDuration } from './iso-duration';

const URL_PATTERN = /^https?:\/\/[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?(?:[/?#]\S*)?$/;
const SHA256_PATTERN = /^[0-9a-fA-F]{64}$/;
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be refused
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const SHORT_TEXT = 500;
export const LONG_TEXT = 10_000;

/**
 * Checks a command's fields, collecting every problem, and returns the values as events keep them (trimmed text,
 * canonical instants). `done()` throws one DomainError whose code is the first problem's and whose `issues` list all.
 * Values returned for a field with a problem are placeholders: call `done()` before using them.
 */
export class Validation {
  private readonly issues: ValidationIssue[] = [];

  problem(path: string, code: DomainErrorCode, message: string): void {
    this.issues.push({ path, code, message });
  }

  done(): void {
    if (this.issues.length === 0) return;
    const detail = this.issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
    throw new DomainError(this.issues[0].code, detail, [...this.issues]);
  }

  text(path: string, value: unknown, max = SHORT_TEXT): string {
    if (typeof value !== 'string' || value.trim().length === 0) {
      this.problem(path, 'invalid-field', 'must be a non-empty string');
      return '';
    }
    const text = value.trim();
    if (text.length > max) this.problem(path, 'invalid-field', `must have at most ${max} characters`);
    else if (UNSTORABLE.test(text)) this.problem(path, 'invalid-field', 'contains a NUL or an unpaired surrogate');
    return text;
  }

  optionalText(path: string, value: unknown, max = SHORT_TEXT): string | undefined {
    return value === undefined ? undefined : this.text(path, value, max);
  }

  id(path: string, value: unknown): string {
    if (!isId(value)) this.problem(path, 'invalid-id', 'must be 1–64 letters, digits, ".", "_", ":" or inner "-"');
    return typeof value === 'string' ? value : '';
  }

  slug(path: string, value: unknown): string {
    if (!isSlug(value)) this.problem(path, 'invalid-id', 'must be a lower-case slug (a-z, 0-9, inner "-")');
    return typeof value === 'string' ? value : '';
  }

  /** A list of ids, each once; at least `min` of them. */
  ids(path: string, value: unknown, min = 0): string[] {
    const items = this.list(path, value, min);
    const ids = items.map((item, index) => this.id(`${path}[${index}]`, item));
    this.unique(path, ids);
    return ids;
  }

  unique(path: string, values: readonly string[]): void {
    const duplicate = values.find((value, index) => values.indexOf(value) !== index);
    if (duplicate !== undefined) this.problem(path, 'duplicate-entry', `names ${duplicate} more than once`);
  }

  list(path: string, value: unknown, min = 0): unknown[] {
    if (!Array.isArray(value)) {
      this.problem(path, 'invalid-field', 'must be a list');
      return [];
    }
    if (value.length < min)
      this.problem(path, 'invalid-field', `must have at least ${min} item${min === 1 ? '' : 's'}`);
    return value;
  }

  object(path: string, value: unknown): { [key: string]: unknown } {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.problem(path, 'invalid-field', 'must be an object');
      return {};
    }
    return value as { [key: string]: unknown };
  }

  instant(path: string, value: unknown): string {
    const instant = normaliseInstant(value);
    if (instant === undefined) this.problem(path, 'invalid-instant', 'must be an ISO 8601 instant with a time zone');
    return instant ?? '';
  }

  optionalInstant(path: string, value: unknown): string | undefined {
    return value === undefined ? undefined : this.instant(path, value);
  }

  /** When something happened, which may lie before it is recorded (`now`) but never after. */
  pastInstant(path: string, value: unknown, now: string): string {
    const instant = this.instant(path, value);
    if (instant !== '' && now !== '' && compareInstants(instant, now) > 0)
      this.problem(path, 'instant-in-future', `is after now (${now})`);
    return instant;
  }

  optionalPastInstant(path: string, value: unknown, now: string): string | undefined {
    return value === undefined ? undefined : this.pastInstant(path, value, now);
  }

  url(path: string, value: unknown): string {
    if (typeof value !== 'string' || value.length > 2048 || !URL_PATTERN.test(value))
      this.problem(path, 'invalid-url', 'must be an http(s) URL');
    return typeof value === 'string' ? value : '';
  }

  optionalUrl(path: string, value: unknown): string | undefined {
    return value === undefined ? undefined : this.url(path, value);
  }

  /** ISO 3166-1 alpha-2, upper-cased. */
  country(path: string, value: unknown): string {
    const code = typeof value === 'string' ? value.toUpperCase() : '';
    if (!isCountryCode(code)) this.problem(path, 'invalid-country', 'must be an ISO 3166-1 alpha-2 country code');
    return code;
  }

  /** A SHA-256 digest in hex, lower-cased. */
  sha256(path: string, value: unknown): string {
    if (typeof value !== 'string' || !SHA256_PATTERN.test(value))
      this.problem(path, 'invalid-sha256', 'must be a SHA-256 digest: 64 hexadecimal digits');
    return typeof value === 'string' ? value.toLowerCase() : '';
  }

  /** A positive ISO 8601 duration. */
  duration(path: string, value: unknown): string {
    if (!isDuration(value)) this.problem(path, 'invalid-duration', 'must be an ISO 8601 duration such as P1Y or P6M');
    else if (!isPositiveDuration(value)) this.problem(path, 'invalid-duration', 'must be longer than zero');
    return typeof value === 'string' ? value : '';
  }

  positiveNumber(path: string, value: unknown, max = 1_000_000): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max)
      this.problem(path, 'invalid-field', `must be a number above 0 and at most ${max}`);
    return typeof value === 'number' ? value : 0;
  }

  integer(path: string, value: unknown, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      this.problem(path, 'invalid-field', `must be a whole number from ${min} to ${max}`);
    return typeof value === 'number' ? value : 0;
  }

  boolean(path: string, value: unknown): boolean {
    if (typeof value !== 'boolean') this.problem(path, 'invalid-field', 'must be true or false');
    return value === true;
  }

  oneOf<T extends string>(path: string, value: unknown, options: readonly T[]): T {
    if (!options.includes(value as T)) this.problem(path, 'invalid-field', `must be one of ${options.join(', ')}`);
    return value as T;
  }
}

/** Checks a command's metadata; returns `now` in canonical form. */
export function checkMetadata(v: Validation, metadata: { now: unknown; actor: { sub: unknown } }): string {
  v.text('metadata.actor.sub', metadata.actor.sub);
  return v.instant('metadata.now', metadata.now);
}

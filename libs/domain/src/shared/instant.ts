import { civilFromDays, daysFromCivil, daysInMonth } from './calendar';

/**
 * ISO 8601 / RFC 3339 instants. Accepted: `YYYY-MM-DDTHH:MM[:SS[.fff…]]` with `Z` or a `±HH:MM` offset, years
 * 0001–9999. Kept in events in one canonical form, UTC with milliseconds (`2026-03-01T09:30:00.000Z`); digits beyond
 * the millisecond are dropped. Canonical instants compare correctly as strings, but use `compareInstants` anyway.
 */
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?([Zz]|[+-]\d{2}:\d{2})$/;

export const MS_PER_DAY = 86_400_000;
const MIN_MS = daysFromCivil({ year: 1, month: 1, day: 1 }) * MS_PER_DAY;
const MAX_MS = (daysFromCivil({ year: 9999, month: 12, day: 31 }) + 1) * MS_PER_DAY - 1;

/** Milliseconds since the Unix epoch, or undefined when the text is not an instant. */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', zone] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const [offsetHours, offsetMins] = zone.slice(1).split(':').map(Number);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const ms =
    daysFromCivil({ year, month, day }) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    millis;
  return ms >= MIN_MS && ms <= MAX_MS ? ms : undefined;
}

export const isInstant = (text: unknown): text is string => parseInstant(text) !== undefined;

const pad = (value: number, width: number): string => String(value).padStart(width, '0');

/** The canonical form of milliseconds since the epoch; undefined outside years 0001–9999. */
export function formatInstant(ms: number): string | undefined {
  if (!Number.isSafeInteger(ms) || ms < MIN_MS || ms > MAX_MS) return undefined;
  const days = Math.floor(ms / MS_PER_DAY);
  const { year, month, day } = civilFromDays(days);
  let rest = ms - days * MS_PER_DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(millis, 3)}Z`;
}

/** The canonical form of an instant, or undefined when the text is not one. */
export function normaliseInstant(text: unknown): string | undefined {
  const ms = parseInstant(text);
  return ms === undefined ? undefined : formatInstant(ms);
}

/** Negative when a is before b, 0 when equal, positive when after. Both must be instants. */
export function compareInstants(a: string, b: string): number {
  const [left, right] = [parseInstant(a), parseInstant(b)];
  if (left === undefined || right === undefined) throw new RangeError(`Not an instant: ${left === undefined ? a : b}`);
  return left - right;
}

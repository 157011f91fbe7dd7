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

/**
 * Instants parsed lately, by text: a command's own `now` and the instants of a bulk import's rows repeat, row after
 * row, and parsing is a pure function of the text. Emptied when full.
 */
const parsed = new Map<string, number | undefined>();
const MAX_PARSED = 1024;
/** Canonical forms given lately, by text, likewise. */
const normalised = new Map<string, string>();

/** Milliseconds since the Unix epoch, or undefined when the text is not an instant. */
export function parseInstant(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const known = parsed.get(text);
  if (known !== undefined || parsed.has(text)) return known;
  const ms = parse(text);
  if (parsed.size >= MAX_PARSED) parsed.clear();
  parsed.set(text, ms);
  return ms;
}

function parse(text: string): number | undefined {
  const match = INSTANT.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const fraction = match[7] ?? '';
  const zone = match[8];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
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
  if (typeof text === 'string') {
    const known = normalised.get(text);
    if (known !== undefined) return known;
  }
  const ms = parseInstant(text);
  const canonical = ms === undefined ? undefined : formatInstant(ms);
  if (canonical !== undefined) {
    if (normalised.size >= MAX_PARSED) normalised.clear();
    normalised.set(text as string, canonical);
  }
  return canonical;
}

/** Negative when a is before b, 0 when equal, positive when after. Both must be instants. */
export function compareInstants(a: string, b: string): number {
  const [left, right] = [parseInstant(a), parseInstant(b)];
  if (left === undefined || right === undefined) throw new RangeError(`Not an instant: ${left === undefined ? a : b}`);
  return left - right;
}

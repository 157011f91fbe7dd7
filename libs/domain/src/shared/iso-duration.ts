import { civilFromDays, daysFromCivil, daysInMonth } from './calendar';
import { DomainError } from './domain-error';
import { formatInstant, MS_PER_DAY, parseInstant } from './instant';

/**
 * ISO 8601 durations `PnYnMnWnDTnHnMnS` (non-negative whole numbers, up to six digits each; seconds may have up to
 * three decimals). Weeks may be combined with the other units, as ISO 8601-2 and Temporal allow. `P` alone and a
 * `T` with nothing after it are not durations.
 */
export type IsoDuration = {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  /** With up to millisecond precision. */
  seconds: number;
};

const DURATION =
  /^P(?:(\d{1,6})Y)?(?:(\d{1,6})M)?(?:(\d{1,6})W)?(?:(\d{1,6})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,6})M)?(?:(\d{1,6}(?:[.,]\d{1,3})?)S)?)?$/;

export function parseDuration(text: unknown): IsoDuration | undefined {
  if (typeof text !== 'string') return undefined;
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const [years, months, weeks, days, hours, minutes, seconds] = match
    .slice(1)
    .map((part) => (part === undefined ? 0 : Number(part.replace(',', '.'))));
  return { years, months, weeks, days, hours, minutes, seconds };
}

export const isDuration = (text: unknown): text is string => parseDuration(text) !== undefined;

/** True for a duration longer than zero. */
export function isPositiveDuration(text: unknown): text is string {
  const duration = parseDuration(text);
  return duration !== undefined && Object.values(duration).some((value) => value > 0);
}

/**
 * The instant a duration after another, in the canonical instant form. Calendar arithmetic on the UTC date, as ISO
 * 8601, XML Schema and Temporal do it: years and months first, the day clamped to the end of a shorter month
 * (2026-01-31 + P1M = 2026-02-28, 2024-02-29 + P1Y = 2025-02-28), then weeks and days, then hours, minutes, seconds.
 */
export function addDuration(instant: string, duration: string | IsoDuration): string {
  const start = parseInstant(instant);
  if (start === undefined)
    throw new DomainError('invalid-instant', `${JSON.stringify(instant)} is not an ISO 8601 instant`);
  const parts = typeof duration === 'string' ? parseDuration(duration) : duration;
  if (parts === undefined)
    throw new DomainError('invalid-duration', `${JSON.stringify(duration)} is not an ISO 8601 duration`);

  const startDays = Math.floor(start / MS_PER_DAY);
  const timeOfDay = start - startDays * MS_PER_DAY;
  const date = civilFromDays(startDays);
  const monthIndex = date.year * 12 + (date.month - 1) + parts.years * 12 + parts.months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(date.day, daysInMonth(year, month));
  const days = daysFromCivil({ year, month, day }) + parts.weeks * 7 + parts.days;
  const ms =
    days * MS_PER_DAY + timeOfDay + (parts.hours * 3600 + parts.minutes * 60) * 1000 + Math.round(parts.seconds * 1000);
  const end = formatInstant(ms);
  if (end === undefined)
    throw new DomainError('invalid-duration', `${instant} plus the duration is after the year 9999`);
  return end;
}

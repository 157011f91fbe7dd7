import { civilFromDays, daysFromCivil, daysInMonth, isLeapYear } from './calendar';
import { compareInstants, formatInstant, isInstant, normaliseInstant, parseInstant } from './instant';

describe('instants', () => {
  it.each([
    ['2026-03-01T09:30:00.000Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30:00Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T09:30Z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01t09:30:00z', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T10:30:00+01:00', '2026-03-01T09:30:00.000Z'],
    ['2026-03-01T00:30:00+01:00', '2026-02-28T23:30:00.000Z'],
    ['2024-02-29T23:00:00-05:00', '2024-03-01T04:00:00.000Z'],
    ['2026-03-01T09:30:00.5Z', '2026-03-01T09:30:00.500Z'],
    ['2026-03-01T09:30:00.123456789Z', '2026-03-01T09:30:00.123Z'],
    ['2026-03-01T09:30:00,25Z', '2026-03-01T09:30:00.250Z'],
    ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
    ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
  ])('reads %s as %s', (text, canonical) => {
    expect(normaliseInstant(text)).toBe(canonical);
  });

  it.each([
    '2026-03-01',
    '2026-03-01T09:30:00',
    '2026-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T09:60:00Z',
    '2026-03-01T09:30:60Z',
    '2026-03-01T09:30:00+25:00',
    '0000-01-01T00:00:00Z',
    '0001-01-01T00:30:00+01:00',
    ' 2026-03-01T09:30:00Z',
    'yesterday',
  ])('refuses %j', (text) => {
    expect(isInstant(text)).toBe(false);
  });

  it('agrees with Date on the epoch milliseconds', () => {
    for (const text of [
      '1970-01-01T00:00:00Z',
      '2026-03-01T09:30:00.250Z',
      '1969-07-20T20:17:40Z',
      '2400-02-29T12:00:00Z',
    ])
      expect(parseInstant(text)).toBe(Date.parse(text));
  });

  it('formats what it parses', () => {
    for (let ms = -62_000_000_000_000; ms < 250_000_000_000_000; ms += 1_234_567_890_123)
      expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
  });

  it('compares instants across offsets', () => {
    expect(compareInstants('2026-03-01T10:00:00+01:00', '2026-03-01T09:00:00Z')).toBe(0);
    expect(compareInstants('2026-03-01T09:00:00Z', '2026-03-01T09:00:00.001Z')).toBeLessThan(0);
    expect(() => compareInstants('x', '2026-03-01T09:00:00Z')).toThrow(RangeError);
  });
});

describe('calendar', () => {
  it('knows leap years', () => {
    expect([1900, 2000, 2024, 2026, 2100, 2400].map(isLeapYear)).toEqual([false, true, true, false, false, true]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2026, 2)).toBe(28);
    expect(daysInMonth(2026, 4)).toBe(30);
  });

  it('round-trips days and dates and agrees with Date.UTC', () => {
    for (let days = -800_000; days < 3_000_000; days += 997) {
      const date = civilFromDays(days);
      expect(daysFromCivil(date)).toBe(days);
      if (date.year >= 100) expect(Date.UTC(date.year, date.month - 1, date.day)).toBe(days * 86_400_000);
    }
  });
});

import { DomainError } from './domain-error';
import { addDuration, isPositiveDuration, parseDuration } from './iso-duration';

const zero = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

describe('parseDuration', () => {
  it.each([
    ['P1Y', { ...zero, years: 1 }],
    ['P6M', { ...zero, months: 6 }],
    ['P2W', { ...zero, weeks: 2 }],
    ['P10D', { ...zero, days: 10 }],
    ['PT36H', { ...zero, hours: 36 }],
    ['PT90M', { ...zero, minutes: 90 }],
    ['PT1.5S', { ...zero, seconds: 1.5 }],
    ['PT0,25S', { ...zero, seconds: 0.25 }],
    ['P1Y2M3W4DT5H6M7S', { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7 }],
    ['P0D', zero],
  ])('reads %s', (text, expected) => {
    expect(parseDuration(text)).toEqual(expected);
  });

  it.each([
    '',
    'P',
    'PT',
    'P1YT',
    '1Y',
    'P-1Y',
    'P1.5Y',
    'P1M1Y',
    'PT1H1D',
    'P1DT',
    'p1y',
    'P1234567Y',
    'PT1.2345S',
    'P 1Y',
  ])('refuses %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('refuses what is not a string', () => {
    expect(parseDuration(12)).toBeUndefined();
  });

  it('tells a positive duration from a zero one', () => {
    expect(isPositiveDuration('P1D')).toBe(true);
    expect(isPositiveDuration('PT0.001S')).toBe(true);
    expect(isPositiveDuration('P0Y0M')).toBe(false);
    expect(isPositiveDuration('nope')).toBe(false);
  });
});

describe('addDuration', () => {
  it.each([
    ['2026-03-10T14:00:00.000Z', 'P2Y', '2028-03-10T14:00:00.000Z'],
    ['2026-03-10T14:00:00.000Z', 'P1M', '2026-04-10T14:00:00.000Z'],
    ['2026-11-15T00:00:00.000Z', 'P3M', '2027-02-15T00:00:00.000Z'],
    ['2026-03-10T14:00:00.000Z', 'P2W', '2026-03-24T14:00:00.000Z'],
    ['2026-12-25T00:00:00.000Z', 'P10D', '2027-01-04T00:00:00.000Z'],
    ['2026-03-10T23:30:00.000Z', 'PT1H', '2026-03-11T00:30:00.000Z'],
    ['2026-03-10T14:00:00.000Z', 'PT90M', '2026-03-10T15:30:00.000Z'],
    ['2026-03-10T14:00:00.000Z', 'PT1.5S', '2026-03-10T14:00:01.500Z'],
    ['2026-03-10T14:00:00.000Z', 'P0D', '2026-03-10T14:00:00.000Z'],
    ['2026-03-10T14:00:00.000Z', 'P1Y2M3W4DT5H6M7S', '2027-06-04T19:06:07.000Z'],
    ['2026-03-10T14:00:00.000Z', 'P18M', '2027-09-10T14:00:00.000Z'],
    ['2026-03-10T14:00:00.000Z', 'P12M', '2027-03-10T14:00:00.000Z'],
  ])('%s + %s = %s', (start, duration, end) => {
    expect(addDuration(start, duration)).toBe(end);
  });

  describe('clamps the day to the end of a shorter month', () => {
    it.each([
      ['2026-01-31T00:00:00.000Z', 'P1M', '2026-02-28T00:00:00.000Z'],
      ['2026-01-31T09:15:00.000Z', 'P1M', '2026-02-28T09:15:00.000Z'],
      ['2026-03-31T00:00:00.000Z', 'P1M', '2026-04-30T00:00:00.000Z'],
      ['2026-08-31T00:00:00.000Z', 'P1M', '2026-09-30T00:00:00.000Z'],
      ['2026-12-31T00:00:00.000Z', 'P2M', '2027-02-28T00:00:00.000Z'],
      ['2026-10-31T00:00:00.000Z', 'P4M', '2027-02-28T00:00:00.000Z'],
      ['2026-01-30T00:00:00.000Z', 'P1M', '2026-02-28T00:00:00.000Z'],
      ['2026-01-28T00:00:00.000Z', 'P1M', '2026-02-28T00:00:00.000Z'],
    ])('%s + %s = %s', (start, duration, end) => {
      expect(addDuration(start, duration)).toBe(end);
    });

    it('clamps before adding days: 2026-01-31 + P1M1D = 2026-03-01', () => {
      expect(addDuration('2026-01-31T00:00:00Z', 'P1M1D')).toBe('2026-03-01T00:00:00.000Z');
    });

    it('is not reversible month by month: 2026-01-31 + P1M + P1M = 2026-03-28, but + P2M = 2026-03-31', () => {
      expect(addDuration(addDuration('2026-01-31T00:00:00Z', 'P1M'), 'P1M')).toBe('2026-03-28T00:00:00.000Z');
      expect(addDuration('2026-01-31T00:00:00Z', 'P2M')).toBe('2026-03-31T00:00:00.000Z');
    });
  });

  describe('knows leap years', () => {
    it.each([
      ['2024-01-31T00:00:00.000Z', 'P1M', '2024-02-29T00:00:00.000Z'],
      ['2024-02-29T00:00:00.000Z', 'P1Y', '2025-02-28T00:00:00.000Z'],
      ['2024-02-29T00:00:00.000Z', 'P4Y', '2028-02-29T00:00:00.000Z'],
      ['2024-02-29T00:00:00.000Z', 'P12M', '2025-02-28T00:00:00.000Z'],
      ['2028-02-28T00:00:00.000Z', 'P1D', '2028-02-29T00:00:00.000Z'],
      ['2027-02-28T00:00:00.000Z', 'P1D', '2027-03-01T00:00:00.000Z'],
      ['2099-02-28T00:00:00.000Z', 'P1Y', '2100-02-28T00:00:00.000Z'],
      ['2100-02-28T00:00:00.000Z', 'P1D', '2100-03-01T00:00:00.000Z'],
      ['2000-02-28T00:00:00.000Z', 'P1D', '2000-02-29T00:00:00.000Z'],
      ['2096-02-29T00:00:00.000Z', 'P4Y', '2100-02-28T00:00:00.000Z'],
      ['2024-02-28T12:00:00.000Z', 'PT24H', '2024-02-29T12:00:00.000Z'],
      ['2024-01-01T00:00:00.000Z', 'P366D', '2025-01-01T00:00:00.000Z'],
      ['2026-01-01T00:00:00.000Z', 'P365D', '2027-01-01T00:00:00.000Z'],
    ])('%s + %s = %s', (start, duration, end) => {
      expect(addDuration(start, duration)).toBe(end);
    });
  });

  it('works on the UTC date of an instant given with an offset (2026-02-01T00:30+01:00 is 2026-01-31 in UTC)', () => {
    expect(addDuration('2026-02-01T00:30:00+01:00', 'P1M')).toBe('2026-02-28T23:30:00.000Z');
  });

  it('agrees with Date arithmetic on days, hours and seconds across many instants', () => {
    for (let i = 0; i < 500; i++) {
      const start = Date.UTC(1990, 0, 1) + i * 7_919_993_117;
      const startText = new Date(start).toISOString();
      const ms = ((((i % 40) * 24 + (i % 24)) * 60 + (i % 60)) * 60 + (i % 60)) * 1000;
      expect(addDuration(startText, `P${i % 40}DT${i % 24}H${i % 60}M${i % 60}S`)).toBe(
        new Date(start + ms).toISOString(),
      );
    }
  });

  it('refuses an instant or a duration it cannot read', () => {
    expect(() => addDuration('2026-02-30T00:00:00Z', 'P1D')).toThrow(DomainError);
    expect(() => addDuration('2026-01-01T00:00:00Z', 'P1')).toThrow(
      expect.objectContaining({ code: 'invalid-duration' }),
    );
  });

  it('refuses to go past the year 9999', () => {
    expect(() => addDuration('9999-06-01T00:00:00Z', 'P1Y')).toThrow(
      expect.objectContaining({ code: 'invalid-duration' }),
    );
    expect(addDuration('9999-06-01T00:00:00Z', 'P6M')).toBe('9999-12-01T00:00:00.000Z');
  });

  it('takes a parsed duration as well', () => {
    expect(addDuration('2026-01-31T00:00:00Z', { ...zero, months: 1 })).toBe('2026-02-28T00:00:00.000Z');
  });
});

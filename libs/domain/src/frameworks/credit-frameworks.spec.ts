import fc from 'fast-check';
import { isDomainError } from '../shared/domain-error';
import {
  CONVERSION_TABLE_VERSION,
  conversionStep,
  convertCredits,
  CREDIT_FRAMEWORK_IDS,
  CREDIT_FRAMEWORKS,
  creditFramework,
  isCreditFramework,
  notionalHours,
  roundCredits,
  toHundredths,
} from './credit-frameworks';

const thrown = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('did not throw');
};

describe('credit frameworks', () => {
  it('has the six units of FRAMEWORKS.md, each with its source and basis', () => {
    expect(CREDIT_FRAMEWORKS.map((row) => row.id)).toEqual(['ECTS', 'CATS', 'SCQF', 'NZQF', 'US-SCH', 'US-QCH']);
    for (const row of CREDIT_FRAMEWORKS) {
      expect(row.source.length).toBeGreaterThan(10);
      expect(['official', 'convention']).toContain(row.basis);
      expect(['official', 'convention']).toContain(row.hoursBasis);
    }
    expect(CONVERSION_TABLE_VERSION).toBe('2026-11-25');
  });

  it('makes a full-time year 60 ECTS in every unit', () => {
    for (const row of CREDIT_FRAMEWORKS) expect(row.creditsPerYear * row.ectsPerCredit).toBeCloseTo(60, 10);
  });

  it('keeps the ECTS hours range and converts hours at 30 h an ECTS credit', () => {
    expect(creditFramework('ECTS')).toMatchObject({ hoursPerCredit: 30, hoursRange: { min: 25, max: 30 } });
    expect(notionalHours(2, 'ECTS')).toBe(60); // the Commission's example credential: 2 ECTS = 60 hours
    expect(notionalHours(15, 'CATS')).toBe(150);
    expect(notionalHours(1, 'US-SCH')).toBe(45);
  });

  it('records which figures are official and which are conventions', () => {
    const basis = Object.fromEntries(CREDIT_FRAMEWORKS.map((row) => [row.id, [row.hoursBasis, row.basis]]));
    expect(basis).toEqual({
      ECTS: ['official', 'official'],
      CATS: ['official', 'official'],
      SCQF: ['official', 'convention'],
      NZQF: ['official', 'convention'],
      'US-SCH': ['official', 'convention'],
      'US-QCH': ['convention', 'convention'],
    });
  });

  it('knows its ids', () => {
    for (const id of CREDIT_FRAMEWORK_IDS) expect(isCreditFramework(id)).toBe(true);
    for (const id of ['AQF', 'EQF', 'ects', '', 'constructor', 42, undefined])
      expect(isCreditFramework(id)).toBe(false);
  });
});

describe('convertCredits', () => {
  it('converts 15 CATS into 7.5 ECTS, officially (QAA, 2 UK credits = 1 ECTS)', () => {
    const conversion = convertCredits(15, 'CATS', 'ECTS');
    expect(conversion).toMatchObject({
      from: 'CATS',
      to: 'ECTS',
      value: 15,
      result: 7.5,
      method: 'ects-ratio',
      basis: 'official',
      tableVersion: '2026-11-25',
    });
    expect(conversion.source).toContain('CATS: QAA Higher Education Credit Framework for England (2021)');
    expect(conversion.source).toContain("ECTS: ECTS Users' Guide 2015");
  });

  it('converts 30 ECTS into 60 CATS', () => {
    expect(convertCredits(30, 'ECTS', 'CATS')).toMatchObject({ result: 60, basis: 'official' });
  });

  it('flags every US conversion as a convention', () => {
    expect(convertCredits(3, 'US-SCH', 'ECTS')).toMatchObject({ result: 6, basis: 'convention' });
    expect(convertCredits(6, 'ECTS', 'US-SCH')).toMatchObject({ result: 3, basis: 'convention' });
    expect(convertCredits(3, 'US-QCH', 'US-SCH')).toMatchObject({ result: 2, basis: 'convention' });
    expect(convertCredits(3, 'US-QCH', 'ECTS')).toMatchObject({ result: 4, basis: 'convention' });
    expect(convertCredits(15, 'CATS', 'US-SCH')).toMatchObject({ result: 3.75, basis: 'convention' });
  });

  it('flags the SCQF and NZ ratios to ECTS as conventions', () => {
    expect(convertCredits(20, 'SCQF', 'ECTS')).toMatchObject({ result: 10, basis: 'convention' });
    expect(convertCredits(10, 'ECTS', 'NZQF')).toMatchObject({ result: 20, basis: 'convention' });
  });

  it('converts between the 10-hour units through the hours, officially', () => {
    expect(convertCredits(20, 'SCQF', 'CATS')).toMatchObject({ result: 20, method: 'hours', basis: 'official' });
    expect(convertCredits(15, 'NZQF', 'SCQF')).toMatchObject({ result: 15, method: 'hours', basis: 'official' });
    expect(convertCredits(15, 'NZQF', 'SCQF').source).toMatch(/^NZQF: .*; SCQF: /);
  });

  it('leaves an amount in its own framework as it is', () => {
    expect(convertCredits(7.5, 'ECTS', 'ECTS')).toMatchObject({ result: 7.5, method: 'identity', basis: 'official' });
  });

  it('rounds to 2 decimals, half up', () => {
    expect(convertCredits(1, 'US-QCH', 'ECTS').result).toBe(1.33);
    expect(convertCredits(2, 'US-QCH', 'ECTS').result).toBe(2.67);
    expect(convertCredits(0.285, 'ECTS', 'ECTS').result).toBe(0.29);
    expect(convertCredits(1.005, 'ECTS', 'ECTS').result).toBe(1.01);
    expect(roundCredits(0.125)).toBe(0.13);
  });

  it('refuses an unknown framework with unknown-framework (invalid)', () => {
    for (const [from, to] of [
      ['ECTS', 'AQF'],
      ['XYZ', 'ECTS'],
      ['constructor', 'ECTS'],
    ]) {
      const error = thrown(() => convertCredits(1, from, to));
      expect(isDomainError(error) && [error.code, error.kind]).toEqual(['unknown-framework', 'invalid']);
    }
  });

  it('refuses an amount that is not a finite number ≥ 0', () => {
    for (const value of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(isDomainError(thrown(() => convertCredits(value, 'ECTS', 'CATS')))).toBe(true);
  });

  it('gives the same figure by any route (through ECTS or directly), and round trips', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CREDIT_FRAMEWORK_IDS),
        fc.constantFrom(...CREDIT_FRAMEWORK_IDS),
        fc.integer({ min: 0, max: 100_000 }).map((hundredths) => hundredths / 100),
        (from, to, value) => {
          const direct = value * conversionStep(from, to).factor;
          const viaEcts = value * conversionStep(from, 'ECTS').factor * conversionStep('ECTS', to).factor;
          expect(direct).toBeCloseTo(viaEcts, 8);
          const back = convertCredits(value * conversionStep(from, to).factor, to, from).result;
          expect(back).toBeCloseTo(value, 8);
        },
      ),
    );
  });

  it('is official only when every row of the step is (no conversion at all is official)', () => {
    for (const from of CREDIT_FRAMEWORKS)
      for (const to of CREDIT_FRAMEWORKS) {
        const step = conversionStep(from.id, to.id);
        const rows = CREDIT_FRAMEWORKS.filter((row) => step.rows.includes(row.id));
        const official =
          step.method === 'identity' ||
          (step.method === 'ects-ratio'
            ? rows.every((row) => row.basis === 'official')
            : rows.every((row) => row.hoursBasis === 'official'));
        expect(step.basis).toBe(official ? 'official' : 'convention');
      }
  });
});

describe('toHundredths', () => {
  it('rounds as cutting to 12 significant digits first would, on its fast path too', () => {
    const reference = (value: number): number => Math.round(Number((value * 100).toPrecision(12)));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ min: 0, max: 100_000, noNaN: true }),
          fc.integer({ min: 0, max: 10_000_000 }).map((thousandths) => thousandths / 1000),
          fc.integer({ min: 0, max: 100_000 }).map((n) => (n / 200) * (4 / 3)),
        ),
        (value) => expect(toHundredths(value)).toBe(reference(value)),
      ),
      { numRuns: 20_000 },
    );
  });
});

import { DomainError } from '../shared/domain-error';

/**
 * Credit frameworks as data (shared/FRAMEWORKS.md, "Credit units"): one row per credit unit, every figure with its
 * source and whether it is official or a convention. Conversions go only through this versioned table; the original
 * amount is never overwritten, a conversion is a separate value that says how it was obtained.
 */
export const CONVERSION_TABLE_VERSION = '2026-11-25';

/** `official`: stated by the body that owns the framework (or by law); `convention`: a usual reading, not a rule. */
export type ConversionBasis = 'official' | 'convention';

export const CREDIT_FRAMEWORK_IDS = ['ECTS', 'CATS', 'SCQF', 'NZQF', 'US-SCH', 'US-QCH'] as const;
export type CreditFrameworkId = (typeof CREDIT_FRAMEWORK_IDS)[number];

export type CreditFramework = {
  id: CreditFrameworkId;
  name: string;
  /**
   * Notional learning hours behind one credit: the figure this table uses. Where the framework gives a range or a
   * minimum, `hoursRange` keeps it and `hoursPerCredit` is the value chosen inside it (see ECTS).
   */
  hoursPerCredit: number;
  hoursRange?: { min: number; max?: number };
  /** Whether the hours per credit are official (a fixed figure in the framework's own rules) or a convention. */
  hoursBasis: ConversionBasis;
  creditsPerYear: number;
  /** ECTS credits per credit of this framework (the "to ECTS" column). */
  ectsPerCredit: number;
  /** Whether `ectsPerCredit` is official or a convention: the basis of the step between this framework and ECTS. */
  basis: ConversionBasis;
  /** The citation, as FRAMEWORKS.md gives it. */
  source: string;
  note?: string;
};

/**
 * The rows. Two consistency checks hold for every row (and are tested): `creditsPerYear × ectsPerCredit = 60` (a
 * full-time year is 60 ECTS whatever the unit), and the hours rows (10 h a credit) all read 2 credits = 1 ECTS.
 * AQF (Australia) has no credit point — its volume of learning is counted in years — so it has no row here.
 */
export const CREDIT_FRAMEWORKS: readonly CreditFramework[] = [
  {
    id: 'ECTS',
    name: 'European Credit Transfer and Accumulation System',
    hoursPerCredit: 30,
    hoursRange: { min: 25, max: 30 },
    hoursBasis: 'official',
    creditsPerYear: 60,
    ectsPerCredit: 1,
    basis: 'official',
    source: "ECTS Users' Guide 2015 (1,500–1,800 h a year)",
    note:
      'Each country or institution fixes its value inside 25–30 h. This table takes 30 h: the Commission’s own ' +
      'example micro-credential states 2 ECTS = 60 hours, and the top of the range never turns given hours into ' +
      'more ECTS than an institution inside the range would grant.',
  },
  {
    id: 'CATS',
    name: 'UK credit (CATS; England, Wales, Northern Ireland)',
    hoursPerCredit: 10,
    hoursBasis: 'official',
    creditsPerYear: 120,
    ectsPerCredit: 0.5,
    basis: 'official',
    source:
      'QAA Higher Education Credit Framework for England (2021): 10 notional hours a credit; the 2:1 ECTS ratio is ' +
      'the usual reading of it',
  },
  {
    id: 'SCQF',
    name: 'SCQF credit point (Scotland)',
    hoursPerCredit: 10,
    hoursBasis: 'official',
    creditsPerYear: 120,
    ectsPerCredit: 0.5,
    basis: 'convention',
    source:
      'SCQF Partnership: 10 notional hours a credit point; the ECTS ratio is a convention consistent with the hours',
  },
  {
    id: 'NZQF',
    name: 'NZ credit (NZQCF)',
    hoursPerCredit: 10,
    hoursBasis: 'official',
    creditsPerYear: 120,
    ectsPerCredit: 0.5,
    basis: 'convention',
    source:
      'NZQA Qualification and Micro-credential Listing and Operational Rules 2022, r.3: 10 notional hours a credit; ' +
      'the ECTS ratio is a convention',
  },
  {
    id: 'US-SCH',
    name: 'US semester credit hour',
    hoursPerCredit: 45,
    hoursRange: { min: 45 },
    hoursBasis: 'official',
    creditsPerYear: 30,
    ectsPerCredit: 2,
    basis: 'convention',
    source:
      '34 CFR 600.2 (US federal definition: 1 h of class and 2 h outside it a week for ~15 weeks, at least 45 h); ' +
      'the ECTS ratio (≈ 2; 1.5–2 seen) is a convention',
  },
  {
    id: 'US-QCH',
    name: 'US quarter credit hour',
    hoursPerCredit: 30,
    hoursBasis: 'convention',
    creditsPerYear: 45,
    ectsPerCredit: 4 / 3,
    basis: 'convention',
    source: 'convention: ≈ 2/3 of a semester credit hour, ~45 a year, ≈ 1.33 ECTS',
  },
];

const BY_ID = new Map<string, CreditFramework>(CREDIT_FRAMEWORKS.map((row) => [row.id, row]));

export const isCreditFramework = (id: unknown): id is CreditFrameworkId => typeof id === 'string' && BY_ID.has(id);

/** The row of a credit framework; throws `unknown-framework` for any other id. */
export function creditFramework(id: string): CreditFramework {
  const row = BY_ID.get(id);
  if (row === undefined)
    throw new DomainError('unknown-framework', `${id} is not a credit framework (${CREDIT_FRAMEWORK_IDS.join(', ')})`);
  return row;
}

/**
 * How one framework converts into another:
 * - `identity` — the same framework;
 * - `hours` — both frameworks fix the same whole number of notional hours per credit officially (CATS, SCQF and NZQF,
 *   10 h): the conversion goes through the hours and is official;
 * - `ects-ratio` — otherwise through each framework's ratio to ECTS, official only when both ratios are.
 * The ECTS ratio is what FRAMEWORKS.md states between ECTS and every other unit: it is an equivalence of a full-time
 * year (60 ECTS = 120 UK credits = 30 US semester hours), not of clock hours (a UK year is 1,200 h, an ECTS year
 * 1,500–1,800 h), so going through ECTS hours would contradict the table's own ratios.
 */
export type ConversionMethod = 'identity' | 'hours' | 'ects-ratio';

export type ConversionStep = {
  from: CreditFrameworkId;
  to: CreditFrameworkId;
  /** Credits of `to` per credit of `from`, unrounded. */
  factor: number;
  method: ConversionMethod;
  basis: ConversionBasis;
  /** The rows used, each as `ID: citation`. */
  source: string;
  rows: CreditFrameworkId[];
};

function step(from: CreditFramework, to: CreditFramework): ConversionStep {
  const cite = (rows: CreditFramework[]): string => rows.map((row) => `${row.id}: ${row.source}`).join('; ');
  if (from.id === to.id)
    return {
      from: from.id,
      to: to.id,
      factor: 1,
      method: 'identity',
      basis: 'official',
      source: cite([from]),
      rows: [from.id],
    };
  const exactHours = (row: CreditFramework): boolean => row.hoursBasis === 'official' && row.hoursRange === undefined;
  if (exactHours(from) && exactHours(to))
    return {
      from: from.id,
      to: to.id,
      factor: from.hoursPerCredit / to.hoursPerCredit,
      method: 'hours',
      basis: 'official',
      source: cite([from, to]),
      rows: [from.id, to.id],
    };
  const rows = [from, to];
  return {
    from: from.id,
    to: to.id,
    factor: from.ectsPerCredit / to.ectsPerCredit,
    method: 'ects-ratio',
    basis: rows.every((row) => row.basis === 'official') ? 'official' : 'convention',
    source: cite(rows),
    rows: rows.map((row) => row.id),
  };
}

const STEPS = new Map<string, Map<string, ConversionStep>>(
  CREDIT_FRAMEWORKS.map((from) => [from.id, new Map(CREDIT_FRAMEWORKS.map((to) => [to.id, step(from, to)]))]),
);

/** The step from one framework to another; throws `unknown-framework` when either is not in the table. */
export function conversionStep(from: string, to: string): ConversionStep {
  const found = STEPS.get(from)?.get(to);
  return found ?? step(creditFramework(from), creditFramework(to));
}

/** The step, or undefined when either framework is not in the table (for hot paths that skip unknown units). */
export const findConversionStep = (from: string, to: string): ConversionStep | undefined => STEPS.get(from)?.get(to);

/**
 * Rounds to 2 decimals, half away from zero (credits are never negative, so half up). The product is first cut to 12
 * significant digits so binary noise (0.285 × 100 = 28.499999…) does not decide the rounding.
 */
export const roundCredits = (value: number): number => toHundredths(value) / 100;

/**
 * `value` in hundredths, rounded as `roundCredits` does: sums of these are exact and independent of their order.
 * Cutting to 12 significant digits moves a number by at most 5e-12 of it, so it can change the rounding only of a
 * product that close to a half: every other product is rounded directly (the cut is slow, and this runs per award).
 */
export function toHundredths(value: number): number {
  const scaled = value * 100;
  if (Math.abs(scaled - Math.floor(scaled) - 0.5) > Math.abs(scaled) * 1e-11) return Math.round(scaled);
  return Math.round(Number(scaled.toPrecision(12)));
}

export type CreditConversion = {
  from: CreditFrameworkId;
  to: CreditFrameworkId;
  /** The amount given, unchanged. */
  value: number;
  /** The amount in `to`, rounded to 2 decimals. */
  result: number;
  method: ConversionMethod;
  basis: ConversionBasis;
  source: string;
  tableVersion: string;
};

/**
 * Converts an amount of credit between frameworks through the table: `official` only when every row used is official
 * for the step taken, else `convention`. Throws `unknown-framework` for a framework not in the table and
 * `invalid-field` for an amount that is not a finite number ≥ 0.
 */
export function convertCredits(value: number, from: string, to: string): CreditConversion {
  const found = conversionStep(from, to);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new DomainError('invalid-field', `A credit amount must be a finite number ≥ 0, not ${String(value)}`);
  return {
    from: found.from,
    to: found.to,
    value,
    result: roundCredits(value * found.factor),
    method: found.method,
    basis: found.basis,
    source: found.source,
    tableVersion: CONVERSION_TABLE_VERSION,
  };
}

/** The notional learning hours behind an amount of credit, by the table's hours per credit (ECTS: 30 h). */
export function notionalHours(value: number, framework: string): number {
  return roundCredits(value * creditFramework(framework).hoursPerCredit);
}

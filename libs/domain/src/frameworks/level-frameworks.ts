import { DomainError } from '../shared/domain-error';
import type { ConversionBasis } from './credit-frameworks';

/**
 * Levels referenced through the EQF (shared/FRAMEWORKS.md, "Levels, referenced through EQF"; 8 levels, Council
 * Recommendation of 22 May 2017). One row per framework: for each EQF level, the framework's levels referenced to it —
 * a range such as SCQF 9–10 → EQF 6 lists each level — and the levels that have no EQF equivalent, with why.
 * Levels are numbers, except where a framework names them (RQF `Entry 3`, QF-EHEA cycles, US degree types).
 */
export type LevelKey = number | string;

export type LevelFramework = {
  id: string;
  name: string;
  basis: ConversionBasis;
  source: string;
  /** False where FRAMEWORKS.md says the referencing is not verified here (AQF): check before relying on it. */
  verified: boolean;
  note?: string;
  /** EQF level → this framework's levels referenced to it. */
  eqf: readonly { eqf: number; levels: readonly LevelKey[] }[];
  /** Levels of the framework with no EQF equivalent. */
  noEquivalent?: readonly { level: LevelKey; note: string }[];
};

const UK_2010 =
  'Historical: the UK referencings date from 2010 and the UK has left the EQF advisory group since, yet they are ' +
  'still used.';

export const LEVEL_FRAMEWORKS: readonly LevelFramework[] = [
  {
    id: 'EQF',
    name: 'European Qualifications Framework',
    basis: 'official',
    source: 'Council Recommendation of 22 May 2017 on the European Qualifications Framework',
    verified: true,
    eqf: [1, 2, 3, 4, 5, 6, 7, 8].map((level) => ({ eqf: level, levels: [level] })),
  },
  {
    id: 'RQF',
    name: 'Regulated Qualifications Framework (England, Northern Ireland)',
    basis: 'official',
    source: 'UK referencing of the RQF to the EQF (2010), as tabled in FRAMEWORKS.md',
    verified: true,
    note: UK_2010,
    eqf: [
      { eqf: 8, levels: [8] },
      { eqf: 7, levels: [7] },
      { eqf: 6, levels: [6] },
      { eqf: 5, levels: [4, 5] },
      { eqf: 4, levels: [3] },
      { eqf: 3, levels: [2] },
      { eqf: 2, levels: [1] },
      { eqf: 1, levels: ['Entry 3'] },
    ],
  },
  {
    id: 'SCQF',
    name: 'Scottish Credit and Qualifications Framework',
    basis: 'official',
    source: 'UK referencing of the SCQF to the EQF (2010), as tabled in FRAMEWORKS.md',
    verified: true,
    note: UK_2010,
    eqf: [
      { eqf: 8, levels: [12] },
      { eqf: 7, levels: [11] },
      { eqf: 6, levels: [9, 10] },
      { eqf: 5, levels: [7, 8] },
      { eqf: 4, levels: [6] },
      { eqf: 3, levels: [5] },
      { eqf: 2, levels: [4] },
      { eqf: 1, levels: [3] },
    ],
  },
  {
    id: 'NFQ',
    name: 'National Framework of Qualifications (Ireland)',
    basis: 'official',
    source: 'Irish referencing of the NFQ to the EQF, as tabled in FRAMEWORKS.md',
    verified: true,
    eqf: [
      { eqf: 8, levels: [10] },
      { eqf: 7, levels: [9] },
      { eqf: 6, levels: [7, 8] },
      { eqf: 5, levels: [6] },
      { eqf: 4, levels: [5] },
      { eqf: 3, levels: [4] },
      { eqf: 2, levels: [3] },
      { eqf: 1, levels: [1, 2] },
    ],
  },
  {
    id: 'NZQCF',
    name: 'New Zealand Qualifications and Credentials Framework',
    basis: 'official',
    source: 'EC–NZQA joint technical report (2016)',
    verified: true,
    eqf: [
      { eqf: 8, levels: [10] },
      { eqf: 7, levels: [9] },
      { eqf: 6, levels: [7] },
      { eqf: 5, levels: [5, 6] },
      { eqf: 4, levels: [3, 4] },
      { eqf: 3, levels: [2] },
      { eqf: 2, levels: [1] },
    ],
    noEquivalent: [
      {
        level: 8,
        note:
          'NZQCF level 8 (bachelor honours, postgraduate certificates and diplomas) has no EQF equivalent ' +
          '(EC–NZQA joint technical report, 2016)',
      },
    ],
  },
  {
    id: 'AQF',
    name: 'Australian Qualifications Framework',
    basis: 'official',
    source: 'AQF–EQF joint report (2016), as tabled in FRAMEWORKS.md — not verified here',
    verified: false,
    note: 'Unverified: the AQF column comes from the 2016 AQF–EQF joint report and is not verified; check before relying on it.',
    eqf: [
      { eqf: 8, levels: [10] },
      { eqf: 7, levels: [9] },
      { eqf: 6, levels: [7] },
      { eqf: 5, levels: [5, 6] },
      { eqf: 4, levels: [3, 4] },
      { eqf: 3, levels: [2] },
      { eqf: 2, levels: [1] },
    ],
    noEquivalent: [{ level: 8, note: 'AQF level 8 is not referenced to an EQF level in the table used here' }],
  },
  {
    id: 'QF-EHEA',
    name: 'Framework for Qualifications of the European Higher Education Area (Bologna cycles)',
    basis: 'official',
    source: 'QF-EHEA cycles and the EQF (Council Recommendation of 22 May 2017), as tabled in FRAMEWORKS.md',
    verified: true,
    note: 'A cycle is written as its EQF level (short 5, first 6, second 7, third 8) or by name.',
    eqf: [
      { eqf: 5, levels: [5, 'short'] },
      { eqf: 6, levels: [6, 'first'] },
      { eqf: 7, levels: [7, 'second'] },
      { eqf: 8, levels: [8, 'third'] },
    ],
  },
  {
    id: 'US',
    name: 'United States, by degree type',
    basis: 'convention',
    source: 'convention: the US has no national qualifications framework; mapped by degree type only',
    verified: true,
    eqf: [
      { eqf: 5, levels: ['associate'] },
      { eqf: 6, levels: ['bachelor'] },
      { eqf: 7, levels: ['master'] },
      { eqf: 8, levels: ['doctorate'] },
    ],
  },
];

/** A level referenced to the EQF. */
export type EqfReference = {
  framework: string;
  level: LevelKey;
  eqf: number;
  basis: ConversionBasis;
  source: string;
  verified: boolean;
  note?: string;
};

const BY_LEVEL = new Map<string, Map<LevelKey, EqfReference>>(
  LEVEL_FRAMEWORKS.map((row) => [
    row.id,
    new Map(
      row.eqf.flatMap(({ eqf, levels }) =>
        levels.map((level): [LevelKey, EqfReference] => [
          level,
          {
            framework: row.id,
            level,
            eqf,
            basis: row.basis,
            source: row.source,
            verified: row.verified,
            ...(row.note === undefined ? {} : { note: row.note }),
          },
        ]),
      ),
    ),
  ]),
);

export const LEVEL_FRAMEWORK_IDS: readonly string[] = LEVEL_FRAMEWORKS.map((row) => row.id);

export const isLevelFramework = (id: unknown): id is string => typeof id === 'string' && BY_LEVEL.has(id);

/**
 * A level's EQF equivalent, or undefined when the framework references it to none (NZQCF 8) or does not have it.
 * Throws `unknown-framework` for a framework not in the table.
 */
export function toEqf(framework: string, level: LevelKey): EqfReference | undefined {
  const levels = BY_LEVEL.get(framework);
  if (levels === undefined)
    throw new DomainError(
      'unknown-framework',
      `${framework} is not a level framework (${LEVEL_FRAMEWORK_IDS.join(', ')})`,
    );
  return levels.get(level);
}

/** The EQF level alone, or undefined for an unknown framework or a level without equivalent: never throws. */
export const eqfLevelOf = (framework: string, level: LevelKey): number | undefined =>
  BY_LEVEL.get(framework)?.get(level)?.eqf;

/** Why a level has no EQF equivalent, when the table says. */
export const noEquivalentNote = (framework: string, level: LevelKey): string | undefined =>
  LEVEL_FRAMEWORKS.find((row) => row.id === framework)?.noEquivalent?.find((gap) => gap.level === level)?.note;

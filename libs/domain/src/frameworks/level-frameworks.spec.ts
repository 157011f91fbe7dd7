import { isDomainError } from '../shared/domain-error';
import { eqfLevelOf, isLevelFramework, LEVEL_FRAMEWORKS, noEquivalentNote, toEqf } from './level-frameworks';

describe('level frameworks', () => {
  it('references the frameworks of FRAMEWORKS.md to the EQF', () => {
    expect(LEVEL_FRAMEWORKS.map((row) => row.id)).toEqual([
      'EQF',
      'RQF',
      'SCQF',
      'NFQ',
      'NZQCF',
      'AQF',
      'QF-EHEA',
      'US',
    ]);
    for (const row of LEVEL_FRAMEWORKS) {
      const eqfs = row.eqf.map((entry) => entry.eqf);
      expect(new Set(eqfs).size).toBe(eqfs.length);
      expect(eqfs.every((eqf) => eqf >= 1 && eqf <= 8)).toBe(true);
    }
  });

  it('maps each level of a range: SCQF 9 and 10 are EQF 6', () => {
    expect(toEqf('SCQF', 10)).toMatchObject({ eqf: 6, basis: 'official', verified: true });
    expect(toEqf('SCQF', 9)?.eqf).toBe(6);
    expect(toEqf('SCQF', 12)?.eqf).toBe(8);
    expect(toEqf('SCQF', 10)?.note).toMatch(/2010/);
  });

  it.each([
    ['RQF', 4, 5],
    ['RQF', 5, 5],
    ['RQF', 'Entry 3', 1],
    ['NFQ', 8, 6],
    ['NFQ', 1, 1],
    ['NFQ', 6, 5],
    ['NZQCF', 7, 6],
    ['NZQCF', 3, 4],
    ['QF-EHEA', 6, 6],
    ['QF-EHEA', 'second', 7],
    ['EQF', 5, 5],
  ] as const)('references %s %s to EQF %i', (framework, level, eqf) => {
    expect(toEqf(framework, level)?.eqf).toBe(eqf);
  });

  it('gives NZQCF 8 no EQF equivalent, and says why', () => {
    expect(toEqf('NZQCF', 8)).toBeUndefined();
    expect(noEquivalentNote('NZQCF', 8)).toMatch(/EC–NZQA joint technical report, 2016/);
  });

  it('flags the AQF column as unverified', () => {
    expect(toEqf('AQF', 7)).toMatchObject({ eqf: 6, verified: false });
    expect(toEqf('AQF', 7)?.note).toMatch(/Unverified/);
  });

  it('maps US degrees by type, as a convention', () => {
    expect(toEqf('US', 'bachelor')).toMatchObject({ eqf: 6, basis: 'convention' });
    expect(toEqf('US', 'doctorate')?.eqf).toBe(8);
  });

  it('has no level outside the table', () => {
    expect(toEqf('EQF', 9)).toBeUndefined();
    expect(toEqf('SCQF', 2)).toBeUndefined();
    expect(eqfLevelOf('XYZ', 3)).toBeUndefined();
  });

  it('refuses an unknown framework with unknown-framework', () => {
    expect(isLevelFramework('SCQF')).toBe(true);
    expect(isLevelFramework('ECTS')).toBe(false);
    try {
      toEqf('ECTS', 6);
      throw new Error('did not throw');
    } catch (error) {
      expect(isDomainError(error) && error.code).toBe('unknown-framework');
    }
  });
});

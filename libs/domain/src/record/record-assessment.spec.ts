import {
  achievementDefined,
  achievementRetired,
  achievementRevised,
  definition,
} from '../achievement/testing/achievement.fixtures';
import { issuerAdmin, otherAssessor } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { outcomeOf } from './record-assessment';
import { recordDecider } from './record.decider';
import {
  allMet,
  assessmentRecorded,
  contextWith,
  EVIDENCE_ID,
  evidenceSubmitted,
  recordAssessment,
} from './testing/record.fixtures';

const given = specFor(recordDecider);
const context = contextWith();

describe('RecordAssessment', () => {
  it('passes when every required criterion is met', () => {
    given(evidenceSubmitted()).when(recordAssessment(), context).then([assessmentRecorded()]);
  });

  it('passes when only an optional criterion is not met', () => {
    const results = [
      { criterionId: 'unit-tests', met: true },
      { criterionId: 'debugging', met: true },
      { criterionId: 'coverage', met: false },
    ];
    given(evidenceSubmitted())
      .when(recordAssessment({ results }), context)
      .then([assessmentRecorded({ results })]);
  });

  it('is not yet a pass when a required criterion is not met', () => {
    const results = [
      { criterionId: 'unit-tests', met: true },
      { criterionId: 'debugging', met: false },
    ];
    given(evidenceSubmitted())
      .when(recordAssessment({ results }), context)
      .then([assessmentRecorded({ results, outcome: 'not-yet' })]);
  });

  it('is not yet a pass when a required criterion has no result', () => {
    const results = [{ criterionId: 'unit-tests', met: true }];
    given(evidenceSubmitted())
      .when(recordAssessment({ results }), context)
      .then([assessmentRecorded({ results, outcome: 'not-yet' })]);
  });

  it('rests on several pieces of evidence', () => {
    given(evidenceSubmitted(), evidenceSubmitted({ evidenceId: 'ev-2', kind: 'challenge' }))
      .when(recordAssessment({ evidenceIds: [EVIDENCE_ID, 'ev-2'] }), context)
      .then([assessmentRecorded({ evidenceIds: [EVIDENCE_ID, 'ev-2'] })]);
  });

  it("is computed from the rubric of the evidence's version, not the latest", () => {
    const stricter = definition({
      criteria: [...definition().criteria, { id: 'mocking', description: 'Uses test doubles', required: true }],
    });
    const revised = contextWith([achievementDefined(), achievementRevised(2, stricter)]);
    given(evidenceSubmitted({ version: 1 }))
      .when(recordAssessment(), revised)
      .then([assessmentRecorded({ version: 1 })]);
    given(evidenceSubmitted({ version: 2 }))
      .when(recordAssessment(), revised)
      .then([assessmentRecorded({ version: 2, outcome: 'not-yet' })]);
  });

  it('accepts the version named when it is that of the evidence', () => {
    given(evidenceSubmitted())
      .when(recordAssessment({ version: 1 }), context)
      .then([assessmentRecorded()]);
  });

  describe('is refused', () => {
    it('for evidence the record does not hold', () => {
      given(evidenceSubmitted())
        .when(recordAssessment({ evidenceIds: [EVIDENCE_ID, 'ev-9'] }), context)
        .thenThrows('unknown-evidence');
    });

    it('for a criterion the rubric does not have', () => {
      given(evidenceSubmitted())
        .when(recordAssessment({ results: [...allMet, { criterionId: 'style', met: true }] }), context)
        .thenThrows('unknown-criterion');
    });

    it('for evidence of two versions', () => {
      const revised = contextWith([achievementDefined(), achievementRevised(2)]);
      given(evidenceSubmitted({ version: 1 }), evidenceSubmitted({ evidenceId: 'ev-2', version: 2 }))
        .when(recordAssessment({ evidenceIds: [EVIDENCE_ID, 'ev-2'] }), revised)
        .thenThrows('version-mismatch');
    });

    it('for a version other than that of the evidence', () => {
      const revised = contextWith([achievementDefined(), achievementRevised(2)]);
      given(evidenceSubmitted({ version: 1 }))
        .when(recordAssessment({ version: 2 }), revised)
        .thenThrows('version-mismatch');
    });

    it('for a retired achievement', () => {
      given(evidenceSubmitted())
        .when(recordAssessment(), contextWith([achievementDefined(), achievementRetired()]))
        .thenThrows('achievement-retired');
    });

    it('for an achievement that was never defined', () => {
      given().when(recordAssessment(), contextWith([])).thenThrows('unknown-achievement');
    });

    it('for an assessor of another issuer', () => {
      given(evidenceSubmitted())
        .when(recordAssessment({}, { actor: otherAssessor }), context)
        .thenThrows('not-your-issuer');
    });

    it('without the assessor role', () => {
      given(evidenceSubmitted())
        .when(recordAssessment({}, { actor: issuerAdmin }), context)
        .thenThrows('role-required');
    });

    it('for an assessment id already in the record', () => {
      given(evidenceSubmitted(), assessmentRecorded()).when(recordAssessment(), context).thenThrows('duplicate-id');
    });

    it.each([
      ['no evidence', { evidenceIds: [] }, 'invalid-field'],
      ['the same evidence twice', { evidenceIds: [EVIDENCE_ID, EVIDENCE_ID] }, 'duplicate-entry'],
      ['no results', { results: [] }, 'invalid-field'],
      [
        'two results for one criterion',
        { results: [...allMet, { criterionId: 'debugging', met: false }] },
        'duplicate-entry',
      ],
      ['a result that is not true or false', { results: [{ criterionId: 'debugging', met: 'yes' }] }, 'invalid-field'],
      ['a malformed assessment id', { assessmentId: '' }, 'invalid-id'],
    ] as const)('for %s', (_, data, code) => {
      given(evidenceSubmitted())
        .when(recordAssessment(data as object), context)
        .thenThrows(code);
    });
  });

  it('takes the date it was assessed for a record moved from another system, never before its evidence', () => {
    const recordedLater = { now: '2026-09-01T09:00:00Z' };
    given(evidenceSubmitted())
      .when(recordAssessment({ assessedAt: '2026-03-03T09:00:00Z' }, recordedLater), context)
      .then([assessmentRecorded({ assessedAt: '2026-03-03T09:00:00.000Z' })]);
    given(evidenceSubmitted())
      .when(recordAssessment({ assessedAt: '2026-02-01T09:00:00Z' }, recordedLater), context)
      .thenThrows('assessed-before-evidence');
    given(evidenceSubmitted())
      .when(recordAssessment({ assessedAt: '2026-09-02T09:00:00Z' }, recordedLater), context)
      .thenThrows('instant-in-future');
  });
});

describe('outcomeOf', () => {
  const criteria = definition().criteria;

  it('passes with every required criterion met, whatever the optional ones', () => {
    expect(outcomeOf(criteria, allMet.slice(0, 2))).toBe('passed');
  });

  it('is not yet with a required criterion unmet or missing', () => {
    expect(outcomeOf(criteria, [{ criterionId: 'unit-tests', met: true }])).toBe('not-yet');
    expect(outcomeOf(criteria, [])).toBe('not-yet');
  });
});

import {
  achievementDefined,
  achievementRetired,
  achievementRevised,
  definition,
} from '../achievement/testing/achievement.fixtures';
import { issuerAdmin, otherAssessor } from '../shared/testing/actors';
import { specFor } from '../shared/testing/given-when-then';
import { recordDecider } from './record.decider';
import { contextWith, evidenceSubmitted, submitEvidence, SUBMITTED_AT } from './testing/record.fixtures';

const given = specFor(recordDecider);
const context = contextWith();
const SHA = 'A3F1'.repeat(16);

describe('SubmitEvidence', () => {
  it('records evidence against the latest version when none is named', () => {
    given().when(submitEvidence(), context).then([evidenceSubmitted()]);
  });

  it('records a challenge with an artifact and its observer', () => {
    given()
      .when(
        submitEvidence({
          kind: 'challenge',
          criterionIds: ['coverage'],
          artifact: { url: 'https://git.example.org/learner/parser/commit/1a2b', sha256: SHA },
          observedBy: 'teacher-4',
        }),
        context,
      )
      .then([
        evidenceSubmitted({
          kind: 'challenge',
          criterionIds: ['coverage'],
          artifact: { url: 'https://git.example.org/learner/parser/commit/1a2b', sha256: SHA.toLowerCase() },
          observedBy: 'teacher-4',
        }),
      ]);
  });

  it('keeps observedAt in canonical UTC form', () => {
    given()
      .when(submitEvidence({ observedAt: '2026-03-01T16:00+01:00' }), context)
      .then([evidenceSubmitted()]);
  });

  it('may be against an earlier version, which stays published after a revision', () => {
    const revised = contextWith([achievementDefined(), achievementRevised(2)]);
    given()
      .when(submitEvidence({ version: 1 }), revised)
      .then([evidenceSubmitted({ version: 1 })]);
    given()
      .when(submitEvidence(), revised)
      .then([evidenceSubmitted({ version: 2 })]);
  });

  it('checks criterion ids against the rubric of the version named', () => {
    const withExtra = definition({
      criteria: [
        ...definition().criteria,
        { id: 'mocking', description: 'Isolates a unit with test doubles', required: true },
      ],
    });
    const revised = contextWith([achievementDefined(), achievementRevised(2, withExtra)]);
    given()
      .when(submitEvidence({ criterionIds: ['mocking'] }), revised)
      .then([evidenceSubmitted({ version: 2, criterionIds: ['mocking'] })]);
    given()
      .when(submitEvidence({ version: 1, criterionIds: ['mocking'] }), revised)
      .thenThrows('unknown-criterion');
  });

  describe('is refused', () => {
    it('for a criterion the rubric does not have', () => {
      given()
        .when(submitEvidence({ criterionIds: ['unit-tests', 'style'] }), context)
        .thenThrows('unknown-criterion');
    });

    it('for a retired achievement', () => {
      given()
        .when(submitEvidence(), contextWith([achievementDefined(), achievementRetired()]))
        .thenThrows('achievement-retired');
    });

    it('for a version that does not exist', () => {
      given()
        .when(submitEvidence({ version: 2 }), context)
        .thenThrows('unknown-version');
    });

    it('for an achievement that was never defined', () => {
      given().when(submitEvidence(), contextWith([])).thenThrows('unknown-achievement');
    });

    it('for an assessor of another issuer', () => {
      given()
        .when(submitEvidence({}, { actor: otherAssessor }), context)
        .thenThrows('not-your-issuer');
    });

    it('without the assessor role', () => {
      given()
        .when(submitEvidence({}, { actor: issuerAdmin }), context)
        .thenThrows('role-required');
    });

    it('for an evidence id already in the record', () => {
      given(evidenceSubmitted()).when(submitEvidence(), context).thenThrows('duplicate-id');
    });

    it('for an observation after now', () => {
      given()
        .when(submitEvidence({ observedAt: '2026-03-02T10:00:00.001Z' }), context)
        .thenThrows('instant-in-future');
      given()
        .when(submitEvidence({ observedAt: SUBMITTED_AT }), context)
        .then([evidenceSubmitted({ observedAt: SUBMITTED_AT })]);
    });

    it.each([
      ['an unknown kind', { kind: 'project' }, 'invalid-field'],
      ['no criterion ids', { criterionIds: [] }, 'invalid-field'],
      ['a criterion id twice', { criterionIds: ['unit-tests', 'unit-tests'] }, 'duplicate-entry'],
      ['no description', { description: '' }, 'invalid-field'],
      ['an artifact without a SHA-256', { artifact: { url: 'https://x.org/a', sha256: 'abc' } }, 'invalid-sha256'],
      ['an artifact URL that is not http(s)', { artifact: { url: 'file:///etc/passwd', sha256: SHA } }, 'invalid-url'],
      ['an observation that is not an instant', { observedAt: '1 March 2026' }, 'invalid-instant'],
      ['a learner id with the stream separator', { learnerId: 'a~b' }, 'invalid-id'],
      ['a version that is not a whole number', { version: 1.5 }, 'invalid-field'],
    ] as const)('for %s', (_, data, code) => {
      given()
        .when(submitEvidence(data as object), context)
        .thenThrows(code);
    });
  });
});

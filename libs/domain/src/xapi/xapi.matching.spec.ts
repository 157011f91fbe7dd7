import { automatedAssessment, matchStatement, statementFacts } from './xapi.matching';
import type { XapiMapping } from './xapi.state';

const COMPLETED = 'http://adlnet.gov/expapi/verbs/completed';
const QUIZ = 'https://lms.example.edu/mod/quiz/view.php?id=7';
const ASSESSMENT = 'http://adlnet.gov/expapi/activities/assessment';

const statement = (overrides: Record<string, unknown> = {}) => ({
  id: '3e3c5a3c-1111-4b7a-9d2f-000000000001',
  actor: { mbox: 'mailto:ada@example.edu' },
  verb: { id: COMPLETED },
  object: { id: QUIZ, definition: { type: ASSESSMENT } },
  result: { success: true, score: { scaled: 0.9 } },
  timestamp: '2026-03-01T10:00:00.000Z',
  ...overrides,
});
const mapping = (rules: XapiMapping['rules'], achievementId = 'sql'): XapiMapping => ({
  achievementId,
  revision: 1,
  rules,
  setAt: '2026-02-01T00:00:00.000Z',
});
const levels = [
  { name: 'distinction', minScaled: 0.85, met: true },
  { name: 'pass', minScaled: 0.6, met: true },
  { name: 'fail', minScaled: -1, met: false },
];

describe('matching a statement against mappings', () => {
  it('matches by verb and activity id or type, success and a least score', () => {
    const facts = statementFacts(statement());
    const mappings = [
      mapping([
        { criterionId: 'joins', verb: COMPLETED, activityId: QUIZ },
        { criterionId: 'aggregates', verb: COMPLETED, activityType: ASSESSMENT, success: true, minScaled: 0.8 },
        { criterionId: 'plans', verb: COMPLETED, activityId: QUIZ, minScaled: 0.95 },
        { criterionId: 'plans', verb: 'http://adlnet.gov/expapi/verbs/attempted', activityId: QUIZ },
      ]),
      mapping([{ criterionId: 'x', verb: COMPLETED, activityId: 'https://elsewhere.example/1' }], 'other'),
    ];
    expect(matchStatement(facts, mappings)).toEqual([
      { achievementId: 'sql', criterionIds: ['joins', 'aggregates'], assessed: [] },
    ]);
  });

  it('maps a scaled score onto the rubric level it reaches; without a score an assessing rule does not match', () => {
    const rules = [{ criterionId: 'joins', verb: COMPLETED, activityId: QUIZ, assess: { levels } }];
    expect(matchStatement(statementFacts(statement()), [mapping(rules)])[0].assessed).toEqual([
      { criterionId: 'joins', level: 'distinction', met: true },
    ]);
    const low = statementFacts(statement({ result: { score: { scaled: 0.2 } } }));
    expect(matchStatement(low, [mapping(rules)])[0].assessed).toEqual([
      { criterionId: 'joins', level: 'fail', met: false },
    ]);
    expect(matchStatement(statementFacts(statement({ result: undefined })), [mapping(rules)])).toEqual([]);
  });

  it('matches no statement about anything but an activity', () => {
    const reference = statement({ object: { objectType: 'StatementRef', id: QUIZ } });
    expect(
      matchStatement(statementFacts(reference), [
        mapping([{ criterionId: 'joins', verb: COMPLETED, activityId: QUIZ }]),
      ]),
    ).toEqual([]);
  });
});

describe('the automated assessment of a record', () => {
  it('takes, per criterion, the latest statement that assessed it', () => {
    expect(
      automatedAssessment([
        { criterionId: 'joins', level: 'fail', met: false, evidenceId: 'e1', observedAt: '2026-03-01T10:00:00Z' },
        { criterionId: 'aggregates', level: 'pass', met: true, evidenceId: 'e2', observedAt: '2026-03-02T10:00:00Z' },
        { criterionId: 'joins', level: 'pass', met: true, evidenceId: 'e3', observedAt: '2026-03-03T10:00:00Z' },
      ]),
    ).toEqual({
      evidenceIds: ['e3', 'e2'],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: true },
      ],
    });
  });
});

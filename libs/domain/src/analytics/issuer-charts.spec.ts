import type { Rule } from '../stacking/rule';
import type { TranscriptAwardEntry, TranscriptState } from '../transcript/transcript';
import { type AchievementAnalyticsState, initialAchievementAnalytics } from './achievement-analytics';
import {
  creditsByMonth,
  daysToAwardDistribution,
  passRates,
  pathwayAchievements,
  pathwayFunnel,
} from './issuer-charts';

const state = (
  achievementId: string,
  passed: number,
  notYet: number,
  daysToAward: number[] = [],
): AchievementAnalyticsState => ({
  ...initialAchievementAnalytics(achievementId),
  assessments: { passed, notYet },
  learners: Object.fromEntries(
    daysToAward.map((days, index) => [`learner-${index}`, { awarded: true, daysToAward: days }]),
  ),
});

const award = (
  achievementId: string,
  issuedAt: string,
  overrides: Partial<TranscriptAwardEntry> = {},
): TranscriptAwardEntry => ({
  awardId: `${achievementId}-${issuedAt}`,
  achievementId,
  issuerId: 'tu-dublin',
  version: 1,
  assessmentId: 'a',
  issuedAt,
  credits: [{ framework: 'ECTS', value: 5 }],
  level: { framework: 'EQF', level: 6 },
  standing: 'active',
  ...overrides,
});

const transcript = (learnerId: string, awards: TranscriptAwardEntry[], conferred: string[] = []): TranscriptState => ({
  learnerId,
  awards,
  qualifications: conferred.map((pathwayId) => ({
    qualificationId: `${learnerId}-${pathwayId}`,
    pathwayId,
    issuerId: 'tu-dublin',
    version: 1,
    title: pathwayId,
    awardType: 'Certificate',
    credits: [],
    level: { framework: 'EQF', level: 6 },
    status: 'conferred',
    conferredAt: '2026-03-01T00:00:00.000Z',
  })),
  priorLearning: [],
});

describe('the issuer charts', () => {
  it('gives each achievement its pass rate, null when nothing was assessed', () => {
    expect(passRates([state('sql', 2, 1), state('model', 0, 0)])).toEqual([
      { achievementId: 'sql', passed: 2, notYet: 1, passRate: 0.6667 },
      { achievementId: 'model', passed: 0, notYet: 0, passRate: null },
    ]);
  });

  it('puts every duration in its bucket, bounds inclusive below, up to the last bucket with anyone in it', () => {
    expect(daysToAwardDistribution([state('sql', 0, 0, [0, 0.5, 1, 6.99]), state('model', 0, 0, [7, 13])])).toEqual([
      { fromDays: 0, toDays: 1, learners: 2 },
      { fromDays: 1, toDays: 7, learners: 2 },
      { fromDays: 7, toDays: 14, learners: 2 },
    ]);
    expect(daysToAwardDistribution([state('sql', 0, 0, [400])]).at(-1)).toEqual({
      fromDays: 365,
      toDays: null,
      learners: 1,
    });
    expect(daysToAwardDistribution([state('sql', 0, 0)])).toEqual([]);
  });

  it('sums the credits of the issuer’s awards by month and framework, revoked ones too, others’ awards left out', () => {
    const transcripts = [
      transcript('ada', [
        award('sql', '2026-03-31T23:59:59.000Z'),
        award('model', '2026-04-01T00:00:00.000Z', { standing: 'revoked' }),
        award('ethics', '2026-04-02T00:00:00.000Z', { credits: [{ framework: 'CATS', value: 2.5 }] }),
        award('porto', '2026-04-02T00:00:00.000Z', { issuerId: 'uni-porto' }),
      ]),
      transcript('bob', [award('sql', '2026-03-02T00:00:00.000Z', { credits: [{ framework: 'ECTS', value: 0.1 }] })]),
    ];
    expect(creditsByMonth('tu-dublin', transcripts)).toEqual([
      { month: '2026-03', framework: 'ECTS', value: 5.1 },
      { month: '2026-04', framework: 'CATS', value: 2.5 },
      { month: '2026-04', framework: 'ECTS', value: 5 },
    ]);
  });

  it('names the achievements of a rule and of the pathways it nests, each once, through a cycle', () => {
    const rules: Record<string, Rule> = {
      cert: { allOf: [{ achievement: 'sql' }, { achievement: 'model' }] },
      loop: { anyOf: [{ pathway: 'degree' }, { achievement: 'ethics' }] },
    };
    const degree: Rule = {
      allOf: [
        { pathway: 'cert' },
        { nOf: { n: 1, of: [{ achievement: 'sql' }, { achievement: 'viz' }] } },
        { pathway: 'loop' },
      ],
    };
    rules.degree = degree;
    expect(pathwayAchievements(degree, (id) => rules[id])).toEqual(['sql', 'viz', 'model', 'ethics']);
  });

  it('counts learners holding at least 1, 2, … of the pathway’s achievements valid, and those conferred it', () => {
    const at = '2026-06-01T00:00:00.000Z';
    const funnel = pathwayFunnel(
      'cert',
      ['sql', 'model'],
      [
        transcript(
          'ada',
          [award('sql', '2026-03-01T00:00:00.000Z'), award('model', '2026-03-01T00:00:00.000Z')],
          ['cert'],
        ),
        // Expired, suspended and revoked awards do not count; another pathway's qualification is not this one's.
        transcript(
          'bob',
          [
            award('sql', '2026-03-01T00:00:00.000Z', { validUntil: '2026-05-01T00:00:00.000Z' }),
            award('model', '2026-03-01T00:00:00.000Z', { standing: 'suspended' }),
          ],
          ['other'],
        ),
        transcript('cy', [award('sql', '2026-03-01T00:00:00.000Z'), award('sql', '2026-04-01T00:00:00.000Z')]),
      ],
      at,
    );
    expect(funnel).toEqual({
      pathwayId: 'cert',
      achievementIds: ['sql', 'model'],
      steps: [
        { atLeast: 1, learners: 2 },
        { atLeast: 2, learners: 1 },
      ],
      conferred: 1,
    });
  });
});

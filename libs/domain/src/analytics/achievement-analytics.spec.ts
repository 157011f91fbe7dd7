import {
  type AnalyticsEventInput,
  analyticsAchievementOf,
  analyticsLearnerOf,
  applyAchievementAnalytics,
  evolveAchievementAnalytics,
  foldAchievementAnalytics,
  initialAchievementAnalytics,
  median,
  summariseAchievement,
  summariseIssuer,
} from './achievement-analytics';

const record = (learnerId: string, achievementId = 'sql') => ({ schemaVersion: 1, learnerId, achievementId });

const defined = (achievementId = 'sql', issuerId = 'tu-dublin'): AnalyticsEventInput => ({
  type: 'AchievementDefined',
  stream: `achievement-${achievementId}`,
  data: { schemaVersion: 1, achievementId, issuerId, version: 1, definition: {}, definedAt: '', definedBy: 'x' },
});
const evidence = (
  learnerId: string,
  observedAt: string,
  kind: 'accomplishment' | 'challenge' = 'accomplishment',
  achievementId = 'sql',
): AnalyticsEventInput => ({
  type: 'EvidenceSubmitted',
  data: {
    ...record(learnerId, achievementId),
    version: 1,
    evidenceId: `${learnerId}-${observedAt}`,
    kind,
    criterionIds: ['joins'],
    description: 'work',
    observedBy: 'staff',
    observedAt,
    submittedBy: 'staff',
    submittedAt: '2026-06-01T00:00:00.000Z',
  },
});
const assessed = (learnerId: string, outcome: 'passed' | 'not-yet', achievementId = 'sql'): AnalyticsEventInput => ({
  type: 'AssessmentRecorded',
  data: {
    ...record(learnerId, achievementId),
    version: 1,
    assessmentId: `${learnerId}-${outcome}`,
    assessor: 'staff',
    evidenceIds: [],
    results: [],
    outcome,
    assessedAt: '2026-06-01T00:00:00.000Z',
  },
});
const awarded = (learnerId: string, issuedAt: string, achievementId = 'sql', awardId = `${learnerId}-award`) => ({
  type: 'AchievementAwarded',
  data: {
    ...record(learnerId, achievementId),
    issuerId: 'tu-dublin',
    version: 1,
    awardId,
    assessmentId: `${learnerId}-passed`,
    issuedAt,
    credits: [],
    level: { framework: 'EQF', level: 6 },
    notionalHours: 50,
    awardedBy: 'staff',
  },
});
const standing = (type: string, learnerId: string, awardId = `${learnerId}-award`): AnalyticsEventInput => ({
  type,
  data: { ...record(learnerId), awardId, reason: 'because', by: 'staff', at: '2026-07-01T00:00:00.000Z' },
});

describe('achievement analytics fold', () => {
  it('starts empty: no rate, no median', () => {
    expect(summariseAchievement(initialAchievementAnalytics('sql'))).toEqual({
      achievementId: 'sql',
      issuerId: null,
      evidence: { total: 0, accomplishment: 0, challenge: 0 },
      assessments: { total: 0, passed: 0, notYet: 0, passRate: null },
      awards: 0,
      suspensions: 0,
      revocations: 0,
      reinstatements: 0,
      medianDaysToAward: null,
      learners: 0,
    });
  });

  it('learns the issuer from the definition and skips other achievements and unknown events', () => {
    const state = foldAchievementAnalytics('sql', [
      defined(),
      defined('model', 'other'),
      evidence('ada', '2026-03-01T00:00:00.000Z', 'accomplishment', 'model'),
      { type: 'IssuerRegistered', data: { schemaVersion: 1, issuerId: 'tu-dublin' } },
      { type: 'PriorLearningRecognised', data: { ...record('ada'), recognitionId: 'r1' } },
    ]);
    expect(state).toEqual({ ...initialAchievementAnalytics('sql'), issuerId: 'tu-dublin' });
    expect(analyticsAchievementOf(defined('model'))).toBe('model');
    expect(analyticsAchievementOf(evidence('ada', '2026-03-01T00:00:00.000Z'))).toBe('sql');
    expect(analyticsAchievementOf({ type: 'IssuerRegistered', data: { issuerId: 'x' } })).toBeUndefined();
  });

  it('counts evidence by kind, assessments by outcome, awards and standing changes', () => {
    const state = foldAchievementAnalytics('sql', [
      defined(),
      evidence('ada', '2026-03-01T00:00:00.000Z'),
      evidence('ada', '2026-03-02T00:00:00.000Z', 'challenge'),
      assessed('ada', 'not-yet'),
      assessed('ada', 'passed'),
      awarded('ada', '2026-03-11T00:00:00.000Z'),
      evidence('bob', '2026-03-01T00:00:00.000Z'),
      assessed('bob', 'passed'),
      awarded('bob', '2026-03-21T00:00:00.000Z'),
      standing('AwardSuspended', 'bob'),
      standing('AwardReinstated', 'bob'),
      standing('AwardRevoked', 'bob'),
      evidence('cy', '2026-03-05T00:00:00.000Z'),
      assessed('cy', 'not-yet'),
    ]);
    expect(summariseAchievement(state)).toEqual({
      achievementId: 'sql',
      issuerId: 'tu-dublin',
      evidence: { total: 4, accomplishment: 3, challenge: 1 },
      assessments: { total: 4, passed: 2, notYet: 2, passRate: 0.5 },
      awards: 2,
      suspensions: 1,
      revocations: 1,
      reinstatements: 1,
      medianDaysToAward: 15,
      learners: 3,
    });
    // bounded per learner: the instant gives way to the duration once they are awarded
    expect(state.learners).toEqual({
      ada: { awarded: true, daysToAward: 10 },
      bob: { awarded: true, daysToAward: 20 },
      cy: { firstEvidenceAt: '2026-03-05T00:00:00.000Z' },
    });
  });

  it('measures from the earliest evidence observed, and only to the first award', () => {
    const state = foldAchievementAnalytics('sql', [
      evidence('ada', '2026-03-05T00:00:00.000Z'),
      evidence('ada', '2026-03-01T00:00:00.000Z'), // observed earlier, submitted later
      awarded('ada', '2026-03-04T12:00:00.000Z', 'sql', 'a1'),
      standing('AwardRevoked', 'ada', 'a1'),
      evidence('ada', '2026-04-01T00:00:00.000Z'),
      awarded('ada', '2026-05-01T00:00:00.000Z', 'sql', 'a2'),
    ]);
    expect(state.learners).toEqual({ ada: { awarded: true, daysToAward: 3.5 } });
    expect(state.issuerId).toBe('tu-dublin'); // from the award when no definition was seen
    expect(summariseAchievement(state)).toMatchObject({
      awards: 2,
      revocations: 1,
      medianDaysToAward: 3.5,
      learners: 1,
    });
  });

  it('adds no duration for an award without evidence', () => {
    const state = foldAchievementAnalytics('sql', [awarded('ada', '2026-03-04T00:00:00.000Z')]);
    expect(state.learners).toEqual({ ada: { awarded: true } });
    expect(summariseAchievement(state).medianDaysToAward).toBeNull();
  });

  it('folds a batch over only the learners it names into the counters and entries the whole state gets', () => {
    const history = [
      defined(),
      evidence('ada', '2026-03-01T00:00:00.000Z'),
      evidence('bob', '2026-03-02T00:00:00.000Z'),
      assessed('bob', 'passed'),
      awarded('bob', '2026-03-12T00:00:00.000Z'),
      evidence('dee', '2026-03-03T00:00:00.000Z'),
    ];
    const batch = [
      evidence('ada', '2026-02-20T00:00:00.000Z', 'challenge'),
      assessed('ada', 'passed'),
      awarded('ada', '2026-03-22T00:00:00.000Z'),
      standing('AwardSuspended', 'bob'),
      evidence('cy', '2026-03-05T00:00:00.000Z'),
    ];
    const whole = applyAchievementAnalytics(foldAchievementAnalytics('sql', history), batch);
    const before = foldAchievementAnalytics('sql', history);
    const named = new Set(batch.map(analyticsLearnerOf));
    const partial = applyAchievementAnalytics(
      { ...before, learners: Object.fromEntries(Object.entries(before.learners).filter(([id]) => named.has(id))) },
      batch,
    );
    expect(named).toEqual(new Set(['ada', 'bob', 'cy']));
    expect(whole.learners.dee).toEqual({ firstEvidenceAt: '2026-03-03T00:00:00.000Z' });
    expect({ ...partial, learners: {} }).toEqual({ ...whole, learners: {} });
    expect(partial.learners).toEqual({
      ada: { awarded: true, daysToAward: 30 },
      bob: whole.learners.bob,
      cy: whole.learners.cy,
    });
    expect(analyticsLearnerOf(defined())).toBeUndefined();
  });

  it('is pure: folding does not change the state given', () => {
    const before = initialAchievementAnalytics('sql');
    const copy = structuredClone(before);
    evolveAchievementAnalytics(before, evidence('ada', '2026-03-01T00:00:00.000Z'));
    expect(before).toEqual(copy);
  });

  it('takes the median of an odd and an even count', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([1, 2.3333333])).toBe(1.67);
  });

  it('sums an issuer over its achievements: median over every duration, learners once', () => {
    const sql = foldAchievementAnalytics('sql', [
      defined(),
      evidence('ada', '2026-03-01T00:00:00.000Z'),
      assessed('ada', 'not-yet'),
      assessed('ada', 'passed'),
      awarded('ada', '2026-03-11T00:00:00.000Z'),
      evidence('bob', '2026-03-01T00:00:00.000Z'),
      assessed('bob', 'passed'),
      awarded('bob', '2026-03-21T00:00:00.000Z'),
    ]);
    const model = foldAchievementAnalytics('model', [
      defined('model'),
      evidence('ada', '2026-03-01T00:00:00.000Z', 'challenge', 'model'),
      assessed('ada', 'passed', 'model'),
      awarded('ada', '2026-03-05T00:00:00.000Z', 'model'),
      { ...standing('AwardRevoked', 'ada'), data: { ...standing('AwardRevoked', 'ada').data, achievementId: 'model' } },
    ]);
    expect(summariseIssuer('tu-dublin', [sql, model])).toEqual({
      issuerId: 'tu-dublin',
      achievementIds: ['model', 'sql'],
      evidence: { total: 3, accomplishment: 2, challenge: 1 },
      assessments: { total: 4, passed: 3, notYet: 1, passRate: 0.75 },
      awards: 3,
      suspensions: 0,
      revocations: 1,
      reinstatements: 0,
      medianDaysToAward: 10,
      learners: 2,
    });
  });
});

import type { AchievementKind, Credit, Level } from '../../achievement/achievement.definition';
import { type CatalogueAchievement, catalogueOf, type StackingCatalogue } from '../catalogue';
import type { PathwayUnderEvaluation } from '../evaluate';
import type { HeldAward, RecognisedLearning } from '../holdings';
import type { Rule } from '../rule';

export const AT = '2026-06-01T09:00:00.000Z';
export const BEFORE_AT = '2026-05-01T00:00:00.000Z';
export const AFTER_AT = '2026-07-01T00:00:00.000Z';

export const ects = (value: number): Credit => ({ framework: 'ECTS', value });
export const eqf = (level: number): Level => ({ framework: 'EQF', level });

export const heldAward = (awardId: string, achievementId: string, overrides: Partial<HeldAward> = {}): HeldAward => ({
  awardId,
  achievementId,
  credits: [ects(5)],
  level: eqf(6),
  issuedAt: '2026-01-15T10:00:00.000Z',
  standing: 'active',
  ...overrides,
});

export const recognition = (
  recognitionId: string,
  achievementId: string,
  overrides: Partial<RecognisedLearning> = {},
): RecognisedLearning => ({ recognitionId, achievementId, credits: [ects(5)], ...overrides });

export const pathwayOf = (rule: Rule, overrides: Partial<PathwayUnderEvaluation> = {}): PathwayUnderEvaluation => ({
  pathwayId: 'pathway-under-test',
  version: 1,
  rule,
  ...overrides,
});

const achievement = (kind: AchievementKind, credits: Credit[], level: Level): CatalogueAchievement => ({
  kind,
  credits,
  level,
});

/**
 * A micro-degree in data science (30 ECTS, EQF 6): a nested certificate (two core achievements), two of four
 * electives, and 30 ECTS at EQF 6 or above in all. One elective is British (15 CATS, RQF 6), one American (3 US-SCH).
 */
export const MICRO_DEGREE_RULE: Rule = {
  allOf: [
    { pathway: 'cert-data-literacy' },
    {
      nOf: {
        n: 2,
        of: [
          { achievement: 'ml-intro' },
          { achievement: 'data-viz' },
          { achievement: 'ethics' },
          { achievement: 'sql-uk' },
        ],
      },
    },
    { credits: { framework: 'ECTS', min: 30, minLevel: eqf(6) } },
  ],
};

export const CERTIFICATE_RULE: Rule = { allOf: [{ achievement: 'data-foundations' }, { achievement: 'statistics' }] };

export const microDegree: PathwayUnderEvaluation = {
  pathwayId: 'micro-data-science',
  version: 1,
  rule: MICRO_DEGREE_RULE,
  award: { credits: [ects(30)] },
};

export const catalogue: StackingCatalogue = catalogueOf({
  achievements: {
    'data-foundations': achievement('skill', [ects(7.5)], eqf(6)),
    statistics: achievement('knowledge', [ects(7.5)], eqf(6)),
    'ml-intro': achievement('skill', [ects(7.5)], eqf(6)),
    'data-viz': achievement('skill', [ects(7.5)], eqf(6)),
    ethics: achievement('disposition', [ects(7.5)], eqf(6)),
    'sql-uk': achievement('skill', [{ framework: 'CATS', value: 15 }], { framework: 'RQF', level: 6 }),
    'sql-us': achievement('skill', [{ framework: 'US-SCH', value: 3 }], eqf(6)),
    teamwork: achievement('disposition', [ects(2)], eqf(5)),
    'python-basics': achievement('skill', [ects(5)], eqf(4)),
  },
  pathways: {
    'cert-data-literacy': { rule: CERTIFICATE_RULE, version: 1 },
    'loop-a': { rule: { pathway: 'loop-b' } },
    'loop-b': { rule: { allOf: [{ achievement: 'statistics' }, { pathway: 'loop-a' }] } },
  },
});

/** The awards of a learner who completed the micro-degree: 7.5 + 7.5 + 7.5 ECTS and 15 CATS = 30 ECTS. */
export const microDegreeAwards: HeldAward[] = [
  heldAward('aw-foundations', 'data-foundations', { credits: [ects(7.5)] }),
  heldAward('aw-statistics', 'statistics', { credits: [ects(7.5)], kind: 'knowledge' }),
  heldAward('aw-ml', 'ml-intro', { credits: [ects(7.5)] }),
  heldAward('aw-sql', 'sql-uk', { credits: [{ framework: 'CATS', value: 15 }], level: { framework: 'RQF', level: 6 } }),
];

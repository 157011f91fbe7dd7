import type { Actor } from '../../shared/actor';
import { issuerAdmin, ISSUER_ID } from '../../shared/testing/actors';
import { withoutUndefined } from '../../shared/testing/without-undefined';
import type { DefineAchievement, RetireAchievement, ReviseAchievement } from '../achievement.commands';
import type { AchievementDefinition } from '../achievement.definition';
import type { AchievementDefined, AchievementRetired, AchievementRevised } from '../achievement.events';

export const ACHIEVEMENT_ID = 'python-testing';
export const PREREQUISITE_ID = 'python-basics';
export const DEFINED_AT = '2026-01-10T10:00:00.000Z';
export const REVISED_AT = '2026-02-01T10:00:00.000Z';
export const RETIRED_AT = '2026-06-30T17:00:00.000Z';

type Metadata = { now?: string; actor?: Actor };

/** A skill with two required criteria and one optional, valid for two years (EQF 5, 2 ECTS = 50 hours). */
export const definition = (overrides: Partial<AchievementDefinition> = {}): AchievementDefinition =>
  withoutUndefined({
    title: 'Testing Python programs',
    kind: 'skill',
    statement: 'I can write automated tests for a Python program and use them to find and fix defects.',
    learningOutcomes: ['Write unit tests with pytest', 'Measure test coverage and act on it'],
    criteria: [
      { id: 'unit-tests', description: 'Writes unit tests that exercise the behaviour of a module', required: true },
      { id: 'debugging', description: 'Locates and fixes a defect guided by a failing test', required: true },
      { id: 'coverage', description: 'Reports and interprets coverage', required: false },
    ],
    notionalHours: 50,
    level: { framework: 'EQF', level: 5 },
    credits: [{ framework: 'ECTS', value: 2 }],
    assessmentType: 'practical demonstration',
    supervision: { supervised: true, identityVerified: true },
    participation: 'blended',
    validity: 'P2Y',
    prerequisites: [],
    ...overrides,
  });

const meta = (now: string, metadata: Metadata) => ({ now, actor: issuerAdmin, ...metadata });

export const defineAchievement = (
  overrides: Partial<AchievementDefinition> = {},
  metadata: Metadata = {},
  data: Partial<DefineAchievement['data']> = {},
): DefineAchievement => ({
  type: 'DefineAchievement',
  data: { achievementId: ACHIEVEMENT_ID, issuerId: ISSUER_ID, definition: definition(overrides), ...data },
  metadata: meta(DEFINED_AT, metadata),
});

export const reviseAchievement = (
  overrides: Partial<AchievementDefinition> = {},
  metadata: Metadata = {},
): ReviseAchievement => ({
  type: 'ReviseAchievement',
  data: { achievementId: ACHIEVEMENT_ID, definition: definition(overrides) },
  metadata: meta(REVISED_AT, metadata),
});

export const retireAchievement = (reason?: string, metadata: Metadata = {}): RetireAchievement => ({
  type: 'RetireAchievement',
  data: { achievementId: ACHIEVEMENT_ID, ...(reason === undefined ? {} : { reason }) },
  metadata: meta(RETIRED_AT, metadata),
});

export const achievementDefined = (
  overrides: Partial<AchievementDefinition> = {},
  data: Partial<AchievementDefined['data']> = {},
): AchievementDefined => ({
  type: 'AchievementDefined',
  data: {
    schemaVersion: 1,
    achievementId: ACHIEVEMENT_ID,
    issuerId: ISSUER_ID,
    version: 1,
    definition: definition(overrides),
    definedAt: DEFINED_AT,
    definedBy: issuerAdmin.sub,
    ...data,
  },
});

export const achievementRevised = (
  version: number,
  overrides: Partial<AchievementDefinition> = {},
  data: Partial<AchievementRevised['data']> = {},
): AchievementRevised => ({
  type: 'AchievementRevised',
  data: {
    schemaVersion: 1,
    achievementId: ACHIEVEMENT_ID,
    issuerId: ISSUER_ID,
    version,
    definition: definition(overrides),
    revisedAt: REVISED_AT,
    revisedBy: issuerAdmin.sub,
    ...data,
  },
});

export const achievementRetired = (data: Partial<AchievementRetired['data']> = {}): AchievementRetired => ({
  type: 'AchievementRetired',
  data: {
    schemaVersion: 1,
    achievementId: ACHIEVEMENT_ID,
    issuerId: ISSUER_ID,
    retiredAt: RETIRED_AT,
    retiredBy: issuerAdmin.sub,
    ...data,
  },
});

/** The prerequisite achievement, defined by the same issuer. */
export const prerequisiteDefined = (overrides: Partial<AchievementDefinition> = {}): AchievementDefined =>
  achievementDefined(
    {
      title: 'Python programming fundamentals',
      statement: 'I can write small Python programs using functions, lists and dictionaries.',
      validity: undefined,
      ...overrides,
    },
    { achievementId: PREREQUISITE_ID },
  );

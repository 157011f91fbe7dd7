import { awardStatusAt } from '../record/record.state';
import type { Rule } from '../stacking/rule';
import { ruleReferences } from '../stacking/rule-references';
import type { TranscriptState } from '../transcript/transcript';
import type { AchievementAnalyticsState } from './achievement-analytics';

/**
 * What the analytics page draws for an issuer, from the analytics fold's states (pass rates, days to award) and the
 * transcripts of the learners the issuer holds awards of (credits per month, pathway funnels). Pure: the api reads
 * the states and transcripts from the read models and passes them in.
 */

/** Passed and not-yet assessments of one achievement; `passRate` = passed / total, null when none was assessed. */
export type AchievementPassRate = { achievementId: string; passed: number; notYet: number; passRate: number | null };

/** Learners whose first award came `fromDays` (inclusive) to `toDays` (exclusive; null: no bound) after evidence. */
export type DaysToAwardBucket = { fromDays: number; toDays: number | null; learners: number };

/** Credits of the awards the issuer made in one calendar month (UTC, `YYYY-MM`), per framework. */
export type MonthCredits = { month: string; framework: string; value: number };

/**
 * How far learners are along a pathway: of the `achievementIds` its rule names (nested pathways' included),
 * `steps[k - 1]` learners hold at least k valid; `conferred` hold the qualification now.
 */
export type PathwayFunnel = {
  pathwayId: string;
  achievementIds: string[];
  steps: Array<{ atLeast: number; learners: number }>;
  conferred: number;
};

export type IssuerCharts = {
  issuerId: string;
  passRates: AchievementPassRate[];
  daysToAward: DaysToAwardBucket[];
  creditsByMonth: MonthCredits[];
  pathways: PathwayFunnel[];
};

/** Bucket edges in days: a day, a week, a fortnight, a month, two, a quarter, half a year, a year, beyond. */
export const DAYS_TO_AWARD_EDGES: readonly number[] = [0, 1, 7, 14, 30, 60, 90, 180, 365];

const rate = (passed: number, total: number): number | null =>
  total === 0 ? null : Math.round((passed / total) * 10_000) / 10_000;

export function passRates(states: readonly AchievementAnalyticsState[]): AchievementPassRate[] {
  return states.map(({ achievementId, assessments: { passed, notYet } }) => ({
    achievementId,
    passed,
    notYet,
    passRate: rate(passed, passed + notYet),
  }));
}

/** Every duration of the states in its bucket; buckets after the last non-empty one are left out. */
export function daysToAwardDistribution(states: readonly AchievementAnalyticsState[]): DaysToAwardBucket[] {
  const buckets = DAYS_TO_AWARD_EDGES.map((fromDays, index) => ({
    fromDays,
    toDays: DAYS_TO_AWARD_EDGES[index + 1] ?? null,
    learners: 0,
  }));
  const durations = states.flatMap((state) =>
    Object.values(state.learners).flatMap((learner) => learner.daysToAward ?? []),
  );
  for (const days of durations) {
    const index = buckets.findIndex((bucket) => bucket.toDays === null || days < bucket.toDays);
    buckets[index].learners++;
  }
  const last = buckets.findLastIndex((bucket) => bucket.learners > 0);
  return buckets.slice(0, last + 1);
}

/** Credits of every award the issuer made (revoked ones too: they were awarded), by month and framework. */
export function creditsByMonth(issuerId: string, transcripts: readonly TranscriptState[]): MonthCredits[] {
  const sums = new Map<string, MonthCredits>();
  for (const award of transcripts.flatMap((transcript) => transcript.awards))
    if (award.issuerId === issuerId)
      for (const credit of award.credits) {
        const month = award.issuedAt.slice(0, 7);
        const key = `${month} ${credit.framework}`;
        const sum = sums.get(key) ?? { month, framework: credit.framework, value: 0 };
        sums.set(key, { ...sum, value: Math.round((sum.value + credit.value) * 100) / 100 });
      }
  return [...sums.values()].sort((a, b) =>
    a.month === b.month ? a.framework.localeCompare(b.framework) : a.month < b.month ? -1 : 1,
  );
}

/** The achievements a rule names, those of the pathways it nests included (each pathway visited once). */
export function pathwayAchievements(rule: Rule, lookupRule: (pathwayId: string) => Rule | undefined): string[] {
  const achievements = new Set<string>();
  const visited = new Set<string>();
  const visit = (node: Rule): void => {
    const references = ruleReferences(node);
    references.achievements.forEach((id) => achievements.add(id));
    for (const pathwayId of references.pathways) {
      if (visited.has(pathwayId)) continue;
      visited.add(pathwayId);
      const nested = lookupRule(pathwayId);
      if (nested !== undefined) visit(nested);
    }
  };
  visit(rule);
  return [...achievements];
}

/** The funnel of one pathway over the given learners' transcripts, with award statuses as they stand at `at`. */
export function pathwayFunnel(
  pathwayId: string,
  achievementIds: readonly string[],
  transcripts: readonly TranscriptState[],
  at: string,
): PathwayFunnel {
  const named = new Set(achievementIds);
  const held = transcripts.map(
    (transcript) =>
      new Set(
        transcript.awards
          .filter((award) => named.has(award.achievementId) && awardStatusAt(award, at) === 'valid')
          .map((award) => award.achievementId),
      ).size,
  );
  return {
    pathwayId,
    achievementIds: [...achievementIds],
    steps: achievementIds.map((_, index) => ({
      atLeast: index + 1,
      learners: held.filter((count) => count > index).length,
    })),
    conferred: transcripts.filter((transcript) =>
      transcript.qualifications.some(
        (qualification) => qualification.pathwayId === pathwayId && qualification.status === 'conferred',
      ),
    ).length,
  };
}

import { isAchievementEvent } from '../achievement/achievement.events';
import { isRecordEvent, type RecordEvent } from '../record/record.events';
import { MS_PER_DAY, parseInstant } from '../shared/instant';

/**
 * Analytics of one achievement as one pure fold over its record events (`record-{learnerId}~{achievementId}`) and its
 * definition events (`achievement-{achievementId}`, which name the issuer), in global order. The read model
 * (libs/read-models/src/analytics.projection.ts) keeps the folded state per achievement; an issuer's analytics are the
 * sum over its achievements (`summariseIssuer`).
 *
 * Time to award: for each learner, from the first instant the evidence was *observed* (`observedAt`, when the assessor
 * saw the work: the start of the learner's demonstration, not when it was typed in) to the `issuedAt` of their first
 * award of this achievement. The fold keeps, per learner, only the earliest `observedAt` while no award has come; when
 * the first award arrives the instant is replaced by the duration in days. A learner awarded without any evidence
 * recorded (not possible through the deciders) has no duration; a later re-award changes none.
 *
 * An event reads and writes only its own learner's entry (`analyticsLearnerOf`) besides the counters, so a state that
 * holds just the learners a batch names folds that batch into exactly the counters and entries the whole state would:
 * the read model loads and writes only those.
 *
 * The runner applies each event exactly once (its checkpoint is stored with the rows), so the fold counts events.
 */

/**
 * Per learner: the earliest evidence observed while not yet awarded; once their first award arrived, `awarded` and
 * the days from that evidence to it (none without evidence).
 */
export type AnalyticsLearner = { firstEvidenceAt?: string; awarded?: true; daysToAward?: number };

/** The folded state: plain JSON (a read model keeps it as jsonb). */
export type AchievementAnalyticsState = {
  achievementId: string;
  /** From the achievement's definition events, or from an award. */
  issuerId?: string;
  evidence: { accomplishment: number; challenge: number };
  assessments: { passed: number; notYet: number };
  awards: number;
  suspensions: number;
  revocations: number;
  reinstatements: number;
  learners: Record<string, AnalyticsLearner>;
};

export type AchievementAnalytics = {
  achievementId: string;
  issuerId: string | null;
  evidence: { total: number; accomplishment: number; challenge: number };
  /** `passRate` = passed / total, null when nothing was assessed. */
  assessments: { total: number; passed: number; notYet: number; passRate: number | null };
  awards: number;
  suspensions: number;
  revocations: number;
  reinstatements: number;
  /** The median of days from first evidence to first award over learners awarded; null when none. */
  medianDaysToAward: number | null;
  /** Learners with any evidence, assessment or award of this achievement. */
  learners: number;
};

export type IssuerAnalytics = Omit<AchievementAnalytics, 'achievementId' | 'issuerId'> & {
  issuerId: string;
  /** The achievements summed, by id. */
  achievementIds: string[];
};

/** What the fold takes: a recorded event or a domain event. */
export type AnalyticsEventInput = { readonly type: string; readonly data: object; readonly stream?: string };

export const initialAchievementAnalytics = (achievementId: string): AchievementAnalyticsState => ({
  achievementId,
  evidence: { accomplishment: 0, challenge: 0 },
  assessments: { passed: 0, notYet: 0 },
  awards: 0,
  suspensions: 0,
  revocations: 0,
  reinstatements: 0,
  learners: {},
});

/** The achievement an event is about, when the analytics fold reads it (record and achievement events). */
export function analyticsAchievementOf(event: AnalyticsEventInput): string | undefined {
  if (!isRecordEvent(event) && !isAchievementEvent(event)) return undefined;
  const achievementId = (event.data as { achievementId?: unknown }).achievementId;
  return typeof achievementId === 'string' ? achievementId : undefined;
}

/** The learner whose entry an event may change: that of a record event (achievement events change none). */
export function analyticsLearnerOf(event: AnalyticsEventInput): string | undefined {
  if (!isRecordEvent(event)) return undefined;
  const learnerId = (event.data as { learnerId?: unknown }).learnerId;
  return typeof learnerId === 'string' ? learnerId : undefined;
}

/** Days between two instants, to the millionth of a day; undefined when either is not an instant. */
function daysBetween(from: string, to: string): number | undefined {
  const start = parseInstant(from);
  const end = parseInstant(to);
  if (start === undefined || end === undefined) return undefined;
  return Math.round((Math.max(0, end - start) / MS_PER_DAY) * 1e6) / 1e6;
}

const earlier = (a: string | undefined, b: string): string => {
  if (a === undefined) return b;
  const [x, y] = [parseInstant(a), parseInstant(b)];
  return x !== undefined && y !== undefined && y < x ? b : a;
};

/**
 * Folds events into a copy of the state. The copy is made once per call and updated in place, so a batch of n events
 * over an achievement with L learners costs O(L + n), not O(L × n); the state passed in is never changed.
 */
export function applyAchievementAnalytics(
  state: AchievementAnalyticsState,
  events: readonly AnalyticsEventInput[],
): AchievementAnalyticsState {
  const draft: AchievementAnalyticsState = {
    ...state,
    evidence: { ...state.evidence },
    assessments: { ...state.assessments },
    learners: { ...state.learners },
  };
  for (const input of events) apply(draft, input);
  return draft;
}

/** Folds one event; events of another achievement, and events the fold does not read, leave the state unchanged. */
export const evolveAchievementAnalytics = (
  state: AchievementAnalyticsState,
  input: AnalyticsEventInput,
): AchievementAnalyticsState =>
  analyticsAchievementOf(input) === state.achievementId ? applyAchievementAnalytics(state, [input]) : state;

/** Updates the draft in place (only ever a copy made by `applyAchievementAnalytics`). */
function apply(draft: AchievementAnalyticsState, input: AnalyticsEventInput): void {
  if (analyticsAchievementOf(input) !== draft.achievementId) return;
  if (isAchievementEvent(input)) {
    const { issuerId } = input.data as { issuerId?: unknown };
    if (typeof issuerId === 'string') draft.issuerId = issuerId;
    return;
  }
  const event = { type: input.type, data: input.data } as RecordEvent;
  switch (event.type) {
    case 'EvidenceSubmitted': {
      const { learnerId, kind, observedAt } = event.data;
      if (kind === 'challenge') draft.evidence.challenge++;
      else draft.evidence.accomplishment++;
      const learner = draft.learners[learnerId] ?? {};
      draft.learners[learnerId] = learner.awarded
        ? learner
        : { firstEvidenceAt: earlier(learner.firstEvidenceAt, observedAt) };
      return;
    }
    case 'AssessmentRecorded': {
      if (event.data.outcome === 'passed') draft.assessments.passed++;
      else draft.assessments.notYet++;
      draft.learners[event.data.learnerId] ??= {};
      return;
    }
    case 'AchievementAwarded': {
      const { learnerId, issuerId, issuedAt } = event.data;
      const learner = draft.learners[learnerId] ?? {};
      if (!learner.awarded) {
        const days = learner.firstEvidenceAt === undefined ? undefined : daysBetween(learner.firstEvidenceAt, issuedAt);
        draft.learners[learnerId] = days === undefined ? { awarded: true } : { awarded: true, daysToAward: days };
      }
      draft.issuerId ??= issuerId;
      draft.awards++;
      return;
    }
    case 'AwardSuspended':
      draft.suspensions++;
      return;
    case 'AwardReinstated':
      draft.reinstatements++;
      return;
    case 'AwardRevoked':
      draft.revocations++;
      return;
  }
}

/** The state after the given events (those of other achievements are skipped). */
export const foldAchievementAnalytics = (
  achievementId: string,
  events: readonly AnalyticsEventInput[],
): AchievementAnalyticsState => applyAchievementAnalytics(initialAchievementAnalytics(achievementId), events);

/** The median of the values, to the hundredth; null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return Math.round(value * 100) / 100;
}

const rate = (passed: number, total: number): number | null =>
  total === 0 ? null : Math.round((passed / total) * 10_000) / 10_000;

type Totals = Omit<AchievementAnalytics, 'achievementId' | 'issuerId'>;

/** Counts summed over states; the median over all their durations; learners counted once across them. */
function totals(states: readonly AchievementAnalyticsState[]): Totals {
  const sum = (of: (state: AchievementAnalyticsState) => number) => states.reduce((n, state) => n + of(state), 0);
  const accomplishment = sum((state) => state.evidence.accomplishment);
  const challenge = sum((state) => state.evidence.challenge);
  const passed = sum((state) => state.assessments.passed);
  const notYet = sum((state) => state.assessments.notYet);
  return {
    evidence: { total: accomplishment + challenge, accomplishment, challenge },
    assessments: { total: passed + notYet, passed, notYet, passRate: rate(passed, passed + notYet) },
    awards: sum((state) => state.awards),
    suspensions: sum((state) => state.suspensions),
    revocations: sum((state) => state.revocations),
    reinstatements: sum((state) => state.reinstatements),
    medianDaysToAward: median(
      states.flatMap((state) => Object.values(state.learners).flatMap((learner) => learner.daysToAward ?? [])),
    ),
    learners: new Set(states.flatMap((state) => Object.keys(state.learners))).size,
  };
}

/** One achievement's figures. */
export function summariseAchievement(state: AchievementAnalyticsState): AchievementAnalytics {
  return { achievementId: state.achievementId, issuerId: state.issuerId ?? null, ...totals([state]) };
}

/** An issuer's figures: the sum over its achievements' states (the median over all their durations). */
export function summariseIssuer(issuerId: string, states: readonly AchievementAnalyticsState[]): IssuerAnalytics {
  const achievementIds = states.map((state) => state.achievementId).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { issuerId, achievementIds, ...totals(states) };
}

import type { AchievementKind, Credit, Level } from '../achievement/achievement.definition';
import {
  type ConversionBasis,
  convertCredits,
  CREDIT_FRAMEWORK_IDS,
  findConversionStep,
  isCreditFramework,
  roundCredits,
} from '../frameworks/credit-frameworks';
import type { AwardType } from '../pathway/pathway.definition';
import { isQualificationEvent, type QualificationEvent } from '../qualification/qualification.events';
import type { QualificationStatus } from '../qualification/qualification.state';
import { compareInstants } from '../shared/instant';
import { isRecordEvent, type RecordEvent } from '../record/record.events';
import {
  awardEntryOf,
  type AwardEntry,
  type AwardStanding,
  type AwardStatus,
  awardStatusAt,
  STANDING_AFTER,
  withAwardStanding,
} from '../record/record.state';

/**
 * A learner's transcript as one pure fold over their record (`record-{learnerId}~…`) and qualification
 * (`qualification-{learnerId}~…`) streams, in global order. The same `evolveTranscript` feeds the live read model
 * (libs/read-models/src/transcript.projection.ts) and the as-of replay (events recorded up to an instant), so "the
 * transcript as it stood then" is exact.
 *
 * The fold keeps only what the events say, and never the time: an award's *standing* (active / suspended / revoked, as
 * last decided) and its `validUntil`. Its *status* (valid / expired / suspended / revoked) depends on the instant asked
 * about and is computed by `transcriptAt(state, at)` with the record's own `awardStatusAt`.
 *
 * Titles and kinds of achievements are not in the award event: they are joined at read time through the `catalogue`
 * lookup given to `transcriptAt` (the version awarded is immutable, so its title and kind never change). Qualification
 * titles are in the conferral event (`awardTitle`), so they are in the fold.
 */

/**
 * An award as the transcript fold keeps it: the record's award entry plus where it belongs, and each change of its
 * standing with when it was made (what the transcript at an effective date reads).
 */
export type TranscriptAwardEntry = AwardEntry & {
  achievementId: string;
  issuerId: string;
  standingChanges?: Array<{ standing: AwardStanding; at: string }>;
};

export type TranscriptQualificationEntry = {
  qualificationId: string;
  pathwayId: string;
  issuerId: string;
  version: number;
  title: string;
  awardType: AwardType;
  credits: Credit[];
  level: Level;
  status: QualificationStatus;
  conferredAt: string;
  endedAt?: string;
  reason?: string;
};

/** Credit transfer recognised towards an achievement: listed, never counted in the totals (it is not an award). */
export type TranscriptRecognitionEntry = {
  recognitionId: string;
  achievementId: string;
  issuer: string;
  title: string;
  credits: Credit[];
  level?: Level;
  recognisedAt: string;
};

/** The folded state: plain JSON (a read model keeps it as jsonb), every list in the order of its events. */
export type TranscriptState = {
  learnerId: string;
  awards: TranscriptAwardEntry[];
  qualifications: TranscriptQualificationEntry[];
  priorLearning: TranscriptRecognitionEntry[];
};

/** What the fold takes: a recorded event or a domain event (stream and recordedAt are not needed). */
export type TranscriptEventInput = { readonly type: string; readonly data: object; readonly stream?: string };

export const initialTranscript = (learnerId: string): TranscriptState => ({
  learnerId,
  awards: [],
  qualifications: [],
  priorLearning: [],
});

/** Whether the fold reads this event: a record or qualification event (of any learner; `evolveTranscript` checks). */
export const isTranscriptEvent = (event: { type: string }): event is RecordEvent | QualificationEvent =>
  isRecordEvent(event) || isQualificationEvent(event);

/** The learner an event is about, when the transcript fold reads it. */
export function transcriptLearnerOf(event: TranscriptEventInput): string | undefined {
  if (!isTranscriptEvent(event)) return undefined;
  const learnerId = (event.data as { learnerId?: unknown }).learnerId;
  return typeof learnerId === 'string' ? learnerId : undefined;
}

const endQualification = (
  state: TranscriptState,
  qualificationId: string,
  status: Exclude<QualificationStatus, 'conferred'>,
  reason: string,
  endedAt: string,
): TranscriptState => ({
  ...state,
  qualifications: state.qualifications.map((entry) =>
    entry.qualificationId === qualificationId && entry.status === 'conferred'
      ? { ...entry, status, reason, endedAt }
      : entry,
  ),
});

/**
 * Folds one event into the transcript. Evidence and assessments do not show on a transcript; events of another
 * learner, and events the fold does not know, leave it unchanged. Awards and their standing are kept as `evolveRecord`
 * keeps them (`awardEntryOf`, `withAwardStanding`); qualification endings mirror `evolveQualifications`.
 */
export function evolveTranscript(state: TranscriptState, input: TranscriptEventInput): TranscriptState {
  if (transcriptLearnerOf(input) !== state.learnerId) return state;
  const event = { type: input.type, data: input.data } as RecordEvent | QualificationEvent;
  switch (event.type) {
    case 'AchievementAwarded': {
      if (state.awards.some((award) => award.awardId === event.data.awardId)) return state;
      const { achievementId, issuerId } = event.data;
      return { ...state, awards: [...state.awards, { ...awardEntryOf(event.data), achievementId, issuerId }] };
    }
    case 'AwardSuspended':
    case 'AwardReinstated':
    case 'AwardRevoked': {
      const change = { standing: STANDING_AFTER[event.type], at: event.data.at };
      const awards = withAwardStanding(state.awards, event.data.awardId, change.standing).map((award) =>
        award.awardId === event.data.awardId
          ? { ...award, standingChanges: [...(award.standingChanges ?? []), change] }
          : award,
      );
      return { ...state, awards };
    }
    case 'PriorLearningRecognised': {
      const { recognitionId, achievementId, issuer, title, credits, level, recognisedAt } = event.data;
      if (state.priorLearning.some((entry) => entry.recognitionId === recognitionId)) return state;
      const entry: TranscriptRecognitionEntry = {
        recognitionId,
        achievementId,
        issuer,
        title,
        credits,
        ...(level === undefined ? {} : { level }),
        recognisedAt,
      };
      return { ...state, priorLearning: [...state.priorLearning, entry] };
    }
    case 'QualificationConferred': {
      const { qualificationId, pathwayId, issuerId, version, awardTitle, awardType, credits, level, conferredAt } =
        event.data;
      if (state.qualifications.some((entry) => entry.qualificationId === qualificationId)) return state;
      const entry: TranscriptQualificationEntry = {
        qualificationId,
        pathwayId,
        issuerId,
        version,
        title: awardTitle,
        awardType,
        credits,
        level,
        status: 'conferred',
        conferredAt,
      };
      return { ...state, qualifications: [...state.qualifications, entry] };
    }
    case 'QualificationBasisInvalidated':
      return endQualification(state, event.data.qualificationId, 'invalidated', event.data.reason, event.data.at);
    case 'QualificationRevoked':
      return endQualification(state, event.data.qualificationId, 'revoked', event.data.reason, event.data.at);
    default:
      return state;
  }
}

/** The transcript after the given events (those of other learners are skipped). */
export const foldTranscript = (learnerId: string, events: readonly TranscriptEventInput[]): TranscriptState =>
  events.reduce(evolveTranscript, initialTranscript(learnerId));

/** What one issuer's staff may see of a learner: the record streams of these achievements, the qualifications of these pathways. */
export type TranscriptScope = {
  readonly achievementIds: ReadonlySet<string>;
  readonly pathwayIds: ReadonlySet<string>;
};

/**
 * The part of a folded transcript a scope covers: awards and prior learning of its achievements, qualifications of its
 * pathways. The live read model and the as-of replay both fold everything and are scoped here, once.
 */
export const scopeTranscript = (state: TranscriptState, scope: TranscriptScope): TranscriptState => ({
  learnerId: state.learnerId,
  awards: state.awards.filter((award) => scope.achievementIds.has(award.achievementId)),
  qualifications: state.qualifications.filter((entry) => scope.pathwayIds.has(entry.pathwayId)),
  priorLearning: state.priorLearning.filter((entry) => scope.achievementIds.has(entry.achievementId)),
});

// The transcript as shown (DESIGN §6)

/** The title and kind of an achievement version, from the catalogue. */
export type AchievementSummary = { title: string; kind: AchievementKind };
export type AchievementLookup = (achievementId: string, version: number) => AchievementSummary | undefined;

export type TranscriptAward = {
  awardId: string;
  achievementId: string;
  issuerId: string;
  version: number;
  /** The achievement version's title; the achievement id when the catalogue does not know it. */
  title: string;
  kind?: AchievementKind;
  status: AwardStatus;
  issuedAt: string;
  validUntil?: string;
  credits: Credit[];
  level: Level;
};

/** A qualification as the transcript shows it: as the fold keeps it, less the reason it ended (the history has it). */
export type TranscriptQualification = Omit<TranscriptQualificationEntry, 'reason'>;

/**
 * Credit of valid awards in one framework. `stated`: the sum of amounts awarded in this framework; `value`: every
 * valid award counted once — its amount in this framework when it states one, else converted from what it states;
 * `basis`: `official` unless a conversion used is a convention.
 */
export type TranscriptCreditTotal = {
  framework: string;
  value: number;
  basis: ConversionBasis;
  stated: number;
  /** How many valid awards were converted into this framework rather than stated in it. */
  converted: number;
};

export type Transcript = {
  learnerId: string;
  /** As the ledger knew it at this instant (by when events were recorded). */
  asOf?: string;
  /** As the ledger stood just after the event at this global position (a decimal string). */
  asOfPosition?: string;
  /** What the learner had achieved by this instant (by when things happened), as the ledger knows it now. */
  effectiveAt?: string;
  awards: TranscriptAward[];
  qualifications: TranscriptQualification[];
  creditTotals: TranscriptCreditTotal[];
  priorLearning: TranscriptRecognitionEntry[];
};

const ORDER = new Map<string, number>(CREDIT_FRAMEWORK_IDS.map((id, index) => [id, index]));
const byFramework = (a: string, b: string): number =>
  (ORDER.get(a) ?? ORDER.size) - (ORDER.get(b) ?? ORDER.size) || (a < b ? -1 : a > b ? 1 : 0);

/**
 * One award's credit in a framework: stated, else converted from one of its stated amounts (an official conversion
 * preferred, then the order stated). Undefined when it states nothing convertible.
 */
function creditIn(
  credits: readonly Credit[],
  framework: string,
): { value: number; basis: ConversionBasis; converted: boolean } | undefined {
  const stated = credits.filter((credit) => credit.framework === framework);
  if (stated.length > 0)
    return { value: stated.reduce((sum, credit) => sum + credit.value, 0), basis: 'official', converted: false };
  if (!isCreditFramework(framework)) return undefined;
  const convertible = credits.filter((credit) => isCreditFramework(credit.framework));
  const source =
    convertible.find((credit) => findConversionStep(credit.framework, framework)?.basis === 'official') ??
    convertible[0];
  if (!source) return undefined;
  const conversion = convertCredits(source.value, source.framework, framework);
  return { value: conversion.result, basis: conversion.basis, converted: true };
}

/** Totals over the given (valid) awards, in every framework they state and in ECTS. */
export function creditTotals(awards: ReadonlyArray<{ credits: readonly Credit[] }>): TranscriptCreditTotal[] {
  const frameworks = new Set<string>(['ECTS']);
  for (const award of awards) for (const credit of award.credits) frameworks.add(credit.framework);
  if (awards.length === 0) return [];
  return [...frameworks].sort(byFramework).map((framework) => {
    let hundredths = 0;
    let stated = 0;
    let converted = 0;
    let basis: ConversionBasis = 'official';
    for (const award of awards) {
      const credit = creditIn(award.credits, framework);
      if (!credit) continue;
      hundredths += Math.round(roundCredits(credit.value) * 100);
      if (credit.converted) converted += 1;
      else stated += credit.value;
      if (credit.basis === 'convention') basis = 'convention';
    }
    return { framework, value: hundredths / 100, basis, stated: roundCredits(stated), converted };
  });
}

/**
 * The transcript at an instant: each award's status at `at` (expired from `validUntil` on), qualifications as last
 * decided, credit totals over the awards valid at `at`. `asOf` is echoed when given (an as-of replay).
 */
export function transcriptAt(
  state: TranscriptState,
  at: string,
  options: { catalogue?: AchievementLookup; asOf?: string } = {},
): Transcript {
  const awards = state.awards.map((entry): TranscriptAward => {
    const summary = options.catalogue?.(entry.achievementId, entry.version);
    return {
      awardId: entry.awardId,
      achievementId: entry.achievementId,
      issuerId: entry.issuerId,
      version: entry.version,
      title: summary?.title ?? entry.achievementId,
      ...(summary ? { kind: summary.kind } : {}),
      status: awardStatusAt(entry, at),
      issuedAt: entry.issuedAt,
      ...(entry.validUntil === undefined ? {} : { validUntil: entry.validUntil }),
      credits: entry.credits,
      level: entry.level,
    };
  });
  const qualifications = state.qualifications.map((entry): TranscriptQualification => ({
    qualificationId: entry.qualificationId,
    pathwayId: entry.pathwayId,
    issuerId: entry.issuerId,
    version: entry.version,
    title: entry.title,
    awardType: entry.awardType,
    status: entry.status,
    conferredAt: entry.conferredAt,
    ...(entry.endedAt === undefined ? {} : { endedAt: entry.endedAt }),
    credits: entry.credits,
    level: entry.level,
  }));
  return {
    learnerId: state.learnerId,
    ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
    awards,
    qualifications,
    creditTotals: creditTotals(awards.filter((award) => award.status === 'valid')),
    priorLearning: state.priorLearning,
  };
}

/**
 * The fold's state at an effective date: what had happened by `effectiveAt` — awards made by then (moved from another
 * system, some were made long before they were recorded) in the standing their changes gave them by then,
 * qualifications conferred by then and not yet ended, prior learning recognised by then — as the ledger knows it now.
 * The transcript at an effective date shows it (`transcriptEffectiveAt`); pathway progress and the CLR at an effective
 * date read it too, so all three agree.
 */
export function transcriptStateEffectiveAt(state: TranscriptState, effectiveAt: string): TranscriptState {
  const by = (at: string) => compareInstants(at, effectiveAt) <= 0;
  const awards = state.awards
    .filter((award) => by(award.issuedAt))
    .map((award) => ({
      ...award,
      standing: (award.standingChanges ?? []).filter((change) => by(change.at)).at(-1)?.standing ?? 'active',
    }));
  const qualifications = state.qualifications
    .filter((qualification) => by(qualification.conferredAt))
    .map(({ endedAt, reason, ...qualification }) =>
      endedAt !== undefined && !by(endedAt)
        ? { ...qualification, status: 'conferred' as const }
        : {
            ...qualification,
            ...(endedAt === undefined ? {} : { endedAt }),
            ...(reason === undefined ? {} : { reason }),
          },
    );
  const priorLearning = state.priorLearning.filter((entry) => by(entry.recognisedAt));
  return { ...state, awards, qualifications, priorLearning };
}

/** The transcript at an effective date: the fold's state then (`transcriptStateEffectiveAt`), each status at it. */
export function transcriptEffectiveAt(
  state: TranscriptState,
  effectiveAt: string,
  options: { catalogue?: AchievementLookup } = {},
): Transcript {
  return { ...transcriptAt(transcriptStateEffectiveAt(state, effectiveAt), effectiveAt, options), effectiveAt };
}

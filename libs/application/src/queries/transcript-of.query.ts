import {
  DomainError,
  type Achievement,
  achievementDecider,
  type AchievementEvent,
  type AchievementLookup,
  achievementStream,
  type AchievementSummary,
  foldTranscript,
  initialTranscript,
  learnerStream,
  parseInstant,
  type Transcript,
  transcriptAt,
  transcriptEffectiveAt,
  type TranscriptState,
} from '@app/domain';
import { achievementLookup, achievementSummaries, loadTranscriptRead, transcriptProjection } from '@app/read-models';
import type { EventStore } from '@app/event-store';
import { readLearnerLedger } from '../learner-ledger';
import { StreamCommands } from '../stream-commands';
import { type LearnerView, scopedTranscript, type ViewOfLearner, wholeLearner } from './learner-view';
import { ledgerSourceOf, type ReadModels, type ReadSide, type TranscriptRead } from './read-side';

export interface TranscriptOptions {
  /** As the ledger stood then: the learner's streams replayed up to it through the live projection's fold. */
  readonly asOf?: Date;
  /**
   * What the learner had achieved by then, by the dates things happened (a record moved from another system may
   * have happened long before it was recorded), as the ledger knows it now — or as of `asOf` when both are given.
   */
  readonly effectiveAt?: Date;
  /**
   * As the ledger stood just after the event at this global position (events after it left out, whatever their
   * instant): the same replay as `asOf`, by position. Not with `asOf`.
   */
  readonly asOfPosition?: bigint;
  /** A position a command answered with: the live read waits for the transcript read model to reach it. */
  readonly minPosition?: string;
  /** What the caller may see of the learner; everything when not given. */
  readonly view?: ViewOfLearner;
}

/**
 * A learner's transcript — awards with their status, qualifications, credit totals — now, as of an instant or at an
 * effective date: what
 * `GET /learners/:id/transcript` answers and `tessera transcript` prints. Now, from the transcript read model when the
 * caller has one running, else replayed from the ledger like an `asOf`.
 */
export async function transcriptOf(
  read: ReadSide,
  learnerId: string,
  options: TranscriptOptions = {},
): Promise<Transcript> {
  learnerStream(learnerId); // a malformed learner id is a 400
  const { asOf, asOfPosition } = options;
  if (asOf !== undefined && asOfPosition !== undefined)
    throw new DomainError('invalid-field', 'asOf and asOfPosition each name a point of the ledger: give one of them', [
      { path: 'asOfPosition', code: 'invalid-field', message: 'give asOf or asOfPosition, not both' },
    ]);
  const { readModels } = read;
  const viewOf = options.view ?? wholeLearner;
  let state: TranscriptState;
  let view: LearnerView;
  let at: string;
  if (asOf !== undefined || asOfPosition !== undefined || readModels === undefined) {
    const { events } = await readLearnerLedger(ledgerSourceOf(read), learnerId, asOfPosition ?? asOf);
    // By position, statuses are read at the instant the last event up to it was recorded.
    at = (asOfPosition === undefined ? (asOf ?? new Date()) : (events.at(-1)?.recordedAt ?? new Date())).toISOString();
    view = await viewOf(events.at(-1)?.position);
    state = foldTranscript(learnerId, events);
  } else {
    const live = await liveTranscriptRead(readModels, learnerId, options.minPosition);
    // Whose streams the awards read are, as far as the transcript read model has got
    view = await viewOf(live.checkpoint);
    if (options.effectiveAt === undefined && readModels.transcripts)
      return keptAnswer(live, view, () => answerNow(read, live.state ?? initialTranscript(learnerId), view));
    state = live.state ?? initialTranscript(learnerId);
    at = new Date().toISOString();
  }
  state = scopedTranscript(view, state);
  const catalogue = await catalogueFor(read, state);
  const recorded =
    asOfPosition !== undefined ? { asOfPosition: asOfPosition.toString() } : asOf !== undefined ? { asOf: at } : {};
  const { learnerId: learner, ...shown } =
    options.effectiveAt === undefined
      ? transcriptAt(state, at, { catalogue })
      : transcriptEffectiveAt(state, options.effectiveAt.toISOString(), { catalogue });
  return { learnerId: learner, ...recorded, ...shown };
}

/** A live answer now, and until when it holds: the first instant an award it shows valid expires. */
interface KeptAnswer {
  readonly transcript: Transcript;
  /** Epoch ms; the answer is kept only while the catalogue named every award's achievement. */
  readonly until: number;
}

/**
 * Live answers from a kept transcript row, by view: the answer is a function of the row, the streams the view shows,
 * the catalogue (which never changes for a version) and the instant only through the awards' expiry. So it is kept
 * with the row (forgotten with it when the learner changes) until an award it shows valid expires.
 */
const answersByRead = new WeakMap<TranscriptRead, Map<string, KeptAnswer>>();

async function keptAnswer(
  live: TranscriptRead,
  view: LearnerView,
  answer: () => Promise<KeptAnswer>,
): Promise<Transcript> {
  let answers = answersByRead.get(live);
  if (!answers) answersByRead.set(live, (answers = new Map()));
  const key = view.all ? '*' : [...view.streams].join('\n');
  const kept = answers.get(key);
  if (kept && Date.now() < kept.until) return kept.transcript;
  const fresh = await answer();
  if (fresh.until > Date.now()) answers.set(key, fresh);
  else answers.delete(key);
  return fresh.transcript;
}

async function answerNow(read: ReadSide, whole: TranscriptState, view: LearnerView): Promise<KeptAnswer> {
  const now = Date.now();
  const state = scopedTranscript(view, whole);
  const catalogue = await catalogueFor(read, state);
  const transcript = transcriptAt(state, new Date(now).toISOString(), { catalogue });
  let until = Number.POSITIVE_INFINITY;
  for (const award of state.awards) {
    // A version the catalogue does not know yet is shown by its id: asked again next time, so not kept.
    if (!catalogue(award.achievementId, award.version)) until = now;
    const expires = award.validUntil === undefined ? undefined : (parseInstant(award.validUntil) ?? now);
    if (award.standing === 'active' && expires !== undefined && expires > now) until = Math.min(until, expires);
  }
  return { transcript, until };
}

/**
 * The learner's transcript row and the read model's position: kept from an earlier read while no change to the learner
 * has been heard since (and, for `minPosition`, when that read was already at it), else read — after waiting for
 * `minPosition` — and kept.
 */
async function liveTranscriptRead(
  readModels: ReadModels,
  learnerId: string,
  minPosition: string | undefined,
): Promise<TranscriptRead> {
  const kept = readModels.transcripts?.get(learnerId);
  if (kept && (minPosition === undefined || (kept.checkpoint !== undefined && kept.checkpoint >= BigInt(minPosition))))
    return kept;
  await readModels.waitFor(transcriptProjection.name, minPosition);
  const read = () => loadTranscriptRead(readModels.query, learnerId);
  return readModels.transcripts ? readModels.transcripts.load(learnerId, read) : read();
}

/**
 * An achievement version's title and kind never change (a revision is a new version), so each is read once per store
 * and kept: a transcript answer reads the catalogue only for versions it has not met before.
 */
const summariesByStore = new WeakMap<EventStore, Map<string, AchievementSummary>>();
const MAX_KEPT_SUMMARIES = 20_000;

async function catalogueFor(read: ReadSide, state: TranscriptState): Promise<AchievementLookup> {
  let kept = summariesByStore.get(read.store);
  if (!kept) summariesByStore.set(read.store, (kept = new Map()));
  const key = (achievementId: string, version: number) => `${version}:${achievementId}`;
  const unknown = state.awards.filter((award) => !kept.has(key(award.achievementId, award.version)));
  if (unknown.length > 0) {
    const lookup = achievementLookup(await achievementsOf(read, unknown));
    if (kept.size > MAX_KEPT_SUMMARIES) kept.clear();
    for (const { achievementId, version } of unknown) {
      const summary = lookup(achievementId, version);
      // A version the catalogue does not know yet is asked again next time.
      if (summary) kept.set(key(achievementId, version), summary);
    }
  }
  const summaries = kept;
  return (achievementId, version) => summaries.get(key(achievementId, version));
}

/** The achievements the awards name: from the catalogue, else (not projected yet, or no read models) their streams. */
async function achievementsOf(
  read: ReadSide,
  awards: ReadonlyArray<{ achievementId: string }>,
): Promise<Map<string, Achievement>> {
  const ids = [...new Set(awards.map((award) => award.achievementId))];
  const found = read.readModels ? await achievementSummaries(read.readModels.query, ids) : new Map();
  const streams = new StreamCommands(read.store);
  for (const id of ids.filter((id) => !found.has(id)))
    found.set(id, await streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider));
  return found;
}

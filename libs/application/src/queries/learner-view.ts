import {
  DomainError,
  learnerStream,
  parseQualificationStream,
  parseRecordStream,
  scopeTranscript,
  type TranscriptScope,
  type TranscriptState,
} from '@app/domain';
import type { LearnerStreamHolding } from '@app/read-models';

/**
 * What a caller sees of a learner: everything (the learner themself, the CLI), or the streams their token's issuers
 * hold (`issuers`: those of the token that hold any; `streams`: the stream names, the learner's own stream included;
 * `scope`: their transcript part).
 */
export type LearnerView =
  | { readonly all: true }
  | {
      readonly all: false;
      readonly issuers: readonly string[];
      readonly streams: ReadonlySet<string>;
      readonly scope: TranscriptScope;
    };

/**
 * The view a query answers within, given the position of the last event the answer is built from (so the holdings
 * read are at least that recent). It refuses (throws) when the caller may not reach the learner at all.
 */
export type ViewOfLearner = (readUpTo: bigint | undefined) => Promise<LearnerView>;

/** Everything: the learner themself, or the CLI, which acts for every issuer. */
export const wholeLearner: ViewOfLearner = () => Promise.resolve({ all: true });

/** Whether the view shows this stream's events. */
export const showsStream = (view: LearnerView, stream: string): boolean => view.all || view.streams.has(stream);

/** The part of a folded transcript the view shows. */
export const scopedTranscript = (view: LearnerView, state: TranscriptState): TranscriptState =>
  view.all ? state : scopeTranscript(state, view.scope);

/**
 * The view of staff whose issuers hold `holdings` of a learner (issue 13): record streams of their achievements
 * (evidence included), qualifications of their pathways, a profile their registrar recorded — as the learner-issuers
 * read model has them, never from a scan of the log. 404 `unknown-learner` when they hold nothing of the learner.
 */
export function issuersView(learnerId: string, holdings: readonly LearnerStreamHolding[]): LearnerView {
  if (holdings.length === 0)
    throw new DomainError('unknown-learner', `the issuers of this token hold no record of the learner ${learnerId}`);
  // The learner's own stream says only that a profile was given or erased: staff who reach the learner see it.
  const streams = new Set([learnerStream(learnerId), ...holdings.map((holding) => holding.stream)]);
  return {
    all: false,
    issuers: [...new Set(holdings.map((holding) => holding.issuerId))].sort(),
    streams,
    scope: {
      achievementIds: new Set([...streams].flatMap((stream) => parseRecordStream(stream)?.achievementId ?? [])),
      pathwayIds: new Set([...streams].flatMap((stream) => parseQualificationStream(stream)?.pathwayId ?? [])),
    },
  };
}

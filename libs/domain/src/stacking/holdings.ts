import type { AchievementKind, Credit, Level } from '../achievement/achievement.definition';
import type { AwardStanding, LearnerRecord } from '../record/record.state';

/**
 * One award the learner holds or held, as its record keeps it (`AwardEntry` plus the achievement it is of). Whether it
 * counts is decided at the instant evaluated: only an award that is valid then counts — issued by then (when
 * `issuedAt` is given), neither suspended nor revoked, and not expired (`validUntil` on is expired).
 */
export type HeldAward = {
  awardId: string;
  achievementId: string;
  /** The credit snapshot of the award: what it was awarded with. */
  credits: readonly Credit[];
  /** The level snapshot of the award. */
  level: Level;
  /** The achievement's kind; when left out, the catalogue's. */
  kind?: AchievementKind;
  issuedAt?: string;
  validUntil?: string;
  standing: AwardStanding;
};

/**
 * Recognised prior learning: credit from an external credential, recorded against one achievement (a
 * PriorLearningRecognised event). It is credit only: it counts in `credits` nodes, never as holding an achievement.
 */
export type RecognisedLearning = {
  recognitionId: string;
  /** The achievement it was recorded against. */
  achievementId: string;
  credits: readonly Credit[];
  /** Its level when recorded; when left out, the level of the achievement it was recorded against. */
  level?: Level;
  /** When it was recorded: for another issuer's achievement, it counts only under a recognition in force then. */
  recognisedAt?: string;
};

/** What a learner brings to an evaluation. Order never matters; ids must be unique within each list. */
export type Holdings = {
  awards: readonly HeldAward[];
  priorLearning?: readonly RecognisedLearning[];
  /** Pathways conferred on the learner and not revoked or invalidated: a `{ pathway }` rule naming one is satisfied. */
  completedPathways?: readonly string[];
};

const byId =
  <T>(id: (item: T) => string) =>
  (a: T, b: T) =>
    id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;

/**
 * The holdings a learner's records give (one record per achievement: `record-{learnerId}~{achievementId}`), every
 * award and recognition of them, in id order (the order `evaluate` reads fastest). Kinds come from the catalogue.
 */
export function holdingsFromRecords(
  records: readonly { achievementId: string; record: Pick<LearnerRecord, 'awards' | 'recognitions'> }[],
  completedPathways: readonly string[] = [],
): Holdings {
  const awards: HeldAward[] = records.flatMap(({ achievementId, record }) =>
    record.awards.map(({ awardId, credits, level, issuedAt, validUntil, standing }) => ({
      awardId,
      achievementId,
      credits,
      level,
      issuedAt,
      ...(validUntil === undefined ? {} : { validUntil }),
      standing,
    })),
  );
  const priorLearning: RecognisedLearning[] = records.flatMap(({ achievementId, record }) =>
    record.recognitions.map(({ recognitionId, credits, level, recognisedAt }) => ({
      recognitionId,
      achievementId,
      credits,
      ...(level === undefined ? {} : { level }),
      recognisedAt,
    })),
  );
  return {
    awards: awards.sort(byId((award) => award.awardId)),
    priorLearning: priorLearning.sort(byId((recognition) => recognition.recognitionId)),
    completedPathways: [...completedPathways],
  };
}

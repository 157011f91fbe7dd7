import type { Credit, Level } from '../achievement/achievement.definition';
import type { Conferral } from '../pathway/pathway.definition';
import type { Command } from '../shared/decider';

/** What a qualification rests on: the learner's awards, recognised prior learning and nested qualifications. */
export type QualificationBasis = { awardIds: string[]; recognitionIds: string[]; pathwayQualificationIds: string[] };

/**
 * Confers the award of a pathway version on a learner. The caller (the conferral process manager, or the registrar's
 * handler) evaluates the version's rule with the stacking engine and passes the outcome in `evaluation` (any object
 * with `satisfied`, such as the engine's progress, will do), with the basis and the credits earned it found.
 */
export type ConferQualification = Command<
  'ConferQualification',
  {
    learnerId: string;
    pathwayId: string;
    /** Created by the caller. */
    qualificationId: string;
    /** The pathway version conferred: the one the learner started under, unless a registrar migrated them. */
    version: number;
    basis: QualificationBasis;
    /** Credits earned, as the stacking engine counted them (each award once). */
    credits: Credit[];
    /** The level of the award, normally that of the version's award. */
    level: Level;
    conferral: Conferral;
    evaluation: { satisfied: boolean };
  }
>;

/** The basis lost one or more of the awards (or recognitions, or nested qualifications) it rests on. */
export type InvalidateQualification = Command<
  'InvalidateQualification',
  { learnerId: string; pathwayId: string; qualificationId: string; reason: string; lostAwardIds: string[] }
>;

export type RevokeQualification = Command<
  'RevokeQualification',
  { learnerId: string; pathwayId: string; qualificationId: string; reason: string }
>;

export type QualificationCommand = ConferQualification | InvalidateQualification | RevokeQualification;

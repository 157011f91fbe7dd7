import type { Credit, Level } from '../achievement/achievement.definition';
import type { AwardType, Conferral } from '../pathway/pathway.definition';
import type { Event } from '../shared/decider';
import type { QualificationBasis } from './qualification.commands';

/**
 * Stream `qualification-{learnerId}~{pathwayId}`: one learner's qualifications from one pathway, the consistency
 * boundary for "one qualification in force per learner and pathway". Every event names the learner, the pathway and
 * the qualification, so a projection needs no stream name to place it.
 */
type QualificationData = { schemaVersion: 1; learnerId: string; pathwayId: string; qualificationId: string };

export type QualificationConferred = Event<
  'QualificationConferred',
  QualificationData & {
    /** The issuer of the pathway, the awarding body of the qualification. */
    issuerId: string;
    version: number;
    basis: QualificationBasis;
    credits: Credit[];
    level: Level;
    /** Snapshots of the version's award. */
    awardTitle: string;
    awardType: AwardType;
    conferral: Conferral;
    conferredAt: string;
    conferredBy: string;
  }
>;

export type QualificationBasisInvalidated = Event<
  'QualificationBasisInvalidated',
  QualificationData & { reason: string; lostAwardIds: string[]; at: string; by: string }
>;

export type QualificationRevoked = Event<
  'QualificationRevoked',
  QualificationData & { reason: string; at: string; by: string }
>;

export type QualificationEvent = QualificationConferred | QualificationBasisInvalidated | QualificationRevoked;

export const QUALIFICATION_EVENT_TYPES: readonly QualificationEvent['type'][] = [
  'QualificationConferred',
  'QualificationBasisInvalidated',
  'QualificationRevoked',
];

export const isQualificationEvent = (event: { type: string }): event is QualificationEvent =>
  (QUALIFICATION_EVENT_TYPES as readonly string[]).includes(event.type);

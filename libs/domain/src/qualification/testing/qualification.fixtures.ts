import type { Actor } from '../../shared/actor';
import { ISSUER_ID, OTHER_ISSUER_ID, registrar } from '../../shared/testing/actors';
import { foldPathway } from '../../pathway/pathway.decider';
import type { PathwayEvent } from '../../pathway/pathway.events';
import { PATHWAY_ID, pathwayDefined } from '../../pathway/testing/pathway.fixtures';
import type { QualificationContext } from '../confer-qualification';
import { CONFERRAL_ACTOR } from '../qualification.actors';
import type {
  ConferQualification,
  InvalidateQualification,
  QualificationBasis,
  RevokeQualification,
} from '../qualification.commands';
import type {
  QualificationBasisInvalidated,
  QualificationConferred,
  QualificationRevoked,
} from '../qualification.events';

export { PATHWAY_ID };
export const LEARNER_ID = '7f3c2a10-5b4e-4c1d-9a8f-0e6d5c4b3a21';
export const QUALIFICATION_ID = 'q-python-developer-1';
export const AWARD_IDS = ['aw-python-basics', 'aw-python-testing'];
export const RECOGNITION_ID = 'rpl-1';
export const NESTED_QUALIFICATION_ID = 'q-python-foundations-1';
export const CONFERRED_AT = '2026-04-01T12:00:00.000Z';
export const ENDED_AT = '2026-05-15T09:00:00.000Z';

export const otherRegistrar: Actor = { sub: 'registrar-9', roles: ['registrar'], issuers: [OTHER_ISSUER_ID] };

type Metadata = { now?: string; actor?: Actor };

export const basis = (): QualificationBasis => ({
  awardIds: [...AWARD_IDS],
  recognitionIds: [RECOGNITION_ID],
  pathwayQualificationIds: [NESTED_QUALIFICATION_ID],
});

/** The pathway, as the handler loads it: by default version 1, conferred automatically. */
export const contextWith = (...events: PathwayEvent[]): QualificationContext => ({
  pathway: foldPathway(events.length === 0 ? [pathwayDefined()] : events),
});

/** The process manager confers version 1, the rule being met. */
export const conferQualification = (
  data: Partial<ConferQualification['data']> = {},
  metadata: Metadata = {},
): ConferQualification => ({
  type: 'ConferQualification',
  data: {
    learnerId: LEARNER_ID,
    pathwayId: PATHWAY_ID,
    qualificationId: QUALIFICATION_ID,
    version: 1,
    basis: basis(),
    credits: [{ framework: 'ECTS', value: 12 }],
    level: { framework: 'EQF', level: 5 },
    conferral: 'automatic',
    evaluation: { satisfied: true },
    ...data,
  },
  metadata: { now: CONFERRED_AT, actor: CONFERRAL_ACTOR, ...metadata },
});

/** A registrar of the pathway's issuer confers by hand. */
export const conferByRegistrar = (
  data: Partial<ConferQualification['data']> = {},
  metadata: Metadata = {},
): ConferQualification => conferQualification({ conferral: 'registrar', ...data }, { actor: registrar, ...metadata });

export const qualificationConferred = (data: Partial<QualificationConferred['data']> = {}): QualificationConferred => ({
  type: 'QualificationConferred',
  data: {
    schemaVersion: 1,
    learnerId: LEARNER_ID,
    pathwayId: PATHWAY_ID,
    qualificationId: QUALIFICATION_ID,
    issuerId: ISSUER_ID,
    version: 1,
    basis: basis(),
    credits: [{ framework: 'ECTS', value: 12 }],
    level: { framework: 'EQF', level: 5 },
    awardTitle: 'Certificate in Python Development',
    awardType: 'Certificate',
    conferral: 'automatic',
    conferredAt: CONFERRED_AT,
    conferredBy: CONFERRAL_ACTOR.sub,
    ...data,
  },
});

export const invalidateQualification = (
  data: Partial<InvalidateQualification['data']> = {},
  metadata: Metadata = {},
): InvalidateQualification => ({
  type: 'InvalidateQualification',
  data: {
    learnerId: LEARNER_ID,
    pathwayId: PATHWAY_ID,
    qualificationId: QUALIFICATION_ID,
    reason: 'The award aw-python-testing was revoked',
    lostAwardIds: [AWARD_IDS[1]],
    ...data,
  },
  metadata: { now: ENDED_AT, actor: CONFERRAL_ACTOR, ...metadata },
});

export const qualificationBasisInvalidated = (
  data: Partial<QualificationBasisInvalidated['data']> = {},
): QualificationBasisInvalidated => ({
  type: 'QualificationBasisInvalidated',
  data: {
    schemaVersion: 1,
    learnerId: LEARNER_ID,
    pathwayId: PATHWAY_ID,
    qualificationId: QUALIFICATION_ID,
    reason: 'The award aw-python-testing was revoked',
    lostAwardIds: [AWARD_IDS[1]],
    at: ENDED_AT,
    by: CONFERRAL_ACTOR.sub,
    ...data,
  },
});

export const revokeQualification = (
  data: Partial<RevokeQualification['data']> = {},
  metadata: Metadata = {},
): RevokeQualification => ({
  type: 'RevokeQualification',
  data: {
    learnerId: LEARNER_ID,
    pathwayId: PATHWAY_ID,
    qualificationId: QUALIFICATION_ID,
    reason: 'Academic misconduct',
    ...data,
  },
  metadata: { now: ENDED_AT, actor: registrar, ...metadata },
});

export const qualificationRevoked = (data: Partial<QualificationRevoked['data']> = {}): QualificationRevoked => ({
  type: 'QualificationRevoked',
  data: {
    schemaVersion: 1,
    learnerId: LEARNER_ID,
    pathwayId: PATHWAY_ID,
    qualificationId: QUALIFICATION_ID,
    reason: 'Academic misconduct',
    at: ENDED_AT,
    by: registrar.sub,
    ...data,
  },
});

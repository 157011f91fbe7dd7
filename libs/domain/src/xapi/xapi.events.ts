import type { Event } from '../shared/decider';

/**
 * Stream `xapi-{issuerId}`: how an issuer's learning platforms reach the ledger — the xAPI clients it let in (only a
 * SHA-256 of each secret, never the secret) and, per achievement, which statements count as evidence of which
 * criterion. One stream per issuer, so that a statement's credentials and the mappings it is matched against are read
 * together, in one round trip.
 */
type XapiData = { schemaVersion: 1; issuerId: string };

/** A scaled score (xAPI `result.score.scaled`, -1..1) at or above `minScaled` reaches this rubric level. */
export type XapiAssessLevel = { name: string; minScaled: number; met: boolean };

/**
 * Which statements count as evidence of a criterion: the verb, and the activity (by id or by type); optionally only
 * a successful one, or one scored at least `minScaled`. With `assess`, the score also assesses the criterion.
 */
export type XapiRule = {
  criterionId: string;
  verb: string;
  activityId?: string;
  activityType?: string;
  success?: boolean;
  minScaled?: number;
  assess?: { levels: XapiAssessLevel[] };
};

export type XapiClientRegistered = Event<
  'XapiClientRegistered',
  XapiData & {
    clientId: string;
    /** SHA-256 (hex) of the secret, which was answered once and is kept nowhere else. */
    secretHash: string;
    name: string;
    registeredBy: string;
    registeredAt: string;
  }
>;

export type XapiClientRevoked = Event<
  'XapiClientRevoked',
  XapiData & { clientId: string; revokedBy: string; revokedAt: string }
>;

/** The achievement's mapping, whole: each revision replaces the one before (no rules: nothing counts any more). */
export type XapiMappingSet = Event<
  'XapiMappingSet',
  XapiData & { achievementId: string; revision: number; rules: XapiRule[]; setBy: string; setAt: string }
>;

export type XapiEvent = XapiClientRegistered | XapiClientRevoked | XapiMappingSet;

export const XAPI_EVENT_TYPES: readonly XapiEvent['type'][] = [
  'XapiClientRegistered',
  'XapiClientRevoked',
  'XapiMappingSet',
];

export const isXapiEvent = (event: { type: string }): event is XapiEvent =>
  (XAPI_EVENT_TYPES as readonly string[]).includes(event.type);

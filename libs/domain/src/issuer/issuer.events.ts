import type { Event } from '../shared/decider';

/** Stream `issuer-{issuerId}`. */
export type IssuerRegistered = Event<
  'IssuerRegistered',
  {
    schemaVersion: 1;
    issuerId: string;
    name: string;
    url: string;
    /** ISO 3166-1 alpha-2. */
    country: string;
    /** The quality assurance body or arrangement (EU Annex I: type of quality assurance). */
    qualityAssurance: string;
    /** The national qualifications framework the issuer references, e.g. NFQ, RQF, SCQF, EQF. */
    framework?: string;
    registeredAt: string;
    registeredBy: string;
  }
>;

/** Reserved for the credentials lib: the issuer's signing key changed. Nothing in this lib emits it yet. */
export type IssuerKeyRotated = Event<
  'IssuerKeyRotated',
  {
    schemaVersion: 1;
    issuerId: string;
    keyId: string;
    rotatedAt: string;
  }
>;

export type IssuerEvent = IssuerRegistered | IssuerKeyRotated;

export const ISSUER_EVENT_TYPES: readonly IssuerEvent['type'][] = ['IssuerRegistered', 'IssuerKeyRotated'];

export const isIssuerEvent = (event: { type: string }): event is IssuerEvent =>
  (ISSUER_EVENT_TYPES as readonly string[]).includes(event.type);

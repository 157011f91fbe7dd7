import type { Event } from '../shared/decider';
import { type RecognitionEvent, RECOGNITION_EVENT_TYPES } from './recognition.events';

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

/** An Ed25519 public key as a Multikey: its verification method id and its multibase public key. */
export type IssuerMultikey = { id: string; publicKeyMultibase: string };

/**
 * The issuer's signing key changed: `keyId` signs from `rotatedAt` on, and the previous key (if any) signed until
 * then. The issuer's first key is recorded the same way, without a previous key. Old keys stay published with their
 * window, so what they signed still verifies.
 */
export type IssuerKeyRotated = Event<
  'IssuerKeyRotated',
  {
    schemaVersion: 1;
    issuerId: string;
    /** `{publicUrl}/issuers/{issuerId}#{JWK thumbprint}`. */
    keyId: string;
    /** The public JWK (public members only). */
    publicJwk: { [member: string]: string };
    /**
     * The Ed25519 key made beside it, signing Data Integrity proofs (eddsa-rdfc-2022) in the same window:
     * `{issuer profile id}#{publicKeyMultibase}`. Absent on keys recorded before Data Integrity proofs.
     */
    multikey?: IssuerMultikey;
    /** When this key began signing, and the previous key stopped. */
    rotatedAt: string;
    previousKeyId?: string;
    rotatedBy: string;
  }
>;

/**
 * The issuer reported `keyId` leaked from `since` on: from now nothing it signed is trusted (the verifier cannot know
 * when a JWT was really signed), and it is no longer published. Never the current key: the issuer rotates first.
 */
export type IssuerKeyCompromised = Event<
  'IssuerKeyCompromised',
  {
    schemaVersion: 1;
    issuerId: string;
    keyId: string;
    /** When the issuer believes the leak began, within the key's life. */
    since: string;
    reportedAt: string;
    reportedBy: string;
  }
>;

/**
 * What a compromised key may have signed, now signed by `keyId` (the current key) instead: every credential is signed
 * on demand, so from this event on the records listed are served signed by it, with the same status entries.
 */
export type IssuerCredentialsResigned = Event<
  'IssuerCredentialsResigned',
  {
    schemaVersion: 1;
    issuerId: string;
    compromisedKeyId: string;
    keyId: string;
    awardIds: string[];
    qualificationIds: string[];
    statusListIds: string[];
    resignedAt: string;
  }
>;

export type IssuerEvent =
  IssuerRegistered | IssuerKeyRotated | IssuerKeyCompromised | IssuerCredentialsResigned | RecognitionEvent;

export const ISSUER_EVENT_TYPES: readonly IssuerEvent['type'][] = [
  'IssuerRegistered',
  'IssuerKeyRotated',
  'IssuerKeyCompromised',
  'IssuerCredentialsResigned',
  ...RECOGNITION_EVENT_TYPES,
];

export const isIssuerEvent = (event: { type: string }): event is IssuerEvent =>
  (ISSUER_EVENT_TYPES as readonly string[]).includes(event.type);

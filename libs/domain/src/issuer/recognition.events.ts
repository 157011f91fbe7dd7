import type { Event } from '../shared/decider';

/** What a recognition agreement says: whose achievements (every one, or those listed) count, from when until when. */
export type RecognitionTerms = {
  recognisedIssuerId: string;
  achievementIds: 'all' | string[];
  from: string;
  until?: string;
  /** The agreement's reference (a contract number, a URL) and a note, as given. */
  agreement?: string;
  note?: string;
};

/**
 * The issuer (`issuerId`) recognises another issuer's achievements for its own pathways: a credit-transfer agreement.
 * Awards of them made within [from, until) count toward its pathways.
 */
export type RecognitionRecorded = Event<
  'RecognitionRecorded',
  RecognitionTerms & {
    schemaVersion: 1;
    issuerId: string;
    recognitionId: string;
    recordedAt: string;
    recordedBy: string;
  }
>;

/**
 * The recognition ends at `effectiveAt` (never before it was recorded): awards made from then on no longer count. What
 * was made before keeps counting, so no qualification already conferred is taken away.
 */
export type RecognitionWithdrawn = Event<
  'RecognitionWithdrawn',
  {
    schemaVersion: 1;
    issuerId: string;
    recognitionId: string;
    effectiveAt: string;
    reason?: string;
    withdrawnAt: string;
    withdrawnBy: string;
  }
>;

export type RecognitionEvent = RecognitionRecorded | RecognitionWithdrawn;

export const RECOGNITION_EVENT_TYPES: readonly RecognitionEvent['type'][] = [
  'RecognitionRecorded',
  'RecognitionWithdrawn',
];

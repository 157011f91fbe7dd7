import type { IssuerEvent, IssuerMultikey } from './issuer.events';
import { evolveRecognitions, type IssuerRecognition } from './recognition.state';

export type Issuer =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      issuerId: string;
      name: string;
      url: string;
      country: string;
      qualityAssurance: string;
      framework?: string;
      /** Signing keys in the order they were rotated in: the last is current; each earlier one's window is closed. */
      keys: IssuerKey[];
      /** The recognitions of other issuers' achievements it has recorded, withdrawn ones included, in order. */
      recognitions: IssuerRecognition[];
    };

/** A signing key and when it may sign: from `validFrom`, until `validUntil` (absent for the current key). */
export type IssuerKey = {
  keyId: string;
  publicJwk: { [member: string]: string };
  /** The Ed25519 key of the same window, for Data Integrity proofs. */
  multikey?: IssuerMultikey;
  validFrom: string;
  validUntil?: string;
  /** Set once the issuer reported the key leaked (from this instant on): nothing it signed is trusted any more. */
  compromisedSince?: string;
};

/** The key that signs now, if the issuer has one. */
export const currentKey = (issuer: Issuer): IssuerKey | undefined =>
  issuer.status === 'registered' ? issuer.keys.at(-1) : undefined;

export const initialIssuer = (): Issuer => ({ status: 'unregistered' });

export function evolveIssuer(state: Issuer, event: IssuerEvent): Issuer {
  switch (event.type) {
    case 'IssuerRegistered': {
      const { issuerId, name, url, country, qualityAssurance, framework } = event.data;
      return {
        status: 'registered',
        issuerId,
        name,
        url,
        country,
        qualityAssurance,
        ...(framework === undefined ? {} : { framework }),
        keys: [],
        recognitions: [],
      };
    }
    case 'IssuerKeyRotated': {
      if (state.status !== 'registered') return state;
      const { keyId, publicJwk, multikey, rotatedAt } = event.data;
      const closed = state.keys.map((key) => (key.validUntil === undefined ? { ...key, validUntil: rotatedAt } : key));
      return {
        ...state,
        keys: [...closed, { keyId, publicJwk, ...(multikey === undefined ? {} : { multikey }), validFrom: rotatedAt }],
      };
    }
    case 'IssuerKeyCompromised':
      return markCompromised(state, event.data.keyId, event.data.since);
    case 'RecognitionRecorded':
    case 'RecognitionWithdrawn':
      return state.status === 'registered'
        ? { ...state, recognitions: evolveRecognitions(state.recognitions, event) }
        : state;
    default:
      return state;
  }
}

function markCompromised(state: Issuer, keyId: string, since: string): Issuer {
  if (state.status !== 'registered') return state;
  return {
    ...state,
    keys: state.keys.map((key) => (key.keyId === keyId ? { ...key, compromisedSince: since } : key)),
  };
}

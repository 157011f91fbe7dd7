import type { IssuerEvent } from './issuer.events';

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
      /** Key ids in the order they were rotated in; the last is current. */
      keyIds: string[];
    };

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
        keyIds: [],
      };
    }
    case 'IssuerKeyRotated':
      return state.status === 'registered' ? { ...state, keyIds: [...state.keyIds, event.data.keyId] } : state;
    default:
      return state;
  }
}

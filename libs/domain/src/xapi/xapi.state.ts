import type { XapiEvent, XapiRule } from './xapi.events';

export type XapiClient = {
  clientId: string;
  secretHash: string;
  name: string;
  registeredAt: string;
  revokedAt?: string;
};

export type XapiMapping = { achievementId: string; revision: number; rules: XapiRule[]; setAt: string };

/** An issuer's xAPI clients (revoked ones kept, marked) and its mappings by achievement, in the order first set. */
export type XapiIssuer = { clients: XapiClient[]; mappings: XapiMapping[] };

export const initialXapiIssuer = (): XapiIssuer => ({ clients: [], mappings: [] });

export function evolveXapiIssuer(state: XapiIssuer, event: XapiEvent): XapiIssuer {
  switch (event.type) {
    case 'XapiClientRegistered': {
      const { clientId, secretHash, name, registeredAt } = event.data;
      return { ...state, clients: [...state.clients, { clientId, secretHash, name, registeredAt }] };
    }
    case 'XapiClientRevoked':
      return {
        ...state,
        clients: state.clients.map((client) =>
          client.clientId === event.data.clientId ? { ...client, revokedAt: event.data.revokedAt } : client,
        ),
      };
    case 'XapiMappingSet': {
      const { achievementId, revision, rules, setAt } = event.data;
      const mapping = { achievementId, revision, rules, setAt };
      const others = state.mappings.filter((item) => item.achievementId !== achievementId);
      return { ...state, mappings: [...others, mapping] };
    }
    default:
      return state;
  }
}

/** The client that may send statements now: registered and not revoked. */
export const activeXapiClient = (state: XapiIssuer, clientId: string): XapiClient | undefined =>
  state.clients.find((client) => client.clientId === clientId && client.revokedAt === undefined);

export const xapiMappingOf = (state: XapiIssuer, achievementId: string): XapiMapping | undefined =>
  state.mappings.find((mapping) => mapping.achievementId === achievementId);

import type { Command } from '../shared/decider';

/** The secret is made outside the domain (randomness is not the decider's); only its hash arrives here. */
export type RegisterXapiClient = Command<
  'RegisterXapiClient',
  { issuerId: string; clientId: string; secretHash: string; name?: string }
>;

export type RevokeXapiClient = Command<'RevokeXapiClient', { issuerId: string; clientId: string }>;

/** `rules` as the issuer-admin sent them: the decider checks them against the achievement's latest rubric. */
export type SetXapiMapping = Command<'SetXapiMapping', { issuerId: string; achievementId: string; rules: unknown }>;

export type XapiCommand = RegisterXapiClient | RevokeXapiClient | SetXapiMapping;

/** The scopes of the 1EdTech Open Badges 3.0 REST API (ob_v3p0_openapi.json, OAuth2ACG). */
const OB3_SCOPE = 'https://purl.imsglobal.org/spec/ob/v3p0/scope/';

export const OB3_SCOPES = {
  credentialRead: `${OB3_SCOPE}credential.readonly`,
  credentialUpsert: `${OB3_SCOPE}credential.upsert`,
  profileRead: `${OB3_SCOPE}profile.readonly`,
  profileUpdate: `${OB3_SCOPE}profile.update`,
} as const;

/** CLR 2.0 has no OpenAPI document offline; its scope follows the OB 3.0 pattern under the CLR namespace. */
export const CLR_CREDENTIAL_READ_SCOPE = 'https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly';

export const SCOPE_DESCRIPTIONS: Record<string, string> = {
  [OB3_SCOPES.credentialRead]: 'read your Open Badges credentials',
  [OB3_SCOPES.credentialUpsert]: 'add credentials issued elsewhere to your record',
  [OB3_SCOPES.profileRead]: 'read your profile (name and email)',
  [OB3_SCOPES.profileUpdate]: 'change your profile (name and email)',
  [CLR_CREDENTIAL_READ_SCOPE]: 'read your Comprehensive Learner Record',
};

export const ALL_SCOPES: readonly string[] = Object.keys(SCOPE_DESCRIPTIONS);

/** An institution's systems act for an issuer over its learners' credentials, never over a learner's profile. */
export const INSTITUTION_SCOPES: readonly string[] = [
  OB3_SCOPES.credentialRead,
  OB3_SCOPES.credentialUpsert,
  CLR_CREDENTIAL_READ_SCOPE,
];

import { CLR_CREDENTIAL_READ_SCOPE, INSTITUTION_SCOPES, OB3_SCOPES, SCOPE_DESCRIPTIONS } from './ob3-scopes';

const OAUTH = '/ims/ob/v3p0/oauth';

const scopesOf = (scopes: readonly string[]) =>
  Object.fromEntries(scopes.map((scope) => [scope, SCOPE_DESCRIPTIONS[scope]]));

/** An operation of the profiled document: what Tessera serves, with the scope it needs. */
const operation = (operationId: string, scope?: string) => ({
  operationId,
  ...(scope === undefined ? { security: [] } : { security: [{ OAuth2ACG: [scope] }] }),
  responses: { default: { description: 'See the 1EdTech specification' } },
});

const OB3_PATHS = {
  '/credentials': {
    get: operation('getCredentials', OB3_SCOPES.credentialRead),
    post: operation('upsertCredential', OB3_SCOPES.credentialUpsert),
  },
  '/profile': {
    get: operation('getProfile', OB3_SCOPES.profileRead),
    put: operation('putProfile', OB3_SCOPES.profileUpdate),
  },
  '/discovery': { get: operation('getServiceDescription') },
};

const CLR_PATHS = {
  '/credentials': { get: operation('getCredentials', CLR_CREDENTIAL_READ_SCOPE) },
  '/discovery': { get: operation('getServiceDescription') },
};

/**
 * The Service Description Document of `GET /ims/ob/v3p0/discovery` (and of CLR 2.0's, with its scope): a profiled
 * OpenAPI 3.0 document whose OAuth2ACG security scheme names where a wallet registers, authorizes and gets tokens.
 */
export function serviceDescription(publicUrl: string, api: 'ob' | 'clr' = 'ob') {
  const base = api === 'ob' ? `${publicUrl}/ims/ob/v3p0` : `${publicUrl}/ims/clr/v2p0`;
  const learnerScopes = api === 'ob' ? Object.values(OB3_SCOPES) : [CLR_CREDENTIAL_READ_SCOPE];
  return {
    openapi: '3.0.1',
    info: {
      title: api === 'ob' ? 'Tessera: Open Badges 3.0 API' : 'Tessera: CLR 2.0 API',
      version: api === 'ob' ? '3.0' : '2.0',
      description: 'Micro-credentials from an event-sourced ledger',
      termsOfService: `${publicUrl}/docs`,
      'x-imssf-privacyPolicyUrl': `${publicUrl}/docs`,
    },
    servers: [{ url: base }],
    paths: api === 'ob' ? OB3_PATHS : CLR_PATHS,
    components: {
      securitySchemes: {
        OAuth2ACG: {
          type: 'oauth2',
          description: 'OAuth 2.0 authorization code grant with PKCE (S256); clients register dynamically (RFC 7591)',
          'x-imssf-registrationUrl': `${publicUrl}${OAUTH}/register`,
          flows: {
            authorizationCode: {
              authorizationUrl: `${publicUrl}${OAUTH}/authorize`,
              tokenUrl: `${publicUrl}${OAUTH}/token`,
              refreshUrl: `${publicUrl}${OAUTH}/token`,
              scopes: scopesOf(learnerScopes),
            },
            clientCredentials: {
              tokenUrl: `${publicUrl}${OAUTH}/token`,
              scopes: scopesOf(INSTITUTION_SCOPES.filter((scope) => learnerScopes.includes(scope))),
            },
          },
        },
      },
    },
  };
}

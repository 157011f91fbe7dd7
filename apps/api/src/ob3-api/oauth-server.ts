import OAuth2Server from '@node-oauth/oauth2-server';
import type { Request } from 'express';
import type { OAuthStore } from './oauth.store';

/** How long what the OAuth server hands out lives (seconds). */
export const OAUTH_LIFETIMES = { authorizationCode: 60, accessToken: 3600, refreshToken: 30 * 24 * 3600 } as const;

/** The OAuth 2.0 protocol of @node-oauth/oauth2-server over Tessera's store; plain PKCE stays refused (S256 only). */
export function oauthServer(store: OAuthStore): OAuth2Server {
  return new OAuth2Server({
    model: store,
    authorizationCodeLifetime: OAUTH_LIFETIMES.authorizationCode,
    accessTokenLifetime: OAUTH_LIFETIMES.accessToken,
    refreshTokenLifetime: OAUTH_LIFETIMES.refreshToken,
    allowBearerTokensInQueryString: false,
    addAcceptedScopesHeader: false,
    addAuthorizedScopesHeader: false,
  });
}

/** The library's request and response wrappers around Express's. */
export const oauthRequest = (request: Request) => new OAuth2Server.Request(request);
export const oauthResponse = () => new OAuth2Server.Response();

export { OAuth2Server };

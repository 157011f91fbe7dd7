import { type CanActivate, type ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { ImsxError } from './imsx';
import { OAuth2Server, oauthRequest, oauthResponse } from './oauth-server';
import type { OAuthUser } from './oauth.store';

const NEEDED_SCOPE = 'tessera:oauth-scope';

/** The OAuth scope a route of the OB 3.0 / CLR 2.0 API needs. */
export const NeedsScope = (scope: string) => SetMetadata(NEEDED_SCOPE, scope);

export type OAuthRequest = Request & { oauthUser?: OAuthUser; oauthClientId?: string };

/**
 * The OB 3.0 API's resource routes take the OAuth access tokens the token endpoint issued (not Tessera's own bearer
 * tokens), checked by the OAuth library with the route's scope: 401 without a valid token, 403 without the scope —
 * both as Imsx_StatusInfo.
 */
@Injectable()
export class OAuthTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly server: OAuth2Server,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const scope = this.reflector.get<string>(NEEDED_SCOPE, context.getHandler());
    const request = context.switchToHttp().getRequest<OAuthRequest>();
    try {
      const token = await this.server.authenticate(oauthRequest(request), oauthResponse(), { scope: [scope] });
      request.oauthUser = token.user as OAuthUser;
      request.oauthClientId = String(token.client.id);
      return true;
    } catch (error) {
      if (error instanceof OAuth2Server.InsufficientScopeError)
        throw new ImsxError(HttpStatus.FORBIDDEN, `this token lacks the scope ${scope}`, 'forbidden');
      if (error instanceof OAuth2Server.OAuthError)
        throw new ImsxError(
          HttpStatus.UNAUTHORIZED,
          error.name === 'unauthorized_request' ? 'an OAuth access token is required' : error.message,
          'unauthorizedrequest',
        );
      throw error;
    }
  }
}

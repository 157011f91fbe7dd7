import { requireIssuer } from '@app/domain';
import { BadRequestException, Body, Controller, Get, Header, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Actor } from '../auth/actor';
import { CurrentActor, Public, Roles } from '../auth/auth.decorators';
import { InvalidToken, TokenVerifier } from '../auth/token-verifier';
import type { ErrorDialect } from '../problems/problem.filter';
import { AcceptsBodyOf } from '../security/request-input.guard';
import { type AuthorizationRequest, consentPage } from './consent-page';
import { ALL_SCOPES, INSTITUTION_SCOPES, OB3_SCOPES } from './ob3-scopes';
import { OAuth2Server, oauthRequest, oauthResponse } from './oauth-server';
import { OAuthStore } from './oauth.store';

export const OAUTH_PATH = 'ims/ob/v3p0/oauth';
const FORM = /^application\/x-www-form-urlencoded\s*(;|$)/i;

/** An RFC 6749 / RFC 7591 error answer: what OAuth clients read (not problem+json). */
function oauthError(response: Response, status: number, error: string, description: string): void {
  response.status(status).set('Cache-Control', 'no-store').json({ error, error_description: description });
}

/**
 * RFC 6749 §5.2 and RFC 7591 §3.2.2 for the protocol's own endpoints, whatever refused the request (the body parser,
 * a guard, the handler): one dialect per endpoint, with the error code its spec gives a bad request.
 */
export const oauthDialects: ErrorDialect[] = [
  [`/${OAUTH_PATH}/register`, 'invalid_client_metadata'],
  [`/${OAUTH_PATH}/token`, 'invalid_request'],
].map(([route, badRequest]) => ({
  matches: (path) => path === route,
  send(response, problem) {
    const code = problem.status === 401 ? 'invalid_client' : problem.status >= 500 ? 'server_error' : badRequest;
    oauthError(response, problem.status, code, problem.detail ?? problem.title);
  },
}));

/** The consent page's errors are read by the person in the browser (RFC 6749 §4.1.2.1: never redirected). */
export const consentDialect: ErrorDialect = {
  matches: (path) => path === `/${OAUTH_PATH}/authorize`,
  send: (response, problem) => {
    response
      .status(problem.status)
      .set('Cache-Control', 'no-store')
      .type('text/plain')
      .send(problem.detail ?? problem.title);
  },
};

/** Sends what the library put in its response wrapper. */
function send(response: Response, answer: OAuth2Server.Response): void {
  response.status(answer.status ?? 200).set(answer.headers ?? {});
  if (answer.body !== undefined && Object.keys(answer.body as object).length > 0) response.json(answer.body);
  else response.end();
}

/** An OAuth form's fields for the OpenAPI document: all text. */
const formSchema = (required: string[], optional: string[]) => ({
  type: 'object',
  required,
  properties: Object.fromEntries([...required, ...optional].map((name) => [name, { type: 'string' }])),
});

const isHttpUrl = (text: unknown): text is string => {
  if (typeof text !== 'string') return false;
  try {
    const url = new URL(text);
    // RFC 8252: native wallets may use a loopback http redirect; everything else https or a private scheme.
    if (url.protocol === 'http:') return ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
    return url.protocol !== 'javascript:' && url.protocol !== 'data:' && url.hash === '';
  } catch {
    return false;
  }
};

const problem = (message: string, path: string) =>
  new BadRequestException({
    type: 'urn:tessera:problem:invalid-client',
    title: 'Invalid input',
    message,
    errors: [{ path, code: 'invalid', message }],
  });

/**
 * OAuth 2.0 for the OB 3.0 API: dynamic client registration (RFC 7591) for wallets, the authorization code flow with
 * PKCE (S256) through a consent page, client credentials for an institution's systems, and the token endpoint. The
 * protocol itself is @node-oauth/oauth2-server's.
 */
@ApiTags('open badges 3.0 api')
@Controller(OAUTH_PATH)
export class OAuthController {
  constructor(
    private readonly store: OAuthStore,
    private readonly tokens: TokenVerifier,
    private readonly server: OAuth2Server,
  ) {}

  @Post('register')
  @Public()
  @ApiCreatedResponse({
    description:
      'RFC 7591 dynamic client registration of a wallet: { client_name, redirect_uris, scope?, grant_types?, ' +
      'token_endpoint_auth_method? ("none", the default: a public client with PKCE; or "client_secret_basic") } → ' +
      'the registered metadata with client_id (and client_secret for a confidential client); errors are RFC 7591 ' +
      '{ error, error_description }',
  })
  async register(@Body() body: unknown, @Res() response: Response): Promise<void> {
    const metadata = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    const redirectUris = metadata.redirect_uris;
    if (!Array.isArray(redirectUris) || redirectUris.length === 0 || !redirectUris.every(isHttpUrl))
      return oauthError(
        response,
        400,
        'invalid_redirect_uri',
        'redirect_uris must be a non-empty list of absolute URIs without fragments (https, a private scheme, or loopback http)',
      );
    const clientName = metadata.client_name ?? 'an unnamed wallet';
    const scope = metadata.scope ?? [OB3_SCOPES.credentialRead, OB3_SCOPES.profileRead].join(' ');
    const grantTypes = metadata.grant_types ?? ['authorization_code', 'refresh_token'];
    const authMethod = metadata.token_endpoint_auth_method ?? 'none';
    if (typeof clientName !== 'string' || clientName.length === 0 || clientName.length > 200)
      return oauthError(
        response,
        400,
        'invalid_client_metadata',
        'client_name must be a string of 1 to 200 characters',
      );
    const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
    if (scopes.length === 0 || !scopes.every((asked) => ALL_SCOPES.includes(asked)))
      return oauthError(response, 400, 'invalid_client_metadata', `scope must be among: ${ALL_SCOPES.join(' ')}`);
    if (
      !Array.isArray(grantTypes) ||
      !grantTypes.includes('authorization_code') ||
      !grantTypes.every((grant) => grant === 'authorization_code' || grant === 'refresh_token')
    )
      return oauthError(
        response,
        400,
        'invalid_client_metadata',
        'grant_types must be authorization_code, optionally with refresh_token (client credentials are created by an issuer-admin)',
      );
    if (!['none', 'client_secret_basic', 'client_secret_post'].includes(authMethod as string))
      return oauthError(
        response,
        400,
        'invalid_client_metadata',
        'token_endpoint_auth_method must be none, client_secret_basic or client_secret_post',
      );
    const registered = await this.store.register(
      { clientName, redirectUris, grants: grantTypes as string[], scopes },
      { confidential: authMethod !== 'none' },
    );
    response
      .status(201)
      .set('Cache-Control', 'no-store')
      .json({
        client_id: registered.clientId,
        ...(registered.clientSecret === undefined
          ? {}
          : { client_secret: registered.clientSecret, client_secret_expires_at: 0 }),
        client_id_issued_at: Math.floor(Date.now() / 1000),
        client_name: clientName,
        redirect_uris: redirectUris,
        grant_types: grantTypes,
        response_types: ['code'],
        token_endpoint_auth_method: authMethod,
        scope: scopes.join(' '),
      });
  }

  @Get('authorize')
  @Public()
  @ApiOkResponse({
    description:
      'The consent page (HTML) of the authorization code flow: response_type=code, client_id, redirect_uri, scope, ' +
      'state, code_challenge and code_challenge_method=S256 (PKCE is required)',
  })
  async consent(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const checked = await this.checkAuthorizationRequest(query, response);
    if (checked) this.page(response, 200, checked.clientName, checked.request);
  }

  @Post('authorize')
  @Public()
  @AcceptsBodyOf(FORM)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: formSchema(
      ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'token'],
      ['scope', 'state', 'allowed'],
    ),
  })
  @ApiOkResponse({
    description:
      'The consent form: the authorization request, the learner’s Tessera bearer token (`token`) and `allowed` ' +
      '(true or false) → 302 to the redirect_uri with `code` and `state` (or `error=access_denied`)',
  })
  async approve(@Req() request: Request, @Res() response: Response): Promise<void> {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const checked = await this.checkAuthorizationRequest(body, response);
    if (!checked) return;
    let learnerId: string | undefined;
    if (body.allowed !== 'false') {
      try {
        const actor = await this.tokens.verify(typeof body.token === 'string' ? body.token : '');
        learnerId = actor.roles.includes('learner') ? actor.learner : undefined;
        if (learnerId === undefined)
          return this.page(response, 403, checked.clientName, checked.request, 'this is not a learner’s token');
      } catch (error) {
        if (!(error instanceof InvalidToken)) throw error;
        return this.page(response, 401, checked.clientName, checked.request, `token refused: ${error.message}`);
      }
    }
    const answer = oauthResponse();
    try {
      await this.server.authorize(oauthRequest(request), answer, {
        // A denial never reaches the user: the library answers access_denied first.
        authenticateHandler: { handle: () => ({ learnerId: learnerId ?? '' }) },
      });
    } catch (error) {
      if (!(error instanceof OAuth2Server.OAuthError) || !answer.headers?.location) throw error;
    }
    response.redirect(302, answer.headers!.location);
  }

  @Post('token')
  @Public()
  @AcceptsBodyOf(FORM)
  @HttpCode(200)
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({
    schema: formSchema(
      ['grant_type'],
      ['code', 'redirect_uri', 'client_id', 'code_verifier', 'refresh_token', 'scope'],
    ),
  })
  @ApiOkResponse({
    description:
      'The token endpoint (RFC 6749): grant_type authorization_code (with code_verifier), refresh_token, or ' +
      'client_credentials (an institution client, HTTP Basic) → { access_token, token_type: "Bearer", expires_in, ' +
      'refresh_token?, scope }; errors are RFC 6749 { error, error_description }',
  })
  async token(@Req() request: Request, @Res() response: Response): Promise<void> {
    const answer = oauthResponse();
    try {
      await this.server.token(oauthRequest(request), answer, {
        requireClientAuthentication: { authorization_code: false, refresh_token: false },
      });
    } catch (error) {
      if (!(error instanceof OAuth2Server.OAuthError)) throw error;
      return oauthError(response, error.code, error.name, error.message);
    }
    send(response, answer);
  }

  @Post('institution-clients')
  @Roles('issuer-admin')
  @Header('Cache-Control', 'no-store')
  @ApiBearerAuth()
  @ApiCreatedResponse({
    description:
      'An issuer-admin creates a client for their institution’s systems: { issuerId, clientName, scope? } → ' +
      '{ client_id, client_secret (shown once), issuerId, grant_types: ["client_credentials"], scope }',
  })
  async institutionClient(@Body() body: unknown, @CurrentActor() actor: Actor) {
    const { issuerId, clientName, scope } = (typeof body === 'object' && body !== null ? body : {}) as Record<
      string,
      unknown
    >;
    if (typeof issuerId !== 'string' || issuerId.length === 0)
      throw problem('issuerId must name an issuer', 'issuerId');
    if (typeof clientName !== 'string' || clientName.length === 0 || clientName.length > 200)
      throw problem('clientName must be a string of 1 to 200 characters', 'clientName');
    const scopes = scope === undefined ? [...INSTITUTION_SCOPES] : typeof scope === 'string' ? scope.split(' ') : [];
    if (scopes.length === 0 || !scopes.every((asked) => INSTITUTION_SCOPES.includes(asked)))
      throw problem(`scope must be among: ${INSTITUTION_SCOPES.join(' ')}`, 'scope');
    requireIssuer(actor, issuerId, 'create an OAuth client');
    const registered = await this.store.register(
      { clientName, redirectUris: [], grants: ['client_credentials'], scopes, issuerId },
      { confidential: true, createdBy: actor.sub },
    );
    return {
      client_id: registered.clientId,
      client_secret: registered.clientSecret,
      issuerId,
      client_name: clientName,
      grant_types: ['client_credentials'],
      token_endpoint_auth_method: 'client_secret_basic',
      scope: scopes.join(' '),
    };
  }

  /**
   * RFC 6749 §4.1.2.1: an unknown client or redirect URI is told to the user, never redirected to; the rest is checked
   * by the library. PKCE is required, with S256.
   */
  private async checkAuthorizationRequest(
    input: Record<string, unknown>,
    response: Response,
  ): Promise<{ clientName: string; request: AuthorizationRequest } | undefined> {
    const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : undefined);
    const client = text('client_id') === undefined ? undefined : await this.store.findClient(text('client_id')!);
    const fail = (message: string) => {
      response.status(400).type('text/plain').send(message);
      return undefined;
    };
    if (!client || !client.grants.includes('authorization_code')) return fail('unknown client_id');
    const redirectUri = text('redirect_uri');
    if (redirectUri === undefined || !client.redirectUris.includes(redirectUri))
      return fail('redirect_uri is not one the client registered');
    if (text('response_type') !== 'code') return fail('response_type must be code');
    if (!text('code_challenge') || text('code_challenge_method') !== 'S256')
      return fail('PKCE is required: send code_challenge with code_challenge_method=S256');
    const state = text('state');
    return {
      clientName: client.clientName,
      request: {
        response_type: 'code',
        client_id: client.clientId,
        redirect_uri: redirectUri,
        scope: text('scope') ?? client.scopes.join(' '),
        ...(state === undefined ? {} : { state }),
        code_challenge: text('code_challenge')!,
        code_challenge_method: 'S256',
      },
    };
  }

  /** The consent page may post its form back here and then redirect to the wallet (CSP form-action covers both). */
  private page(
    response: Response,
    status: number,
    clientName: string,
    request: AuthorizationRequest,
    message?: string,
  ): void {
    const redirect = new URL(request.redirect_uri);
    const target =
      redirect.protocol === 'http:' || redirect.protocol === 'https:' ? redirect.origin : redirect.protocol;
    response
      .status(status)
      .set('Cache-Control', 'no-store')
      .set(
        'Content-Security-Policy',
        `default-src 'none'; form-action 'self' ${target}; frame-ancestors 'none'; base-uri 'none'`,
      )
      .type('html')
      .send(consentPage(clientName, request, message));
  }
}

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SqlClient } from '@app/event-store';
import type OAuth2Server from '@node-oauth/oauth2-server';

/** Secrets, codes and tokens are stored as this hash only: a copy of the tables lets no one in. */
export const secretHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Who a token acts for: a learner (their wallet, authorization code) or an issuer (its systems, client credentials). */
export type OAuthUser = { readonly learnerId: string } | { readonly issuerId: string };

export interface RegisteredClient {
  readonly clientId: string;
  readonly clientName: string;
  readonly redirectUris: readonly string[];
  readonly grants: readonly string[];
  readonly scopes: readonly string[];
  readonly issuerId?: string;
}

interface ClientRow {
  client_id: string;
  secret_hash: string | null;
  client_name: string;
  redirect_uris: string[];
  grants: string[];
  scopes: string[];
  issuer_id: string | null;
}

const toClient = (row: ClientRow): OAuth2Server.Client & RegisteredClient => ({
  id: row.client_id,
  clientId: row.client_id,
  clientName: row.client_name,
  redirectUris: row.redirect_uris,
  grants: row.grants,
  scopes: row.scopes,
  ...(row.issuer_id === null ? {} : { issuerId: row.issuer_id }),
});

const userOf = (row: { learner_id: string | null; issuer_id: string | null }): OAuthUser =>
  row.learner_id !== null ? { learnerId: row.learner_id } : { issuerId: row.issuer_id! };

const sameHash = (a: string, b: string) => timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * The storage model of @node-oauth/oauth2-server, which does the protocol (authorization code with PKCE, client
 * credentials, refresh tokens): clients, codes and tokens in PostgreSQL, secrets hashed.
 */
export class OAuthStore
  implements OAuth2Server.AuthorizationCodeModel, OAuth2Server.ClientCredentialsModel, OAuth2Server.RefreshTokenModel
{
  constructor(private readonly sql: SqlClient) {}

  /** Registers a client; answers its secret once (confidential clients), never to be read back. */
  async register(
    client: Omit<RegisteredClient, 'clientId'>,
    options: { confidential: boolean; createdBy?: string },
  ): Promise<{ clientId: string; clientSecret?: string }> {
    const clientId = `tessera-${randomBytes(12).toString('base64url')}`;
    const clientSecret = options.confidential ? newSecret() : undefined;
    await this.sql.query(
      `INSERT INTO tessera_oauth_clients
         (client_id, secret_hash, client_name, redirect_uris, grants, scopes, issuer_id, created_by)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6::jsonb, $7, $8)`,
      [
        clientId,
        clientSecret === undefined ? null : secretHash(clientSecret),
        client.clientName,
        JSON.stringify(client.redirectUris),
        JSON.stringify(client.grants),
        JSON.stringify(client.scopes),
        client.issuerId ?? null,
        options.createdBy ?? null,
      ],
    );
    return { clientId, ...(clientSecret === undefined ? {} : { clientSecret }) };
  }

  async findClient(clientId: string): Promise<(OAuth2Server.Client & RegisteredClient) | undefined> {
    const [row] = await this.sql.query<ClientRow>('SELECT * FROM tessera_oauth_clients WHERE client_id = $1', [
      clientId,
    ]);
    return row && toClient(row);
  }

  async getClient(clientId: string, clientSecret: string | null | undefined) {
    const [row] = await this.sql.query<ClientRow>('SELECT * FROM tessera_oauth_clients WHERE client_id = $1', [
      clientId,
    ]);
    if (!row) return false;
    // The authorize step looks the client up with a null secret; at the token endpoint a client with a secret must
    // give it (a public client, with none, proves itself by PKCE).
    if (clientSecret === null) return toClient(row);
    if (row.secret_hash === null) return clientSecret ? false : toClient(row);
    return clientSecret && sameHash(row.secret_hash, secretHash(clientSecret)) ? toClient(row) : false;
  }

  async saveAuthorizationCode(
    code: Pick<
      OAuth2Server.AuthorizationCode,
      'authorizationCode' | 'expiresAt' | 'redirectUri' | 'scope' | 'codeChallenge' | 'codeChallengeMethod'
    >,
    client: OAuth2Server.Client,
    user: OAuth2Server.User,
  ) {
    const { learnerId } = user as { learnerId: string };
    await this.sql.query(
      `INSERT INTO tessera_oauth_codes
         (code_hash, client_id, learner_id, scopes, redirect_uri, code_challenge, code_challenge_method, expires_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)`,
      [
        secretHash(code.authorizationCode),
        client.id,
        learnerId,
        JSON.stringify(code.scope ?? []),
        code.redirectUri,
        code.codeChallenge,
        code.codeChallengeMethod,
        code.expiresAt,
      ],
    );
    return { ...code, client, user };
  }

  async getAuthorizationCode(authorizationCode: string) {
    const [row] = await this.sql.query<{
      client_id: string;
      learner_id: string;
      scopes: string[];
      redirect_uri: string;
      code_challenge: string;
      code_challenge_method: string;
      expires_at: Date;
    }>('SELECT * FROM tessera_oauth_codes WHERE code_hash = $1', [secretHash(authorizationCode)]);
    if (!row) return false;
    const client = await this.findClient(row.client_id);
    if (!client) return false;
    return {
      authorizationCode,
      expiresAt: new Date(row.expires_at),
      redirectUri: row.redirect_uri,
      scope: row.scopes,
      codeChallenge: row.code_challenge,
      codeChallengeMethod: row.code_challenge_method,
      client,
      user: { learnerId: row.learner_id },
    };
  }

  /** A code is used once: whoever deletes it first exchanges it, a replay finds nothing. */
  async revokeAuthorizationCode(code: OAuth2Server.AuthorizationCode): Promise<boolean> {
    const deleted = await this.sql.query('DELETE FROM tessera_oauth_codes WHERE code_hash = $1 RETURNING 1', [
      secretHash(code.authorizationCode),
    ]);
    return deleted.length > 0;
  }

  async saveToken(token: OAuth2Server.Token, client: OAuth2Server.Client, user: OAuth2Server.User) {
    const owner = user as OAuthUser;
    await this.sql.query(
      `INSERT INTO tessera_oauth_tokens
         (access_token_hash, refresh_token_hash, client_id, learner_id, issuer_id, scopes, access_expires_at,
          refresh_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8)`,
      [
        secretHash(token.accessToken),
        token.refreshToken === undefined ? null : secretHash(token.refreshToken),
        client.id,
        'learnerId' in owner ? owner.learnerId : null,
        'issuerId' in owner ? owner.issuerId : null,
        JSON.stringify(token.scope ?? []),
        token.accessTokenExpiresAt,
        token.refreshTokenExpiresAt ?? null,
      ],
    );
    return { ...token, client, user };
  }

  async getAccessToken(accessToken: string) {
    const [row] = await this.sql.query<TokenRow>('SELECT * FROM tessera_oauth_tokens WHERE access_token_hash = $1', [
      secretHash(accessToken),
    ]);
    if (!row) return false;
    return {
      accessToken,
      accessTokenExpiresAt: new Date(row.access_expires_at),
      scope: row.scopes,
      client: { id: row.client_id, grants: [] },
      user: userOf(row),
    };
  }

  async getRefreshToken(refreshToken: string) {
    const [row] = await this.sql.query<TokenRow>('SELECT * FROM tessera_oauth_tokens WHERE refresh_token_hash = $1', [
      secretHash(refreshToken),
    ]);
    const client = row && (await this.findClient(row.client_id));
    if (!row || !client) return false;
    return {
      refreshToken,
      ...(row.refresh_expires_at === null ? {} : { refreshTokenExpiresAt: new Date(row.refresh_expires_at) }),
      scope: row.scopes,
      client,
      user: userOf(row),
    };
  }

  async revokeToken(token: OAuth2Server.RefreshToken): Promise<boolean> {
    const deleted = await this.sql.query('DELETE FROM tessera_oauth_tokens WHERE refresh_token_hash = $1 RETURNING 1', [
      secretHash(token.refreshToken),
    ]);
    return deleted.length > 0;
  }

  /** Client credentials act for the issuer the client was created for. */
  async getUserFromClient(client: OAuth2Server.Client) {
    const { issuerId } = client as unknown as RegisteredClient;
    return issuerId === undefined ? false : { issuerId };
  }

  /** A token gets the scopes asked for, within those the client registered (all of them when none are asked). */
  async validateScope(_user: OAuth2Server.User, client: OAuth2Server.Client, scope?: string[]) {
    const allowed = (client as unknown as RegisteredClient).scopes;
    if (!scope || scope.length === 0) return [...allowed];
    return scope.every((asked) => allowed.includes(asked)) ? scope : false;
  }

  async verifyScope(token: OAuth2Server.Token, scope: string[]): Promise<boolean> {
    const granted = token.scope ?? [];
    return scope.every((needed) => granted.includes(needed));
  }

  async validateRedirectUri(redirectUri: string, client: OAuth2Server.Client): Promise<boolean> {
    return (client as unknown as RegisteredClient).redirectUris.includes(redirectUri);
  }
}

interface TokenRow {
  client_id: string;
  learner_id: string | null;
  issuer_id: string | null;
  scopes: string[];
  access_expires_at: Date;
  refresh_expires_at: Date | null;
}

import { createHash, randomBytes } from 'node:crypto';
import type { ApiHarness } from './api-harness';

const SCOPE = 'https://purl.imsglobal.org/spec/ob/v3p0/scope/';
export const OB3_READ = `${SCOPE}credential.readonly`;
export const OB3_UPSERT = `${SCOPE}credential.upsert`;
export const OB3_PROFILE_READ = `${SCOPE}profile.readonly`;
export const OB3_PROFILE_UPDATE = `${SCOPE}profile.update`;
export const CLR_READ = 'https://purl.imsglobal.org/spec/clr/v2p0/scope/credential.readonly';
export const WALLET_SCOPES = `${OB3_READ} ${OB3_UPSERT} ${OB3_PROFILE_READ} ${OB3_PROFILE_UPDATE}`;
export const OAUTH = '/ims/ob/v3p0/oauth';
export const WALLET_REDIRECT = 'https://wallet.example.org/callback';

export const pkcePair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/**
 * A learner's wallet as the OB 3.0 API sees it: it registers (RFC 7591), the learner approves it on the consent page
 * with their Tessera token, and it exchanges the code (PKCE S256) for an access token.
 */
export function ob3Wallet(api: ApiHarness) {
  const register = (metadata: Record<string, unknown> = {}) =>
    api
      .http()
      .post(`${OAUTH}/register`)
      .send({ client_name: 'Learner Wallet', redirect_uris: [WALLET_REDIRECT], ...metadata });

  /** The authorization code flow through the consent page; answers the redirect's query. */
  const authorize = async (
    clientId: string,
    learnerToken: string,
    options: { scope?: string; challenge?: string; allowed?: string } = {},
  ) => {
    const request = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: WALLET_REDIRECT,
      scope: options.scope ?? WALLET_SCOPES,
      state: 'wallet-state-1',
      code_challenge: options.challenge ?? pkcePair().challenge,
      code_challenge_method: 'S256',
    };
    const page = await api.http().get(`${OAUTH}/authorize`).query(request).expect(200);
    expect(page.type).toBe('text/html');
    expect(page.text).toContain('Learner Wallet');
    const approved = await api
      .http()
      .post(`${OAUTH}/authorize`)
      .type('form')
      .send({ ...request, token: learnerToken, allowed: options.allowed ?? 'true' })
      .expect(302);
    const location = new URL(approved.headers.location);
    expect(`${location.origin}${location.pathname}`).toBe(WALLET_REDIRECT);
    return location.searchParams;
  };

  const exchange = (clientId: string, code: string, verifier: string) =>
    api.http().post(`${OAUTH}/token`).type('form').send({
      grant_type: 'authorization_code',
      code,
      redirect_uri: WALLET_REDIRECT,
      client_id: clientId,
      code_verifier: verifier,
    });

  /** A wallet of the learner whose Tessera token is given, holding an access token with `scope`. */
  const accessToken = async (learnerToken: string, scope = WALLET_SCOPES) => {
    const { body } = await register({ scope }).expect(201);
    const { verifier, challenge } = pkcePair();
    const code = (await authorize(body.client_id, learnerToken, { challenge, scope })).get('code')!;
    return (await exchange(body.client_id, code, verifier).expect(200)).body as {
      access_token: string;
      refresh_token: string;
      scope: string;
    };
  };

  return { register, authorize, exchange, accessToken };
}

import { ob3SchemaValidator } from '@app/credentials';
import type { SqlClient } from '@app/event-store';
import { decodeJwt, generateKeyPair, SignJWT } from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { SQL_CLIENT } from '../apps/api/src/storage.tokens';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';
import { ob3OpenApiSchemas } from './support/ob3-openapi';
import {
  CLR_READ,
  OAUTH,
  OB3_PROFILE_READ as PROFILE_READ,
  OB3_PROFILE_UPDATE as PROFILE_UPDATE,
  OB3_READ as READ,
  OB3_UPSERT as UPSERT,
  ob3Wallet,
  pkcePair,
  WALLET_REDIRECT as REDIRECT,
} from './support/ob3-wallet';

/** Each listing signs afresh (its own iat): credentials are compared by id. */
const credentialId = (jwt: string) => (decodeJwt(jwt).vc as { id: string }).id;

/**
 * The 1EdTech Open Badges 3.0 REST API end to end: a wallet registers (RFC 7591), the learner approves it on the
 * consent page with their Tessera token, the wallet exchanges the code (PKCE S256) and reads and upserts
 * credentials and the profile; an institution's systems use client credentials. Every answer is checked against the
 * schemas of 1EdTech's OpenAPI document.
 */
describe('the Open Badges 3.0 API', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  const schemas = ob3OpenApiSchemas();
  const achievementSchema = ob3SchemaValidator();
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    otherStaff: { sub: 'ucd-staff', roles: ['issuer-admin'], issuers: ['ucd'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    ada: { sub: 'ada', roles: ['learner'], issuers: [], learner: 'ada' },
    grace: { sub: 'grace', roles: ['learner'], issuers: [], learner: 'grace' },
  };
  const awards: Record<string, string[]> = { ada: [], grace: [] };

  const wallet = () => ob3Wallet(api);
  const register = (metadata: Record<string, unknown> = {}) => wallet().register(metadata);
  const authorize: ReturnType<typeof ob3Wallet>['authorize'] = (...args) => wallet().authorize(...args);
  const exchange: ReturnType<typeof ob3Wallet>['exchange'] = (...args) => wallet().exchange(...args);
  const walletToken = (learner: string, scope?: string) => wallet().accessToken(tokens[learner], scope);

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    api = await startApi({
      TESSERA_KEY_ENCRYPTION_KEY: 'ob3-e2e-key-encryption-'.repeat(2),
      TESSERA_PUBLIC_URL: PUBLIC_URL,
    });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    const post = (who: string, path: string, body: object) => api.http().post(path).set(bearer(tokens[who])).send(body);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('admin', '/issuers', issuer({ id: 'ucd', name: 'UCD', url: 'https://ucd.ie' })).expect(201);
    for (const id of ['sql', 'stats', 'ethics'])
      await post('staff', '/achievements', {
        id,
        issuerId: 'tu-dublin',
        ...definition({ title: `Course ${id}` }),
      }).expect(201);
    for (const id of ['sql', 'stats', 'ethics'])
      awards.ada.push((await awardThroughApi(api, tokens.staff, 'ada', id)).awardId);
    awards.grace.push((await awardThroughApi(api, tokens.staff, 'grace', 'sql')).awardId);
    await api
      .http()
      .put('/learners/ada/profile')
      .set(bearer(tokens.registrar))
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu' })
      .expect(200);
  });
  afterAll(() => api?.close());

  it('describes itself at /discovery as the spec’s ServiceDescriptionDocument, naming the OAuth endpoints and scopes', async () => {
    const { body } = await api.http().get('/ims/ob/v3p0/discovery').expect(200);
    expect(schemas('ServiceDescriptionDocument', body)).toEqual([]);
    const scheme = body.components.securitySchemes.OAuth2ACG;
    expect(scheme['x-imssf-registrationUrl']).toBe(`${PUBLIC_URL}${OAUTH}/register`);
    expect(scheme.flows.authorizationCode).toMatchObject({
      authorizationUrl: `${PUBLIC_URL}${OAUTH}/authorize`,
      tokenUrl: `${PUBLIC_URL}${OAUTH}/token`,
    });
    expect(body.paths['/credentials'].post.security).toEqual([{ OAuth2ACG: [UPSERT] }]);
    expect(Object.keys(scheme.flows.authorizationCode.scopes).sort()).toEqual(
      [READ, UPSERT, PROFILE_READ, PROFILE_UPDATE].sort(),
    );
    const clr = await api.http().get('/ims/clr/v2p0/discovery').expect(200);
    expect(schemas('ServiceDescriptionDocument', clr.body)).toEqual([]);
    expect(Object.keys(clr.body.components.securitySchemes.OAuth2ACG.flows.authorizationCode.scopes)).toEqual([
      CLR_READ,
    ]);
  });

  it('takes a wallet from registration through consent and the token to its learner’s credentials, page by page', async () => {
    const registered = await register({ scope: `${READ} ${UPSERT} ${PROFILE_READ} ${PROFILE_UPDATE}` }).expect(201);
    expect(registered.body).toMatchObject({ token_endpoint_auth_method: 'none', redirect_uris: [REDIRECT] });
    expect(registered.body.client_secret).toBeUndefined();
    const { verifier, challenge } = pkcePair();
    const redirect = await authorize(registered.body.client_id, tokens.ada, { challenge });
    expect(redirect.get('state')).toBe('wallet-state-1');
    const token = await exchange(registered.body.client_id, redirect.get('code')!, verifier).expect(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: expect.any(Number) });
    expect(token.body.refresh_token).toEqual(expect.any(String));

    const all = await api.http().get('/ims/ob/v3p0/credentials').set(bearer(token.body.access_token)).expect(200);
    expect(schemas('GetOpenBadgeCredentialsResponse', all.body)).toEqual([]);
    expect(all.headers['x-total-count']).toBe('3');
    expect(all.body.compactJwsString).toHaveLength(3);
    for (const jwt of all.body.compactJwsString) {
      const vc = decodeJwt(jwt).vc;
      expect(schemas('AchievementCredential', vc)).toEqual([]);
      expect(achievementSchema(vc).errors).toEqual([]);
    }
    const ids = all.body.compactJwsString.map(credentialId);
    expect(ids.sort()).toEqual(awards.ada.map((id) => `${PUBLIC_URL}/awards/${id}/credential`).sort());

    const page = await api
      .http()
      .get('/ims/ob/v3p0/credentials?limit=2&offset=1')
      .set(bearer(token.body.access_token))
      .expect(200);
    expect(page.headers['x-total-count']).toBe('3');
    expect(page.body.compactJwsString.map(credentialId)).toEqual(
      all.body.compactJwsString.slice(1, 3).map(credentialId),
    );
    const links = page.headers.link as string;
    expect(links).toContain(`<${PUBLIC_URL}/ims/ob/v3p0/credentials?limit=2&offset=0>; rel="first"`);
    expect(links).toContain(`<${PUBLIC_URL}/ims/ob/v3p0/credentials?limit=2&offset=0>; rel="prev"`);
    expect(links).toContain(`<${PUBLIC_URL}/ims/ob/v3p0/credentials?limit=2&offset=2>; rel="last"`);
    expect(links).not.toContain('rel="next"');

    const future = await api
      .http()
      .get(`/ims/ob/v3p0/credentials?since=${encodeURIComponent('2999-01-01T00:00:00Z')}`)
      .set(bearer(token.body.access_token))
      .expect(200);
    expect(future.headers['x-total-count']).toBe('0');
    const bad = await api
      .http()
      .get('/ims/ob/v3p0/credentials?limit=0')
      .set(bearer(token.body.access_token))
      .expect(400);
    expect(schemas('Imsx_StatusInfo', bad.body)).toEqual([]);
    expect(bad.body.imsx_codeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue).toBe('invalid_query_parameter');

    // The refresh token gives a new access token, once.
    const refresh = () =>
      api.http().post(`${OAUTH}/token`).type('form').send({
        grant_type: 'refresh_token',
        refresh_token: token.body.refresh_token,
        client_id: registered.body.client_id,
      });
    const refreshed = await refresh().expect(200);
    await api.http().get('/ims/ob/v3p0/credentials').set(bearer(refreshed.body.access_token)).expect(200);
    expect((await refresh().expect(400)).body.error).toBe('invalid_grant');
  });

  it('never shows learner A’s token learner B’s credentials', async () => {
    const grace = await walletToken('grace');
    const { body } = await api.http().get('/ims/ob/v3p0/credentials').set(bearer(grace.access_token)).expect(200);
    expect(body.compactJwsString.map(credentialId)).toEqual([`${PUBLIC_URL}/awards/${awards.grace[0]}/credential`]);
    // A learner's own wallet has no ?learner= to reach another learner.
    const other = await api
      .http()
      .get('/ims/ob/v3p0/credentials?learner=ada')
      .set(bearer(grace.access_token))
      .expect(200);
    expect(other.body.compactJwsString.map(credentialId)).toEqual(body.compactJwsString.map(credentialId));
  });

  it('keeps a credential issued elsewhere as the learner’s external credential, VC-JWT or JSON, and refuses a forged one', async () => {
    const wallet = await walletToken('grace');
    const ours = (await api.http().get(`/awards/${awards.grace[0]}/credential`).expect(200)).body;
    const elsewhere = {
      ...ours,
      id: 'urn:uuid:7f2a6c0e-2f0e-4bfa-9a53-1d2b1c1e5a11',
      issuer: { id: 'https://badges.other.example.org/issuers/1', type: ['Profile'], name: 'Other University' },
    };
    delete elsewhere.credentialStatus;
    // Tessera's own Data Integrity proof does not cover what another issuer made of the credential.
    delete elsewhere.proof;
    const { privateKey } = await generateKeyPair('ES256');
    const jwt = await new SignJWT({ vc: elsewhere })
      .setProtectedHeader({ alg: 'ES256', kid: 'https://badges.other.example.org/keys/1' })
      .setIssuer(elsewhere.issuer.id)
      .setIssuedAt()
      .sign(privateKey);
    const created = await api
      .http()
      .post('/ims/ob/v3p0/credentials')
      .set(bearer(wallet.access_token))
      .type('text/plain')
      .send(jwt)
      .expect(201);
    expect(created.text).toBe(jwt);
    await api
      .http()
      .post('/ims/ob/v3p0/credentials')
      .set(bearer(wallet.access_token))
      .type('text/plain')
      .send(jwt)
      .expect(200);
    const asJson = { ...elsewhere, id: 'urn:uuid:0b7b1a52-43f3-4a8e-8f4e-2bd0f5c8a001' };
    const json = await api
      .http()
      .post('/ims/ob/v3p0/credentials')
      .set(bearer(wallet.access_token))
      .send(asJson)
      .expect(201);
    expect(schemas('AchievementCredential', json.body)).toEqual([]);

    const { body } = await api.http().get('/ims/ob/v3p0/credentials').set(bearer(wallet.access_token)).expect(200);
    expect(schemas('GetOpenBadgeCredentialsResponse', body)).toEqual([]);
    expect(body.compactJwsString).toHaveLength(2);
    expect(body.compactJwsString).toContain(jwt);
    expect(body.credential).toEqual([asJson]);

    // Tessera's own award with its payload changed: the key resolves and the signature does not match.
    const signed = (await api.http().get(`/awards/${awards.grace[0]}/credential?format=jwt`).expect(200)).text;
    const [header, , signature] = signed.split('.');
    const payload = decodeJwt(signed);
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...payload,
        vc: { ...(payload.vc as object), id: 'urn:uuid:00000000-0000-4000-8000-000000000000' },
      }),
    ).toString('base64url');
    const forged = await api
      .http()
      .post('/ims/ob/v3p0/credentials')
      .set(bearer(wallet.access_token))
      .type('text/plain')
      .send(`${header}.${forgedPayload}.${signature}`)
      .expect(400);
    expect(schemas('Imsx_StatusInfo', forged.body)).toEqual([]);
    expect(forged.body.imsx_description).toMatch(/altered or forged/);
    const notABadge = await api
      .http()
      .post('/ims/ob/v3p0/credentials')
      .set(bearer(wallet.access_token))
      .send({ id: 'urn:x', type: ['VerifiableCredential'] })
      .expect(400);
    expect(notABadge.body.imsx_description).toMatch(/not an OB 3.0 AchievementCredential/);
    // Erasing the learner's personal data erases what their wallet upserted too.
    const sql = api.app.get<SqlClient>(SQL_CLIENT);
    const kept = () =>
      sql.query("SELECT 1 FROM tessera_external_credentials WHERE learner_id = 'grace'").then((rows) => rows.length);
    expect(await kept()).toBe(2);
    await api
      .http()
      .put('/ims/ob/v3p0/profile')
      .set(bearer(wallet.access_token))
      .send({ id: 'urn:x', type: ['Profile'], name: 'Grace Hopper', email: 'grace@example.edu' })
      .expect(200);
    await api.http().delete('/learners/grace/profile').set(bearer(tokens.grace)).expect(200);
    expect(await kept()).toBe(0);
    // Stacking is untouched: the transcript holds Tessera's awards only.
    const transcript = await api.http().get('/learners/grace/transcript').set(bearer(tokens.grace)).expect(200);
    expect(JSON.stringify(transcript.body)).not.toContain('Other University');
  });

  it('reads and replaces the learner’s profile as an OB 3.0 Profile', async () => {
    const wallet = await walletToken('ada');
    const read = await api.http().get('/ims/ob/v3p0/profile').set(bearer(wallet.access_token)).expect(200);
    expect(schemas('Profile', read.body)).toEqual([]);
    expect(read.body).toMatchObject({ type: ['Profile'], name: 'Ada Lovelace', email: 'ada@example.edu' });
    const put = await api
      .http()
      .put('/ims/ob/v3p0/profile')
      .set(bearer(wallet.access_token))
      .send({ ...read.body, name: 'Augusta Ada King', email: 'ada.king@example.edu' })
      .expect(200);
    expect(schemas('Profile', put.body)).toEqual([]);
    const stored = await api.http().get('/learners/ada/profile').set(bearer(tokens.ada)).expect(200);
    expect(stored.body).toMatchObject({ name: 'Augusta Ada King', email: 'ada.king@example.edu' });
    const history = await api
      .http()
      .get('/learners/ada/history')
      .set(bearer(await api.token({ sub: 'aud', roles: ['auditor'], issuers: ['tu-dublin'] })))
      .expect(200);
    expect(JSON.stringify(history.body)).toContain('LearnerProfileRecorded');
    const bad = await api
      .http()
      .put('/ims/ob/v3p0/profile')
      .set(bearer(wallet.access_token))
      .send({ id: read.body.id, type: ['Profile'], name: 'Ada' })
      .expect(400);
    expect(schemas('Imsx_StatusInfo', bad.body)).toEqual([]);
  });

  it('enforces scopes: a read-only token cannot upsert or touch the profile (403, Imsx_StatusInfo)', async () => {
    const readonly = await walletToken('ada', READ);
    expect(readonly.scope).toBe(READ);
    await api.http().get('/ims/ob/v3p0/credentials').set(bearer(readonly.access_token)).expect(200);
    for (const denied of [
      api.http().post('/ims/ob/v3p0/credentials').set(bearer(readonly.access_token)).send({}),
      api.http().get('/ims/ob/v3p0/profile').set(bearer(readonly.access_token)),
      api.http().put('/ims/ob/v3p0/profile').set(bearer(readonly.access_token)).send({}),
    ]) {
      const response = await denied.expect(403);
      expect(response.type).toBe('application/json');
      expect(schemas('Imsx_StatusInfo', response.body)).toEqual([]);
      expect(response.body.imsx_codeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue).toBe('forbidden');
    }
    for (const token of [undefined, 'not-a-token', tokens.ada]) {
      const request = api.http().get('/ims/ob/v3p0/credentials');
      const response = await (token ? request.set(bearer(token)) : request).expect(401);
      expect(schemas('Imsx_StatusInfo', response.body)).toEqual([]);
      expect(response.body.imsx_codeMinor.imsx_codeMinorField[0].imsx_codeMinorFieldValue).toBe('unauthorizedrequest');
    }
    // A client gets no scope it did not register.
    const narrow = await register({ scope: READ }).expect(201);
    const denied = await authorize(narrow.body.client_id, tokens.ada, { scope: `${READ} ${UPSERT}` });
    expect(denied.get('error')).toBe('invalid_scope');
  });

  it('refuses a replayed code, an expired code, a PKCE mismatch, plain PKCE and a denied consent', async () => {
    const { body: client } = await register().expect(201);
    const first = pkcePair();
    const code = (await authorize(client.client_id, tokens.ada, { challenge: first.challenge, scope: READ })).get(
      'code',
    )!;
    const wrong = await exchange(client.client_id, code, pkcePair().verifier).expect(400);
    expect(wrong.body.error).toBe('invalid_grant');

    const second = pkcePair();
    const reused = (await authorize(client.client_id, tokens.ada, { challenge: second.challenge, scope: READ })).get(
      'code',
    )!;
    await exchange(client.client_id, reused, second.verifier).expect(200);
    expect((await exchange(client.client_id, reused, second.verifier).expect(400)).body.error).toBe('invalid_grant');

    const third = pkcePair();
    const late = (await authorize(client.client_id, tokens.ada, { challenge: third.challenge, scope: READ })).get(
      'code',
    )!;
    await api.app
      .get<SqlClient>(SQL_CLIENT)
      .query("UPDATE tessera_oauth_codes SET expires_at = now() - interval '1 second'");
    expect((await exchange(client.client_id, late, third.verifier).expect(400)).body.error).toBe('invalid_grant');

    const plain = await api
      .http()
      .get(`${OAUTH}/authorize`)
      .query({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        code_challenge: 'x'.repeat(43),
        code_challenge_method: 'plain',
      })
      .expect(400);
    expect(plain.text).toMatch(/S256/);
    await api
      .http()
      .get(`${OAUTH}/authorize`)
      .query({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: 'https://evil.example.com/',
        code_challenge: first.challenge,
        code_challenge_method: 'S256',
      })
      .expect(400);

    const deniedConsent = await authorize(client.client_id, tokens.ada, { allowed: 'false', scope: READ });
    expect(deniedConsent.get('error')).toBe('access_denied');
    expect(deniedConsent.get('code')).toBeNull();

    // A token that is not a learner's is refused on the consent page, which shows the form again.
    const staffSignIn = await api
      .http()
      .post(`${OAUTH}/authorize`)
      .type('form')
      .send({
        response_type: 'code',
        client_id: client.client_id,
        redirect_uri: REDIRECT,
        scope: READ,
        code_challenge: first.challenge,
        code_challenge_method: 'S256',
        token: tokens.staff,
        allowed: 'true',
      })
      .expect(403);
    expect(staffSignIn.text).toContain('not a learner');
    // A confidential wallet must authenticate at the token endpoint, PKCE or not.
    const { body: confidential } = await register({ token_endpoint_auth_method: 'client_secret_basic' }).expect(201);
    const fourth = pkcePair();
    const secretCode = (
      await authorize(confidential.client_id, tokens.ada, { challenge: fourth.challenge, scope: READ })
    ).get('code')!;
    expect((await exchange(confidential.client_id, secretCode, fourth.verifier).expect(400)).body.error).toBe(
      'invalid_client',
    );
    await exchange(confidential.client_id, secretCode, fourth.verifier)
      .auth(confidential.client_id, confidential.client_secret)
      .expect(200);
    // Only hashes are stored.
    const sql = api.app.get<SqlClient>(SQL_CLIENT);
    const stored = await sql.query<{ code_hash: string }>('SELECT code_hash FROM tessera_oauth_codes');
    expect(stored.map((row) => row.code_hash)).not.toContain(code);
  });

  it('gives an institution’s systems client credentials bound to their issuer', async () => {
    const refused = await api
      .http()
      .post(`${OAUTH}/institution-clients`)
      .set(bearer(tokens.otherStaff))
      .send({ issuerId: 'tu-dublin', clientName: 'Not mine' })
      .expect(403);
    expect(refused.type).toBe('application/problem+json');
    await api.http().post(`${OAUTH}/institution-clients`).set(bearer(tokens.ada)).send({}).expect(403);
    const created = await api
      .http()
      .post(`${OAUTH}/institution-clients`)
      .set(bearer(tokens.staff))
      .send({ issuerId: 'tu-dublin', clientName: 'TU Dublin student records' })
      .expect(201);
    const { client_id: clientId, client_secret: secret } = created.body;
    const sql = api.app.get<SqlClient>(SQL_CLIENT);
    const [row] = await sql.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM tessera_oauth_clients WHERE client_id = $1',
      [clientId],
    );
    expect(row.secret_hash).not.toBe(secret);
    await api
      .http()
      .post(`${OAUTH}/token`)
      .auth(clientId, 'wrong-secret')
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(401);
    const token = await api
      .http()
      .post(`${OAUTH}/token`)
      .auth(clientId, secret)
      .type('form')
      .send({ grant_type: 'client_credentials', scope: READ })
      .expect(200);
    const access = bearer(token.body.access_token);
    const ada = await api.http().get('/ims/ob/v3p0/credentials?learner=ada').set(access).expect(200);
    expect(schemas('GetOpenBadgeCredentialsResponse', ada.body)).toEqual([]);
    expect(ada.body.compactJwsString).toHaveLength(3);
    expect(ada.body.credential).toEqual([]);
    const missing = await api.http().get('/ims/ob/v3p0/credentials').set(access).expect(400);
    expect(schemas('Imsx_StatusInfo', missing.body)).toEqual([]);
    const stranger = await api.http().get('/ims/ob/v3p0/credentials?learner=nobody').set(access).expect(404);
    expect(schemas('Imsx_StatusInfo', stranger.body)).toEqual([]);
    await api.http().get('/ims/ob/v3p0/profile').set(access).expect(403);

    // The other issuer's client sees nothing of tu-dublin's learners.
    const ucd = await api
      .http()
      .post(`${OAUTH}/institution-clients`)
      .set(bearer(tokens.otherStaff))
      .send({ issuerId: 'ucd', clientName: 'UCD records', scope: READ })
      .expect(201);
    const ucdToken = await api
      .http()
      .post(`${OAUTH}/token`)
      .auth(ucd.body.client_id, ucd.body.client_secret)
      .type('form')
      .send({ grant_type: 'client_credentials' })
      .expect(200);
    await api.http().get('/ims/ob/v3p0/credentials?learner=ada').set(bearer(ucdToken.body.access_token)).expect(404);
  });

  it('lists the learner’s CLR 2.0 credentials under /ims/clr/v2p0 with the CLR scope', async () => {
    const wallet = await walletToken('ada', CLR_READ);
    const { body, headers } = await api
      .http()
      .get('/ims/clr/v2p0/credentials')
      .set(bearer(wallet.access_token))
      .expect(200);
    expect(headers['x-total-count']).toBe('1');
    const clr = decodeJwt(body.compactJwsString[0]).vc as { type: string[] };
    expect(clr.type).toContain('ClrCredential');
    const ob3Only = await walletToken('ada', READ);
    await api.http().get('/ims/clr/v2p0/credentials').set(bearer(ob3Only.access_token)).expect(403);
  });

  it('refuses a registration without usable redirect URIs or with unknown scopes, RFC 7591 style', async () => {
    const noRedirect = await register({ redirect_uris: ['http://wallet.example.org/cb'] }).expect(400);
    expect(noRedirect.body.error).toBe('invalid_redirect_uri');
    const unknownScope = await register({ scope: 'https://example.org/scope/everything' }).expect(400);
    expect(unknownScope.body.error).toBe('invalid_client_metadata');
    const clientCredentials = await register({ grant_types: ['client_credentials'] }).expect(400);
    expect(clientCredentials.body.error).toBe('invalid_client_metadata');
  });
});

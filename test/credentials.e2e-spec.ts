import { identityHash, ob3SchemaValidator } from '@app/credentials';
import { decodeProtectedHeader, decodeJwt } from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Open Badges 3.0 credentials over HTTP on PostgreSQL: an award as an AchievementCredential (JSON and VC-JWT), the
 * issuers' keys at /.well-known/jwks.json, and verification — round trip, tampering, expiry, unknown keys.
 */
describe('credentials over HTTP', () => {
  const KEK = 'e2e-key-encryption-key-'.repeat(2);
  const PUBLIC_URL = 'https://credentials.example.edu';
  const validate = ob3SchemaValidator();
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const verify = (body: object) => api.http().post('/credentials/verify').send(body);
  const check = (body: { checks: Array<{ name: string; ok: boolean; reason?: string }> }, name: string) =>
    body.checks.find((entry) => entry.name === name);

  const award = async (learnerId: string, achievementId: string) =>
    (
      await awardThroughApi(api, tokens.staff, learnerId, achievementId, {
        evidence: { artifact: { url: 'https://files.example.edu/capstone.pdf', sha256: 'b'.repeat(64) } },
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met: true },
          { criterionId: 'plans', met: false },
        ],
      })
    ).awardId;

  beforeAll(async () => {
    api = await startApi({ TESSERA_KEY_ENCRYPTION_KEY: KEK, TESSERA_PUBLIC_URL: PUBLIC_URL });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
    await post('staff', '/achievements', {
      id: 'first-aid',
      issuerId: 'tu-dublin',
      ...definition({ title: 'First aid', validity: 'PT2S' }),
    }).expect(201);
    await api
      .http()
      .put('/learners/ada/profile')
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu' })
      .expect(200);
  });
  afterAll(() => api?.close());

  it('serves an award as an OB 3.0 AchievementCredential that the schema accepts, with no plaintext personal data', async () => {
    const awardId = await award('ada', 'sql');
    const response = await api.http().get(`/awards/${awardId}/credential`).expect(200);
    const credential = response.body;
    expect(validate(credential).errors).toEqual([]);
    expect(credential).toMatchObject({
      id: `${PUBLIC_URL}/awards/${awardId}/credential`,
      type: ['VerifiableCredential', 'AchievementCredential'],
      issuer: { id: `${PUBLIC_URL}/issuers/tu-dublin`, name: 'TU Dublin', url: 'https://tudublin.ie' },
      credentialSubject: {
        achievement: { achievementType: 'MicroCredential', name: 'Querying relational data', creditsAvailable: 2 },
      },
    });
    const [identity] = credential.credentialSubject.identifier;
    expect(identity).toMatchObject({ type: 'IdentityObject', identityType: 'emailAddress', hashed: true });
    expect(identity.identityHash).toBe(identityHash('ada@example.edu', identity.salt));
    expect(JSON.stringify(credential)).not.toMatch(/ada@example\.edu|Ada Lovelace/);
    expect(credential.evidence).toEqual([
      expect.objectContaining({ id: 'https://files.example.edu/capstone.pdf', sha256: 'b'.repeat(64) }),
    ]);
    expect(credential.credentialSubject.result.map((result: { value: string }) => result.value)).toEqual([
      'met',
      'met',
      'not met',
    ]);
  });

  it('signs the VC-JWT with the issuer key published at /.well-known/jwks.json, and verifies it', async () => {
    const awardId = await award('bob', 'sql');
    const response = await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const jwt = response.text;
    const header = decodeProtectedHeader(jwt);
    expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.stringContaining('/issuers/tu-dublin#') });
    const claims = decodeJwt(jwt);
    expect(claims).toMatchObject({
      iss: `${PUBLIC_URL}/issuers/tu-dublin`,
      jti: `${PUBLIC_URL}/awards/${awardId}/credential`,
      sub: 'urn:tessera:learner:bob', // no profile: the pseudonymous learner id
      nbf: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(validate(claims.vc).errors).toEqual([]);

    const jwks = await api.http().get('/.well-known/jwks.json').expect(200);
    expect(jwks.body.keys).toEqual([
      expect.objectContaining({ kid: header.kid, alg: 'ES256', use: 'sig', kty: 'EC', crv: 'P-256' }),
    ]);
    expect(jwks.body.keys[0].d).toBeUndefined();

    const verified = await verify({ jwt }).expect(200);
    expect(verified.body).toEqual({
      verified: true,
      checks: [
        { name: 'signature', ok: true },
        { name: 'key', ok: true },
        { name: 'issuer', ok: true },
        { name: 'dates', ok: true },
        { name: 'ledger', ok: true },
        { name: 'ledger-key', ok: true },
        { name: 'status', ok: true },
      ],
    });

    // Suspension, reinstatement and revocation show in the status check, with a plain reason
    await api
      .http()
      .post(`/awards/${awardId}/suspend`)
      .set('Authorization', `Bearer ${tokens.staff}`)
      .send({ reason: 'Review' })
      .expect(200);
    expect(check((await verify({ jwt }).expect(200)).body, 'status')).toEqual({
      name: 'status',
      ok: false,
      reason: expect.stringMatching(/suspended/),
    });
    await api
      .http()
      .post(`/awards/${awardId}/reinstate`)
      .set('Authorization', `Bearer ${tokens.staff}`)
      .send({})
      .expect(200);
    expect((await verify({ jwt }).expect(200)).body.verified).toBe(true);
    await api
      .http()
      .post(`/awards/${awardId}/revoke`)
      .set('Authorization', `Bearer ${tokens.staff}`)
      .send({ reason: 'Misconduct' })
      .expect(200);
    const revoked = (await verify({ jwt }).expect(200)).body;
    expect(revoked.verified).toBe(false);
    expect(check(revoked, 'status')).toEqual({ name: 'status', ok: false, reason: expect.stringMatching(/revoked/) });

    // the same key signs the issuer's next credential
    const again = await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200);
    expect(decodeProtectedHeader(again.text).kid).toBe(header.kid);
  });

  it('fails the signature when one byte of the JWT is altered', async () => {
    const awardId = await award('cleo', 'sql');
    const jwt = (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
    const [header, payload, signature] = jwt.split('.');
    const at = Math.floor(payload.length / 2);
    const tampered = [
      header,
      payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1),
      signature,
    ];
    const response = await verify({ jwt: tampered.join('.') }).expect(200);
    expect(response.body.verified).toBe(false);
    expect(check(response.body, 'signature')).toEqual({ name: 'signature', ok: false, reason: expect.any(String) });
  });

  it('fails the dates with "expired" once the award has expired', async () => {
    const awardId = await award('dan', 'first-aid');
    const jwt = (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const response = await verify({ jwt }).expect(200);
    expect(response.body.verified).toBe(false);
    expect(check(response.body, 'signature')?.ok).toBe(true);
    expect(check(response.body, 'dates')).toEqual({
      name: 'dates',
      ok: false,
      reason: expect.stringMatching(/^expired/),
    });
  });

  it('fails the key when the kid is unknown', async () => {
    const awardId = await award('eve', 'sql');
    const jwt = (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
    const [, payload, signature] = jwt.split('.');
    const header = Buffer.from(
      JSON.stringify({ alg: 'ES256', kid: 'https://elsewhere.example/keys#1', typ: 'JWT' }),
    ).toString('base64url');
    const response = await verify({ jwt: [header, payload, signature].join('.') }).expect(200);
    expect(response.body.verified).toBe(false);
    expect(check(response.body, 'key')).toEqual({
      name: 'key',
      ok: false,
      reason: 'unknown key id https://elsewhere.example/keys#1',
    });
  });

  it('reports a JSON credential without its proof as failing the signature, with a plain reason', async () => {
    const awardId = await award('fay', 'sql');
    const { proof, ...credential } = (await api.http().get(`/awards/${awardId}/credential`).expect(200)).body;
    expect(proof).toEqual([expect.objectContaining({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })]);
    expect((await verify({ credential: { ...credential, proof } }).expect(200)).body.verified).toBe(true);
    const response = await verify({ credential }).expect(200);
    expect(response.body.verified).toBe(false);
    expect(check(response.body, 'signature')?.reason).toMatch(/no proof/);
    expect(check(response.body, 'issuer')?.ok).toBe(true);
    expect(check(response.body, 'dates')?.ok).toBe(true);
  });

  it('answers malformed input with a 400 problem, an unknown award with a 404', async () => {
    for (const body of [{}, { jwt: 'not-a-jwt' }, { jwt: 42 }, { credential: [1] }, { jwt: 'a.b.c', credential: {} }]) {
      const response = await verify(body).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, type: 'urn:tessera:problem:malformed-credential' });
      expect(response.body.detail).toEqual(expect.any(String));
    }
    await api.http().get('/awards/no-such-award/credential').expect(404);
    await api.http().get('/awards/no-such-award/credential?format=xml').expect(400);
  });
});

describe('credentials without a key-encryption key on PostgreSQL', () => {
  let api: ApiHarness;
  afterAll(() => api?.close());

  it('serves the JSON credential but refuses to sign with a 503 problem', async () => {
    api = await startApi();
    const token = async (actor: Actor) => `Bearer ${await api.token(actor)}`;
    const admin = await token({ sub: 'root', roles: ['admin'], issuers: [] });
    const staff = await token({ sub: 'staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] });
    await api.http().post('/issuers').set('Authorization', admin).send(issuer()).expect(201);
    await api
      .http()
      .post('/achievements')
      .set('Authorization', staff)
      .send({ id: 'sql', issuerId: 'tu-dublin', ...definition() })
      .expect(201);
    const base = '/learners/ada/achievements/sql';
    const evidence = await api
      .http()
      .post(`${base}/evidence`)
      .set('Authorization', staff)
      .send({
        kind: 'accomplishment',
        criterionIds: ['joins'],
        description: 'Work',
        observedAt: '2026-03-01T10:00:00Z',
      })
      .expect(201);
    await api
      .http()
      .post(`${base}/assessments`)
      .set('Authorization', staff)
      .send({
        evidenceIds: [evidence.body.evidenceId],
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met: true },
        ],
      })
      .expect(201);
    const { awardId } = (await api.http().post(`${base}/award`).set('Authorization', staff).expect(201)).body;
    await api.http().get(`/awards/${awardId}/credential`).expect(200);
    const refused = await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(503);
    expect(refused.body).toMatchObject({ status: 503, type: 'urn:tessera:problem:signing-unavailable' });
    expect(refused.body.detail).toMatch(/TESSERA_KEY_ENCRYPTION_KEY/);
    expect((await api.http().get('/.well-known/jwks.json').expect(200)).body).toEqual({ keys: [] });
  });
});

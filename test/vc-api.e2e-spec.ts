import { decodeJwt } from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

const JWT_ENVELOPE = 'data:application/vc+jwt,';

/**
 * The W3C CCG VC-API shapes: issuing signs only what the ledger awarded, verification answers { checks, warnings,
 * errors } (beside the api's own { verified, checks } form), and a presentation's credentials are each verified.
 */
describe('the VC-API', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    assessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
    otherAdmin: { sub: 'ucd-staff', roles: ['issuer-admin'], issuers: ['ucd'] },
  };
  let awardId: string;
  let credential: Record<string, unknown>;
  const issue = (who: string, body: unknown) =>
    api
      .http()
      .post('/credentials/issue')
      .set('Authorization', `Bearer ${tokens[who]}`)
      .send(body as object);
  const verify = (body: object) => api.http().post('/credentials/verify').send(body);
  const tamper = (jwt: string) => {
    const [header, , signature] = jwt.split('.');
    const payload = decodeJwt(jwt);
    const vc = { ...(payload.vc as object), name: 'Something else entirely' };
    return `${header}.${Buffer.from(JSON.stringify({ ...payload, vc })).toString('base64url')}.${signature}`;
  };

  beforeAll(async () => {
    api = await startApi({
      TESSERA_KEY_ENCRYPTION_KEY: 'vc-api-e2e-key-encryption-'.repeat(2),
      TESSERA_PUBLIC_URL: PUBLIC_URL,
    });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    const post = (who: string, path: string, body: object) =>
      api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('admin', '/issuers', issuer({ id: 'ucd', name: 'UCD', url: 'https://ucd.ie' })).expect(201);
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
    awardId = (await awardThroughApi(api, tokens.staff, 'ada', 'sql')).awardId;
    credential = (await api.http().get(`/awards/${awardId}/credential`).expect(200)).body;
  });
  afterAll(() => api?.close());

  it('issues the ledger’s credential of an award, signed like the award’s VC-JWT', async () => {
    const { body } = await issue('staff', { credential, options: {} }).expect(201);
    const jwt = body.verifiableCredential;
    expect(jwt).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const served = (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
    expect(decodeJwt(jwt).vc).toEqual(decodeJwt(served).vc);
    // What the caller sends beyond the award's id changes nothing: the ledger says what was awarded.
    const embellished = await issue('staff', { credential: { ...credential, name: 'Honorary doctorate' } }).expect(201);
    expect((decodeJwt(embellished.body.verifiableCredential).vc as { name: string }).name).toBe(credential.name);
    const verified = await verify({ verifiableCredential: jwt, options: {} }).expect(200);
    expect(verified.body).toMatchObject({ verified: true, warnings: [], errors: [] });
    expect(verified.body.checks).toEqual(
      expect.arrayContaining(['proof', 'issuer', 'validity', 'credentialStatus', 'ledger']),
    );
  });

  it('refuses to issue anything the ledger did not award (422 problem), and for another issuer’s award (403)', async () => {
    for (const body of [
      { credential: { ...credential, id: 'urn:uuid:8b1c2f0e-0000-4000-8000-000000000001' } },
      { credential: { ...credential, id: `${PUBLIC_URL}/awards/no-such-award/credential` } },
      { credential: { ...credential, issuer: { id: `${PUBLIC_URL}/issuers/ucd`, type: ['Profile'] } } },
      { credential: 'not an object' },
      {},
    ]) {
      const refused = await issue('staff', body).expect(422);
      expect(refused.type).toBe('application/problem+json');
      expect(refused.body).toMatchObject({ type: 'urn:tessera:problem:not-a-ledger-award', status: 422 });
    }
    expect((await issue('otherAdmin', { credential }).expect(403)).type).toBe('application/problem+json');
    await issue('assessor', { credential }).expect(403);
    await api.http().post('/credentials/issue').send({ credential }).expect(401);
  });

  it('verifies a credential in the VC-API shape (JWT, enveloped JWT or JSON), and keeps the api’s own shape for existing callers', async () => {
    const jwt = (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
    // Another issuer's VC-API may answer VC 2.0's EnvelopedVerifiableCredential: its JWT is verified the same.
    const enveloped = {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      id: `${JWT_ENVELOPE}${jwt}`,
      type: 'EnvelopedVerifiableCredential',
    };
    expect((await verify({ verifiableCredential: enveloped }).expect(200)).body.checks).toContain('proof');
    const tampered = await verify({ verifiableCredential: tamper(jwt), options: {} }).expect(400);
    expect(tampered.body.verified).toBe(false);
    expect(tampered.body.checks).not.toContain('proof');
    expect(tampered.body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'urn:tessera:check:proof', detail: expect.any(String) }),
      ]),
    );
    // A JSON credential is verified by its embedded Data Integrity proof; without one it is reported, not verified.
    expect((await verify({ verifiableCredential: credential }).expect(200)).body.checks).toContain('proof');
    const unproofed = { ...credential };
    delete unproofed.proof;
    const json = await verify({ verifiableCredential: unproofed }).expect(400);
    expect(json.body.checks).toContain('issuer');
    expect(json.body.errors.map((error: { type: string }) => error.type)).toContain('urn:tessera:check:proof');
    const malformed = await verify({ verifiableCredential: 42 }).expect(400);
    expect(malformed.type).toBe('application/problem+json');

    const legacy = await verify({ jwt }).expect(200);
    expect(legacy.body.verified).toBe(true);
    expect(legacy.body.checks).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'signature', ok: true })]),
    );
    expect((await verify({ jwt: tamper(jwt) }).expect(200)).body.verified).toBe(false);
  });

  it('verifies each credential of a presentation', async () => {
    const jwt = (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
    const presentation = (credentials: unknown[]) => ({
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: ['VerifiablePresentation'],
      verifiableCredential: credentials,
    });
    const good = await api
      .http()
      .post('/presentations/verify')
      .send({ verifiablePresentation: presentation([jwt]), options: {} })
      .expect(200);
    expect(good.body).toMatchObject({ verified: true, checks: ['credentials'], errors: [] });
    expect(good.body.warnings[0].title).toMatch(/carries no proof/);
    expect(good.body.credentialResults).toHaveLength(1);

    const mixed = await api
      .http()
      .post('/presentations/verify')
      .send({
        verifiablePresentation: presentation([
          {
            '@context': ['https://www.w3.org/ns/credentials/v2'],
            id: `${JWT_ENVELOPE}${jwt}`,
            type: 'EnvelopedVerifiableCredential',
          },
          tamper(jwt),
        ]),
      })
      .expect(400);
    expect(mixed.body.verified).toBe(false);
    expect(mixed.body.credentialResults.map((result: { verified: boolean }) => result.verified)).toEqual([true, false]);
    expect(mixed.body.errors[0].detail).toMatch(/1 of 2/);

    const notAPresentation = await api
      .http()
      .post('/presentations/verify')
      .send({ verifiablePresentation: { type: ['VerifiableCredential'] } })
      .expect(400);
    expect(notAPresentation.type).toBe('application/problem+json');
  });
});

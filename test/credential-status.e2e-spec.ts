import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyCredentialJwt } from '@app/credentials';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet, jwtVerify } from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { IssuerKeyStore } from '../apps/api/src/credentials/issuer-key.store';
import { StatusListStore } from '../apps/api/src/credentials/status-list.store';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Revocation and suspension through W3C Bitstring Status Lists on PostgreSQL: every award credential carries its own
 * entry, the issuer's list is a signed BitstringStatusListCredential, and verification — Tessera's and an outside
 * verifier's that knows only the JWKS URL, the status list URL and 1EdTech's schema — reads the bits.
 */
describe('credential status over HTTP', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const verify = (body: object) => api.http().post('/credentials/verify').send(body);
  const checkOf = (body: { checks: Array<{ name: string; ok: boolean; reason?: string }> }, name: string) =>
    body.checks.find((entry) => entry.name === name);
  const award = async (learnerId: string) => (await awardThroughApi(api, tokens.staff, learnerId, 'sql')).awardId;
  const jwtOf = async (awardId: string) =>
    (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
  /** The path of one of our URLs: supertest stands in for the network. */
  const pathOf = (url: string) => {
    expect(url.startsWith(PUBLIC_URL)).toBe(true);
    return url.slice(PUBLIC_URL.length);
  };
  const entryValue = (encodedList: string, index: number) => {
    const bits = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
    return ((bits[(index * 2) >> 3] >> (6 - ((index * 2) & 7))) & 0b11) as number;
  };
  const listValue = async (credentialStatus: { statusListCredential: string; statusListIndex: string }) => {
    const list = await api
      .http()
      .get(`${pathOf(credentialStatus.statusListCredential)}?format=json`)
      .expect(200);
    return entryValue(list.body.credentialSubject.encodedList, Number(credentialStatus.statusListIndex));
  };

  beforeAll(async () => {
    api = await startApi({ TESSERA_KEY_ENCRYPTION_KEY: 'status-e2e-kek-'.repeat(3), TESSERA_PUBLIC_URL: PUBLIC_URL });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
  });
  afterAll(() => api?.close());

  it('gives every award credential, JSON and JWT, its own stable entry in the issuer’s list', async () => {
    const [first, second] = [await award('ada'), await award('bob')];
    const json = (await api.http().get(`/awards/${first}/credential`).expect(200)).body;
    expect(json.credentialStatus).toEqual({
      id: `${json.credentialStatus.statusListCredential}#${json.credentialStatus.statusListIndex}`,
      type: 'BitstringStatusListEntry',
      statusPurpose: 'message',
      statusListIndex: expect.stringMatching(/^\d+$/),
      statusListCredential: `${PUBLIC_URL}/status-lists/tu-dublin/1`,
      statusSize: 2,
      statusMessage: [
        { status: '0x0', message: 'valid' },
        { status: '0x1', message: 'suspended' },
        { status: '0x2', message: 'revoked' },
        { status: '0x3', message: 'revoked' },
      ],
    });
    const jwt = await jwtOf(first);
    const claims = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
    expect(claims.vc.credentialStatus).toEqual(json.credentialStatus);
    const other = (await api.http().get(`/awards/${second}/credential`).expect(200)).body.credentialStatus;
    expect(other.statusListIndex).not.toBe(json.credentialStatus.statusListIndex);
    expect((await api.http().get(`/awards/${first}/credential`).expect(200)).body.credentialStatus).toEqual(
      json.credentialStatus,
    );
  });

  it('never gives two credentials one index, however many ask at once', async () => {
    const entries = api.app.get(StatusListStore);
    const keys = Array.from({ length: 40 }, (_, n) => `test:${n % 20}`);
    const allocated = await Promise.all(keys.map((key) => entries.entryFor('tu-dublin', key)));
    const byKey = new Map<string, number>();
    allocated.forEach((entry, n) => {
      expect(entry).toMatchObject({ issuerId: 'tu-dublin', listId: '1' });
      const known = byKey.get(keys[n]);
      if (known === undefined) byKey.set(keys[n], entry.index);
      else expect(entry.index).toBe(known);
    });
    expect(new Set(byKey.values()).size).toBe(20);
    await expect(entries.entryFor('uni-porto', 'test:1')).rejects.toThrow(/of issuer tu-dublin/);
  });

  it('sets the award’s bits on suspension and revocation, clears them on reinstatement, and verification says so', async () => {
    const awardId = await award('cleo');
    const jwt = await jwtOf(awardId);
    const status = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')).vc.credentialStatus;
    expect(await listValue(status)).toBe(0);
    expect((await verify({ jwt }).expect(200)).body).toEqual({
      verified: true,
      checks: ['signature', 'key', 'issuer', 'dates', 'ledger', 'ledger-key', 'status'].map((name) => ({
        name,
        ok: true,
      })),
    });

    await post('staff', `/awards/${awardId}/suspend`, { reason: 'Under review' }).expect(200);
    expect(await listValue(status)).toBe(1);
    const suspended = (await verify({ jwt }).expect(200)).body;
    expect(suspended.verified).toBe(false);
    expect(checkOf(suspended, 'status')?.reason).toMatch(/^suspended: /);

    await post('staff', `/awards/${awardId}/reinstate`, {}).expect(200);
    expect(await listValue(status)).toBe(0);
    expect((await verify({ jwt }).expect(200)).body.verified).toBe(true);

    await post('staff', `/awards/${awardId}/revoke`, { reason: 'Misconduct' }).expect(200);
    expect(await listValue(status)).toBe(2);
    const revoked = (await verify({ jwt }).expect(200)).body;
    expect(checkOf(revoked, 'status')).toEqual({ name: 'status', ok: false, reason: expect.stringMatching(/revoked/) });
    // the JSON credential is checked against the same list
    const json = (await api.http().get(`/awards/${awardId}/credential`).expect(200)).body;
    expect(checkOf((await verify({ credential: json }).expect(200)).body, 'status')?.reason).toMatch(/^revoked: /);
  });

  it('serves the list as a VC-JWT that verifies against the JWKS, and as JSON on request', async () => {
    const awardId = await award('dan');
    await jwtOf(awardId);
    const response = await api.http().get('/status-lists/tu-dublin/1').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/vc\+jwt/);
    const jwks = createLocalJWKSet((await api.http().get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet);
    const { payload, protectedHeader } = await jwtVerify(response.text, jwks, { algorithms: ['ES256'] });
    expect(protectedHeader.kid).toMatch(new RegExp(`^${PUBLIC_URL}/issuers/tu-dublin#`));
    expect(payload).toMatchObject({
      iss: `${PUBLIC_URL}/issuers/tu-dublin`,
      jti: `${PUBLIC_URL}/status-lists/tu-dublin/1`,
    });
    const list = payload.vc as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(list).toMatchObject({
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      credentialSubject: { type: 'BitstringStatusList', statusPurpose: 'message', ttl: expect.any(Number) },
    });
    expect(Date.parse(list.validUntil)).toBeGreaterThan(Date.parse(list.validFrom));
    const bits = gunzipSync(Buffer.from(list.credentialSubject.encodedList.slice(1), 'base64url'));
    expect(bits.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(bits.length * 4).toBeGreaterThanOrEqual(131_072); // 2 bits an entry
    const json = await api.http().get('/status-lists/tu-dublin/1?format=json').expect(200);
    expect(json.body.credentialSubject.encodedList).toEqual(expect.stringMatching(/^u/));
  });

  it('fails the signature when one byte of the payload is altered, and the dates once expired', async () => {
    const jwt = await jwtOf(await award('eve'));
    const [header, payload, signature] = jwt.split('.');
    const at = Math.floor(payload.length / 3);
    const tampered = [
      header,
      payload.slice(0, at) + (payload[at] === 'A' ? 'B' : 'A') + payload.slice(at + 1),
      signature,
    ];
    const response = (await verify({ jwt: tampered.join('.') }).expect(200)).body;
    expect(response.verified).toBe(false);
    expect(checkOf(response, 'signature')).toMatchObject({ ok: false, reason: expect.stringMatching(/altered/) });

    // Two years and a day later, by the verifier's clock: the award (validity P2Y) has expired.
    const keys = api.app.get(IssuerKeyStore);
    const later = new Date(Date.now() + (2 * 366 + 1) * 86_400_000);
    const expired = await verifyCredentialJwt(jwt, (kid) => keys.find(kid), later);
    expect(checkOf(expired, 'dates')).toEqual({ name: 'dates', ok: false, reason: expect.stringMatching(/^expired/) });
    expect(checkOf(expired, 'signature')?.ok).toBe(true);
  });

  it('fails the status, plainly, without credentialStatus or with a list this service does not publish', async () => {
    const awardId = await award('fay');
    const { credentialStatus, ...withoutStatus } = (await api.http().get(`/awards/${awardId}/credential`).expect(200))
      .body;
    const none = (await verify({ credential: withoutStatus }).expect(200)).body;
    expect(checkOf(none, 'status')?.reason).toMatch(/no credentialStatus/);
    for (const [statusListCredential, reason] of [
      [`${PUBLIC_URL}/status-lists/tu-dublin/7`, /there is no status list/],
      ['https://elsewhere.example/lists/1', /not a status list this service publishes/],
      [`${PUBLIC_URL}/status-lists/%E0/1`, /not a status list this service publishes/],
      [`${PUBLIC_URL}/status-lists/tu-dublin/1/extra`, /not a status list this service publishes/],
    ] as const) {
      const credential = { ...withoutStatus, credentialStatus: { ...credentialStatus, statusListCredential } };
      expect(checkOf((await verify({ credential }).expect(200)).body, 'status')?.reason).toMatch(reason);
    }
  });

  it('answers a malformed list request with a 400 problem and an unknown list with a 404', async () => {
    for (const path of ['/status-lists/TU_Dublin/1', '/status-lists/tu-dublin/0', '/status-lists/tu-dublin/one']) {
      const response = await api.http().get(path).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 400, type: 'urn:tessera:problem:invalid-status-list' });
    }
    await api.http().get('/status-lists/tu-dublin/1?format=xml').expect(400);
    for (const path of ['/status-lists/tu-dublin/2', '/status-lists/nobody/1']) {
      const response = await api.http().get(path).expect(404);
      expect(response.body).toMatchObject({ status: 404, type: 'urn:tessera:problem:unknown-status-list' });
    }
  });

  /**
   * An outside verifier: it knows the JWKS URL, fetches what the credential points to, and checks the credential
   * against 1EdTech's OB 3.0 schema — jose and ajv, nothing of Tessera's.
   */
  describe('an outside verifier', () => {
    const schema = JSON.parse(
      readFileSync(join(__dirname, '../libs/credentials/src/schema/ob_v3p0_achievementcredential_schema.json'), 'utf8'),
    );
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validateOb3 = ajv.compile(schema);

    /** What it concludes about a VC-JWT: a list of failures (empty when it is good). */
    async function outsideVerify(jwt: string, now = new Date()): Promise<string[]> {
      const failures: string[] = [];
      const jwks = (await api.http().get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
      const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { algorithms: ['ES256'], currentDate: now });
      const key = jwks.keys.find((candidate) => candidate.kid === decodeProtectedHeader(jwt).kid) as
        { nbf: number; exp?: number } | undefined;
      const iat = payload.iat ?? 0;
      if (!key || iat < key.nbf - 5 || (key.exp !== undefined && iat >= key.exp)) failures.push('key not in force');
      const vc = payload.vc as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (!validateOb3(vc)) failures.push(`schema: ${ajv.errorsText(validateOb3.errors)}`);
      if (payload.iss !== vc.issuer.id) failures.push('iss is not the issuer');
      const status = vc.credentialStatus;
      const listJwt = (await api.http().get(pathOf(status.statusListCredential)).expect(200)).text;
      const list = await jwtVerify(listJwt, createLocalJWKSet(jwks), { algorithms: ['ES256'] });
      if (list.payload.iss !== vc.issuer.id) failures.push('the status list is not the issuer’s');
      const listVc = list.payload.vc as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      if (listVc.credentialSubject.statusPurpose !== status.statusPurpose) failures.push('status purpose differs');
      const value = entryValue(listVc.credentialSubject.encodedList, Number(status.statusListIndex));
      if (value !== 0)
        failures.push(
          status.statusMessage.find((message: { status: string }) => Number(message.status) === value).message,
        );
      return failures;
    }

    it('accepts a good credential, and sees revocation and suspension through the list', async () => {
      const good = await award('gus');
      expect(await outsideVerify(await jwtOf(good))).toEqual([]);
      const suspended = await award('hal');
      const suspendedJwt = await jwtOf(suspended);
      await post('staff', `/awards/${suspended}/suspend`, { reason: 'Review' }).expect(200);
      expect(await outsideVerify(suspendedJwt)).toEqual(['suspended']);
      const revoked = await award('ian');
      const revokedJwt = await jwtOf(revoked);
      await post('staff', `/awards/${revoked}/revoke`, { reason: 'Misconduct' }).expect(200);
      expect(await outsideVerify(revokedJwt)).toEqual(['revoked']);
      expect(await outsideVerify(await jwtOf(good))).toEqual([]);
    });
  });
});

import { type CommandContext, domainMetadata, StreamCommands } from '@app/application';
import { KeyEncryption, signCredentialJwt, verifyCredentialJwt } from '@app/credentials';
import { decideIssuer, issuerDecider, issuerStream } from '@app/domain';
import type { SqlClient } from '@app/event-store';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import {
  calculateJwkThumbprint,
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { IssuerKeyStore } from '../apps/api/src/credentials/issuer-key.store';
import { SQL_CLIENT } from '../apps/api/src/storage.tokens';
import profileSchema from '../libs/credentials/src/schema/ob_v3p0_profile_schema.json';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Issuer keys over HTTP on PostgreSQL: the first key made at registration, rotation recorded as IssuerKeyRotated,
 * old keys published with their windows so what they signed still verifies, and the issuer's OB 3.0 Profile.
 */
describe('issuer keys and their rotation', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  const KEK = 'rotation-e2e-kek-'.repeat(3);
  const ISSUER_URL = `${PUBLIC_URL}/issuers/tu-dublin`;
  let api: ApiHarness;
  let streams: StreamCommands;
  let sql: SqlClient;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    assessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
    otherAdmin: { sub: 'porto-admin', roles: ['issuer-admin'], issuers: ['uni-porto'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const rotate = (who: string, issuerId = 'tu-dublin') => post(who, `/issuers/${issuerId}/keys/rotate`);
  const jwtOf = async (learnerId: string) => {
    const { awardId } = await awardThroughApi(api, tokens.staff, learnerId, 'sql');
    return (await api.http().get(`/awards/${awardId}/credential?format=jwt`).expect(200)).text;
  };
  const verify = async (jwt: string) => (await api.http().post('/credentials/verify').send({ jwt }).expect(200)).body;
  const jwks = async () => (await api.http().get('/.well-known/jwks.json').expect(200)).body.keys;
  const rotations = async (issuerId: string) =>
    (await streams.readStream(issuerStream(issuerId))).filter((event) => event.type === 'IssuerKeyRotated');
  const keyRows = async (issuerId: string) =>
    (
      await sql.query<{ kid: string }>(
        "SELECT kid FROM tessera_issuer_keys WHERE issuer_id = $1 AND public_jwk->>'kty' = 'EC' ORDER BY kid",
        [issuerId],
      )
    ).map((row) => row.kid);
  /** Registers an issuer straight through the ledger, as before keys were made at registration. */
  const registerInLedger = (issuerId: string) => {
    const context: CommandContext = {
      commandId: `register-${issuerId}`,
      correlationId: `register-${issuerId}`,
      actor: actors.admin,
      now: new Date().toISOString(),
    };
    return streams.execute(issuerStream(issuerId), issuerDecider, context, (issuer) =>
      decideIssuer(
        {
          type: 'RegisterIssuer',
          data: { issuerId, name: issuerId, url: 'https://example.edu', country: 'PT', qualityAssurance: 'A3ES' },
          metadata: domainMetadata(context),
        },
        issuer,
      ),
    );
  };

  beforeAll(async () => {
    api = await startApi({ TESSERA_KEY_ENCRYPTION_KEY: KEK, TESSERA_PUBLIC_URL: PUBLIC_URL });
    streams = api.app.get(StreamCommands);
    sql = api.app.get<symbol, SqlClient>(SQL_CLIENT);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
  });
  afterAll(() => api?.close());

  it('makes the issuer’s first key at registration, records it, and publishes it in the JWKS and the profile', async () => {
    const registered = await post('admin', '/issuers', issuer()).expect(201);
    const kid = registered.body.keyId;
    expect(kid).toMatch(new RegExp(`^${ISSUER_URL}#[\\w-]{43}$`));
    const [event] = await rotations('tu-dublin');
    const multikey = event.data.multikey as { id: string; publicKeyMultibase: string };
    expect(event.data).toMatchObject({ issuerId: 'tu-dublin', keyId: kid, rotatedBy: 'root' });
    expect(event.data.previousKeyId).toBeUndefined();
    expect(event.data.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(event.data.publicJwk).not.toHaveProperty('d');
    expect(await keyRows('tu-dublin')).toEqual([kid]);
    const [row] = await sql.query<{ private_jwk_encrypted: string }>(
      'SELECT private_jwk_encrypted FROM tessera_issuer_keys WHERE kid = $1',
      [kid],
    );
    expect(row.private_jwk_encrypted).toMatch(/^v1\./);
    expect(JSON.parse(new KeyEncryption(KEK).decrypt(row.private_jwk_encrypted, kid))).toHaveProperty('d');

    expect(await jwks()).toEqual([
      expect.objectContaining({ kid, alg: 'ES256', use: 'sig', nbf: expect.any(Number), kty: 'EC' }),
    ]);
    const profile = (await api.http().get('/issuers/tu-dublin').expect(200)).body;
    expect(profile).toMatchObject({
      status: 'registered',
      issuerId: 'tu-dublin',
      name: 'TU Dublin',
      country: 'IE',
      qualityAssurance: 'QQI',
      keyIds: [kid],
      id: ISSUER_URL,
      type: ['Profile'],
      verificationMethod: [
        {
          id: kid,
          type: 'JsonWebKey',
          controller: ISSUER_URL,
          publicKeyJwk: { kid, kty: 'EC' },
          validFrom: event.data.rotatedAt,
        },
        {
          id: multikey.id,
          type: 'Multikey',
          controller: ISSUER_URL,
          publicKeyMultibase: multikey.publicKeyMultibase,
          validFrom: event.data.rotatedAt,
        },
      ],
    });
    // The Ed25519 key of the same event: its own row, by its Multikey id, its private key encrypted the same way.
    expect(multikey.id).toBe(`${ISSUER_URL}#${multikey.publicKeyMultibase}`);
    const [ed25519] = await sql.query<{ public_jwk: object; private_jwk_encrypted: string }>(
      'SELECT public_jwk, private_jwk_encrypted FROM tessera_issuer_keys WHERE kid = $1',
      [multikey.id],
    );
    expect(ed25519.public_jwk).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      publicKeyMultibase: multikey.publicKeyMultibase,
    });
    expect(JSON.parse(new KeyEncryption(KEK).decrypt(ed25519.private_jwk_encrypted, multikey.id))).toMatchObject({
      secretKeyMultibase: expect.stringMatching(/^z/),
    });
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
  });

  it('serves the OB 3.0 Profile alone for application/ld+json, valid against 1EdTech’s schema', async () => {
    const response = await api.http().get('/issuers/tu-dublin').set('Accept', 'application/ld+json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(profileSchema);
    expect(validate(response.body) ? [] : validate.errors).toEqual([]);
    expect(response.body).not.toHaveProperty('status');
    expect(response.body['@context']).toContain('https://www.w3.org/ns/credentials/v2');
  });

  it('rotates: new credentials carry the new kid, old ones still verify, and the old key cannot sign any more', async () => {
    const keys = api.app.get(IssuerKeyStore);
    const before = await jwtOf('ada');
    const oldKid = decodeProtectedHeader(before).kid;
    const oldKey = await keys.signingKey('tu-dublin');

    const rotated = await rotate('staff').expect(201);
    expect(rotated.body).toEqual({
      issuerId: 'tu-dublin',
      keyId: expect.stringMatching(new RegExp(`^${ISSUER_URL}#`)),
      previousKeyId: oldKid,
      validFrom: expect.any(String),
      position: expect.stringMatching(/^\d+$/),
    });
    const newKid = rotated.body.keyId;
    expect(newKid).not.toBe(oldKid);

    const after = await jwtOf('bob');
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect((await verify(after)).verified).toBe(true);
    expect((await verify(before)).verified).toBe(true);

    const published = await jwks();
    expect(published.map((key: { kid: string }) => key.kid)).toEqual([oldKid, newKid]);
    const rotatedAtSeconds = Math.ceil(Date.parse(rotated.body.validFrom) / 1000);
    expect(published[0]).toMatchObject({ kid: oldKid, exp: rotatedAtSeconds });
    expect(published[1].exp).toBeUndefined();
    // jose, knowing only the JWKS, picks each JWT's key by kid: the old one for the old credential
    const jwksSet = createLocalJWKSet({ keys: published });
    expect((await jwtVerify(before, jwksSet, { algorithms: ['ES256'] })).protectedHeader.kid).toBe(oldKid);
    expect((await jwtVerify(after, jwksSet, { algorithms: ['ES256'] })).protectedHeader.kid).toBe(newKid);
    const profile = (await api.http().get('/issuers/tu-dublin').expect(200)).body;
    expect(profile.keyIds).toEqual([oldKid, newKid]);
    const [oldJwk, oldMultikey, newJwk, newMultikey] = profile.verificationMethod;
    expect(oldJwk).toMatchObject({ id: oldKid, validUntil: rotated.body.validFrom });
    expect(oldMultikey).toMatchObject({ type: 'Multikey', validUntil: rotated.body.validFrom });
    expect(newJwk).toMatchObject({ id: newKid, validFrom: rotated.body.validFrom });
    expect(newJwk).not.toHaveProperty('validUntil');
    expect(newMultikey).toMatchObject({ type: 'Multikey', validFrom: rotated.body.validFrom });

    const events = await rotations('tu-dublin');
    expect(events.map((event) => [event.data.keyId, event.data.previousKeyId])).toEqual([
      [oldKid, undefined],
      [newKid, oldKid],
    ]);
    expect(await keyRows('tu-dublin')).toEqual([oldKid, newKid].sort());

    // A credential the old key signs after the rotation (a stolen key, say) fails the key check.
    await new Promise((resolve) => setTimeout(resolve, 1100)); // iat has whole seconds
    const late = await signCredentialJwt(decodeJwt(before).vc as Record<string, unknown>, oldKey.key, oldKey.kid);
    const verification = await verifyCredentialJwt(late, (kid) => keys.find(kid));
    expect(verification.checks.find((check) => check.name === 'key')).toEqual({
      name: 'key',
      ok: false,
      reason: expect.stringMatching(/was not in force/),
    });
  });

  it('honours Idempotency-Key: the same rotation twice makes one key', async () => {
    const count = (await rotations('tu-dublin')).length;
    const once = await post('staff', '/issuers/tu-dublin/keys/rotate').set('Idempotency-Key', 'rotate-1').expect(201);
    const twice = await post('staff', '/issuers/tu-dublin/keys/rotate').set('Idempotency-Key', 'rotate-1').expect(201);
    expect(twice.body).toEqual(once.body);
    expect(await rotations('tu-dublin')).toHaveLength(count + 1);
    expect(await keyRows('tu-dublin')).toHaveLength(count + 1);
  });

  it('lets only an admin or an issuer-admin of the issuer rotate, and answers bad requests with problems', async () => {
    const count = (await rotations('tu-dublin')).length;
    await rotate('admin').expect(201);
    expect((await rotate('assessor').expect(403)).body).toMatchObject({ status: 403 });
    expect((await rotate('otherAdmin').expect(403)).body).toMatchObject({
      type: 'urn:tessera:problem:not-your-issuer',
    });
    await api.http().post('/issuers/tu-dublin/keys/rotate').send({}).expect(401);
    expect((await rotate('admin', 'nobody').expect(404)).body).toMatchObject({
      type: 'urn:tessera:problem:unknown-issuer',
    });
    const invalid = await rotate('admin', 'Not_A_Slug').expect(400);
    expect(invalid.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await rotations('tu-dublin')).toHaveLength(count + 1);
    // the refused rotations left no key material behind
    expect(await keyRows('tu-dublin')).toHaveLength(count + 1);
    expect(await keyRows('nobody')).toEqual([]);
  });

  it('records a key made before keys were recorded from when it was made, so what it signed still verifies', async () => {
    await registerInLedger('uni-porto');
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = `${PUBLIC_URL}/issuers/uni-porto#${await calculateJwkThumbprint(publicJwk)}`;
    await sql.query(
      `INSERT INTO tessera_issuer_keys (issuer_id, kid, public_jwk, private_jwk_encrypted, created_at)
       VALUES ('uni-porto', $1, $2, $3, '2026-01-01T00:00:00Z')`,
      [
        kid,
        JSON.stringify(publicJwk),
        new KeyEncryption(KEK).encrypt(JSON.stringify(await exportJWK(privateKey)), kid),
      ],
    );
    expect(await jwks()).toContainEqual(
      expect.objectContaining({ kid, nbf: Date.parse('2026-01-01T00:00:00Z') / 1000 }),
    );
    const [event] = await rotations('uni-porto');
    expect(event.data).toMatchObject({ keyId: kid, rotatedAt: '2026-01-01T00:00:00.000Z' });
    const keys = api.app.get(IssuerKeyStore);
    expect((await keys.signingKey('uni-porto')).kid).toBe(kid);
    expect(await rotations('uni-porto')).toHaveLength(1);
    // signed in February with that key, before it was recorded
    const signedThen = await new SignJWT({
      vc: { id: 'urn:uuid:1', issuer: { id: `${PUBLIC_URL}/issuers/uni-porto` }, validFrom: '2026-02-01T00:00:00Z' },
    })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .setIssuer(`${PUBLIC_URL}/issuers/uni-porto`)
      .setIssuedAt(Date.parse('2026-02-01T00:00:00Z') / 1000)
      .sign(privateKey);
    expect((await verifyCredentialJwt(signedThen, (id) => keys.find(id))).verified).toBe(true);
  });

  it('makes a first key on first signing for an issuer registered without one, once however many ask', async () => {
    await registerInLedger('uni-minho');
    const keys = api.app.get(IssuerKeyStore);
    const signers = await Promise.all(Array.from({ length: 5 }, () => keys.signingKey('uni-minho')));
    expect(new Set(signers.map((signer) => signer.kid)).size).toBe(1);
    expect(await rotations('uni-minho')).toHaveLength(1);
    expect(await keyRows('uni-minho')).toEqual([signers[0].kid]);
  });
});

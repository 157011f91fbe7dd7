import { StreamCommands } from '@app/application';
import { issuerStream } from '@app/domain';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  type JSONWebKeySet,
  jwtVerify,
  type KeyLike,
  SignJWT,
} from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { IssuerKeyStore } from '../apps/api/src/credentials/issuer-key.store';
import {
  type ApiHarness,
  awardThroughApi,
  certificatePathway,
  definition,
  issuer,
  startApi,
} from './support/api-harness';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A leaked signing key, on PostgreSQL: verification checks Tessera's credentials against the ledger (which record,
 * which keys may sign it, by the ledger's time and not the JWT's iat), and a key reported compromised leaves the
 * JWKS and the profile, fails everything it signed, and what it signed is served signed by the current key.
 */
describe('a leaked signing key', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  let api: ApiHarness;
  let streams: StreamCommands;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    assessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'tu-registrar', roles: ['registrar'], issuers: ['tu-dublin'] },
    otherAdmin: { sub: 'porto-admin', roles: ['issuer-admin'], issuers: ['uni-porto'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const compromise = (who: string, keyId: string, body: object, issuerId = 'tu-dublin') =>
    post(who, `/issuers/${issuerId}/keys/${encodeURIComponent(keyId)}/compromise`, body);
  const jwtOf = async (path: string) => (await api.http().get(`${path}?format=jwt`).expect(200)).text;
  const verify = async (jwt: string) => (await api.http().post('/credentials/verify').send({ jwt }).expect(200)).body;
  const checkOf = (verification: Json, name: string) => verification.checks.find((check: Json) => check.name === name);
  const jwks = async () => (await api.http().get('/.well-known/jwks.json').expect(200)).body as JSONWebKeySet;
  const issuerEvents = async (issuerId = 'tu-dublin') => (await streams.readStream(issuerStream(issuerId))).length;
  /** A JWT of the credential `vc`, signed with `key` and claiming to have been signed at `iat`. */
  const forge = (vc: Json, signer: { kid: string; key: KeyLike }, iat: number) =>
    new SignJWT({ vc })
      .setProtectedHeader({ alg: 'ES256', kid: signer.kid, typ: 'JWT' })
      .setIssuer(vc.issuer.id)
      .setJti(vc.id)
      .setNotBefore(Math.floor(Date.parse(vc.validFrom) / 1000))
      .setIssuedAt(iat)
      .sign(signer.key);
  /** jose and the JWKS alone: the key picked by kid, the signature, and iat within the key's nbf/exp window. */
  const outsideVerifier = async (jwt: string): Promise<string> => {
    const published = await jwks();
    try {
      const { payload, protectedHeader } = await jwtVerify(jwt, createLocalJWKSet(published), {
        algorithms: ['ES256'],
      });
      const key = published.keys.find((candidate) => candidate.kid === protectedHeader.kid) as Json;
      const iat = payload.iat ?? 0;
      return iat < key.nbf - 5 || (key.exp !== undefined && iat >= key.exp) ? 'key not in force' : 'verified';
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  };
  async function conferred(learnerId: string): Promise<string> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const transcript = (
        await api.http().get(`/learners/${learnerId}/transcript`).set('Authorization', `Bearer ${tokens.registrar}`)
      ).body;
      const [entry] = transcript.qualifications ?? [];
      if (entry) return entry.qualificationId;
      if (Date.now() > deadline) throw new Error(`${learnerId} was conferred no qualification`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  let firstKey: { kid: string; key: KeyLike };
  let secondKid: string;
  let firstWindow: { from: number; until: number };
  const awards: Record<string, string> = {};
  let qualificationId: string;
  const jwts: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi({
      TESSERA_KEY_ENCRYPTION_KEY: 'compromise-e2e-kek-'.repeat(3),
      TESSERA_PUBLIC_URL: PUBLIC_URL,
    });
    streams = api.app.get(StreamCommands);
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post(
      'admin',
      '/issuers',
      issuer({ id: 'uni-porto', name: 'Porto', url: 'https://up.pt', country: 'PT' }),
    ).expect(201);
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
    await post('staff', '/pathways', certificatePathway()).expect(201);
    firstKey = await api.app.get(IssuerKeyStore).signingKey('tu-dublin');
    awards.ada = (await awardThroughApi(api, tokens.staff, 'ada', 'sql')).awardId;
    qualificationId = await conferred('ada');
    jwts.ada = await jwtOf(`/awards/${awards.ada}/credential`);
    jwts.adaQualification = await jwtOf(`/qualifications/${qualificationId}/credential`);
    const rotated = await post('staff', '/issuers/tu-dublin/keys/rotate').expect(201);
    secondKid = rotated.body.keyId;
    const [published] = (await jwks()).keys as Json[];
    firstWindow = { from: published.nbf, until: published.exp };
    awards.bob = (await awardThroughApi(api, tokens.staff, 'bob', 'sql')).awardId;
    jwts.bob = await jwtOf(`/awards/${awards.bob}/credential`);
  }, 60_000);
  afterAll(() => api?.close());

  describe('verification against the ledger', () => {
    it('passes Tessera’s credentials, with the ledger checks, before and after a rotation', async () => {
      for (const jwt of [jwts.ada, jwts.adaQualification, jwts.bob])
        expect(await verify(jwt)).toEqual({
          verified: true,
          checks: ['signature', 'key', 'issuer', 'dates', 'ledger', 'ledger-key', 'status'].map((name) => ({
            name,
            ok: true,
          })),
        });
      expect(decodeProtectedHeader(jwts.ada).kid).toBe(firstKey.kid);
      expect(decodeProtectedHeader(jwts.bob).kid).toBe(secondKid);
    });

    it('fails a rotated-out key’s JWT with a backdated iat for a made-up award: not-in-ledger', async () => {
      const vc = decodeJwt(jwts.ada).vc as Json;
      const madeUp = { ...vc, id: `${PUBLIC_URL}/awards/made-up-award/credential` };
      const verification = await verify(await forge(madeUp, firstKey, firstWindow.from));
      expect(checkOf(verification, 'key')).toEqual({ name: 'key', ok: true }); // the iat lies inside the window
      expect(verification.verified).toBe(false);
      expect(checkOf(verification, 'ledger')).toEqual({
        name: 'ledger',
        ok: false,
        reason: expect.stringMatching(/^not-in-ledger: .*made-up-award/),
      });
    });

    it('fails it for a real award the ledger made after the key’s window: key-not-in-force', async () => {
      const vc = decodeJwt(jwts.bob).vc as Json; // what the ledger holds for Bob's award, to the letter
      const verification = await verify(await forge(vc, firstKey, firstWindow.from));
      expect(checkOf(verification, 'key')).toEqual({ name: 'key', ok: true });
      expect(checkOf(verification, 'ledger')).toEqual({ name: 'ledger', ok: true });
      expect(checkOf(verification, 'ledger-key')).toEqual({
        name: 'ledger-key',
        ok: false,
        reason: expect.stringMatching(/^key-not-in-force: .* before the ledger made award /),
      });
      expect(verification.verified).toBe(false);
    });

    it('fails a credential whose claims differ from the ledger’s record: not-in-ledger', async () => {
      const vc = decodeJwt(jwts.ada).vc as Json;
      const other = {
        ...vc,
        credentialSubject: { ...vc.credentialSubject, identifier: undefined, id: 'urn:tessera:learner:eve' },
      };
      const verification = await verify(await forge(other, firstKey, firstWindow.from));
      expect(checkOf(verification, 'ledger')).toEqual({
        name: 'ledger',
        ok: false,
        reason: expect.stringMatching(/^not-in-ledger: its subject differ/),
      });
    });

    it('leaves a JWT of a key Tessera does not hold to the five checks, as before', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const foreign = await forge(
        decodeJwt(jwts.bob).vc as Json,
        { kid: 'https://elsewhere.example/keys#1', key: privateKey },
        0,
      );
      const verification = await verify(foreign);
      expect(verification.checks.map((check: Json) => check.name)).toEqual([
        'signature',
        'key',
        'issuer',
        'dates',
        'status',
      ]);
      expect(checkOf(verification, 'key')).toEqual({
        name: 'key',
        ok: false,
        reason: 'unknown key id https://elsewhere.example/keys#1',
      });
    });

    it('checks a CLR by the credentials it embeds', async () => {
      const clr = (
        await api
          .http()
          .get('/learners/ada/clr?format=jwt')
          .set('Authorization', `Bearer ${tokens.registrar}`)
          .expect(200)
      ).text;
      const verification = await verify(clr);
      for (const name of ['ledger', 'ledger-key']) expect(checkOf(verification, name)).toEqual({ name, ok: true });
      const vc = decodeJwt(clr).vc as Json;
      const bobs = decodeJwt(jwts.bob).vc as Json;
      const forged = { ...vc, credentialSubject: { ...vc.credentialSubject, verifiableCredential: [bobs] } };
      expect(checkOf(await verify(await forge(forged, firstKey, firstWindow.from)), 'ledger-key')).toEqual({
        name: 'ledger-key',
        ok: false,
        reason: expect.stringMatching(/^key-not-in-force: /),
      });
    });

    it('serves an award made before the rotation signed by the current key, verifying ours and jose’s way', async () => {
      const again = await jwtOf(`/awards/${awards.ada}/credential`);
      expect(decodeProtectedHeader(again).kid).toBe(secondKid);
      expect((await verify(again)).verified).toBe(true);
      expect(await outsideVerifier(again)).toBe('verified');
    });
  });

  describe('reporting a key compromised', () => {
    let report: Json;

    it('answers a report listing what the key may have signed, once for one Idempotency-Key', async () => {
      const before = await issuerEvents();
      const since = new Date((firstWindow.from + 1) * 1000).toISOString();
      // A report may not date a compromise after itself: on a fast run the key is not yet a second old
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(since) - Date.now() + 5)));
      const first = await compromise('staff', firstKey.kid, { since }).set('Idempotency-Key', 'leak-1').expect(201);
      const again = await compromise('staff', firstKey.kid, { since }).set('Idempotency-Key', 'leak-1').expect(201);
      expect(again.body).toEqual(first.body);
      report = first.body;
      expect(report).toEqual({
        issuerId: 'tu-dublin',
        keyId: firstKey.kid,
        since,
        reportedAt: expect.any(String),
        signingKeyId: secondKid,
        awardIds: [awards.ada],
        qualificationIds: [qualificationId],
        statusLists: [`${PUBLIC_URL}/status-lists/tu-dublin/1`],
        counts: { awards: 1, qualifications: 1, statusLists: 1 },
        position: expect.stringMatching(/^\d+$/),
      });
      const events = (await streams.readStream(issuerStream('tu-dublin'))).slice(before);
      expect(events.map((event) => event.type)).toEqual(['IssuerKeyCompromised', 'IssuerCredentialsResigned']);
      expect(events[1].data).toMatchObject({
        compromisedKeyId: firstKey.kid,
        keyId: secondKid,
        awardIds: [awards.ada],
      });
    });

    it('takes the key out of the JWKS and the profile', async () => {
      expect((await jwks()).keys.map((key) => key.kid).filter((kid) => kid?.includes('/tu-dublin#'))).toEqual([
        secondKid,
      ]);
      const profile = (await api.http().get('/issuers/tu-dublin').expect(200)).body;
      expect(profile.verificationMethod.map((method: Json) => method.type)).toEqual(['JsonWebKey', 'Multikey']);
      expect(profile.verificationMethod[0].id).toBe(secondKid);
    });

    it('fails everything the key signed: key-compromised', async () => {
      for (const jwt of [jwts.ada, jwts.adaQualification]) {
        const verification = await verify(jwt);
        expect(verification.verified).toBe(false);
        expect(checkOf(verification, 'key')).toEqual({
          name: 'key',
          ok: false,
          reason: expect.stringMatching(/^key-compromised: /),
        });
        expect(await outsideVerifier(jwt)).toBe('ERR_JWKS_NO_MATCHING_KEY');
      }
    });

    it('serves the affected credentials signed by the current key, with the same credentialStatus', async () => {
      for (const [path, old] of [
        [`/awards/${awards.ada}/credential`, jwts.ada],
        [`/qualifications/${qualificationId}/credential`, jwts.adaQualification],
      ]) {
        const resigned = await jwtOf(path);
        expect(decodeProtectedHeader(resigned).kid).toBe(secondKid);
        expect((await verify(resigned)).verified).toBe(true);
        expect(await outsideVerifier(resigned)).toBe('verified');
        expect((decodeJwt(resigned).vc as Json).credentialStatus).toEqual((decodeJwt(old).vc as Json).credentialStatus);
      }
    });

    it('keeps another key’s credentials verifying', async () => {
      expect((await verify(jwts.bob)).verified).toBe(true);
      expect(await outsideVerifier(jwts.bob)).toBe('verified');
    });

    it('answers bad reports with problems and appends nothing', async () => {
      await post('staff', '/issuers/tu-dublin/keys/rotate').expect(201); // the second key is rotated out now
      const current = (await api.http().get('/issuers/tu-dublin').expect(200)).body.keyIds.at(-1);
      const portoKid = (await api.http().get('/issuers/uni-porto').expect(200)).body.keyIds[0];
      const before = await issuerEvents();
      const now = new Date().toISOString();
      const cases: Array<[string, string, string, object, number, string, string?]> = [
        ['an unknown key', 'admin', `${PUBLIC_URL}/issuers/tu-dublin#nope`, { since: now }, 404, 'unknown-key'],
        ['another issuer’s key', 'admin', portoKid, { since: now }, 404, 'unknown-key'],
        ['the current key', 'admin', current, { since: now }, 409, 'key-in-use'],
        ['a key already reported', 'admin', firstKey.kid, { since: now }, 409, 'key-already-compromised'],
        ['a since in the future', 'admin', secondKid, { since: '2999-01-01T00:00:00Z' }, 400, 'instant-in-future'],
        [
          'a since before the key existed',
          'admin',
          secondKid,
          { since: '2020-01-01T00:00:00Z' },
          422,
          'since-before-key',
        ],
        ['a since that is no instant', 'admin', secondKid, { since: 'last week' }, 400, 'invalid-instant'],
        ['no since', 'admin', secondKid, {}, 400, 'validation'],
        ['an assessor', 'assessor', secondKid, { since: now }, 403, 'role-not-allowed'],
        ['another issuer’s admin', 'otherAdmin', secondKid, { since: now }, 403, 'not-your-issuer'],
        ['a malformed issuer id', 'admin', secondKid, { since: now }, 400, 'invalid-id', 'Not_A_Slug'],
        ['an unknown issuer', 'admin', secondKid, { since: now }, 404, 'unknown-issuer', 'nobody'],
      ];
      const answers = [];
      for (const [label, who, keyId, body, , , issuerId] of cases) {
        const response = await compromise(who, keyId, body, issuerId);
        answers.push([label, response.status, response.body.type, response.headers['content-type']]);
      }
      expect(answers).toEqual(
        cases.map(([label, , , , status, type]) => [
          label,
          status,
          `urn:tessera:problem:${type}`,
          expect.stringMatching(/^application\/problem\+json/),
        ]),
      );
      expect(await issuerEvents()).toBe(before);
      expect(await issuerEvents('uni-porto')).toBe(1 + 1);
    });

    it('takes one of two reports of the same key sent at the same instant, and refuses the other', async () => {
      const before = await issuerEvents();
      const since = new Date().toISOString();
      const [one, other] = await Promise.all([
        compromise('staff', secondKid, { since }),
        compromise('admin', secondKid, { since }),
      ]);
      expect([one.status, other.status].sort()).toEqual([201, 409]);
      expect([one, other].find((response) => response.status === 409)!.body.type).toBe(
        'urn:tessera:problem:key-already-compromised',
      );
      expect(await issuerEvents()).toBe(before + 2);
    });
  });
});

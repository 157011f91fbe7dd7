import {
  dereferenceKey,
  type JsonObject,
  ob3SchemaValidator,
  offlineDocumentLoader,
  type DocumentLoader,
} from '@app/credentials';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { verifyCredential } from '@digitalbazaar/vc';
import { DataIntegrityProof as DccDataIntegrityProof } from '@digitalcredentials/data-integrity';
import { cryptosuite as dccCryptosuite } from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import { verifyCredential as dccVerifyCredential } from '@digitalcredentials/vc';
import type { Actor } from '../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Data Integrity proofs (eddsa-rdfc-2022) on the JSON credentials, checked by two verifiers that are not Tessera's —
 * Digital Bazaar's @digitalbazaar/vc and the Digital Credentials Consortium's @digitalcredentials/vc — with contexts
 * bundled from npm and the issuer's keys loaded over "HTTP" (supertest) from the controller document route.
 */
describe('Data Integrity proofs on JSON credentials', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  const ISSUER_URL = `${PUBLIC_URL}/issuers/tu-dublin`;
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    gus: { sub: 'gus-login', roles: ['learner'], issuers: [], learner: 'gus' },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const credentialOf = async (learnerId: string): Promise<JsonObject> => {
    const { awardId } = await awardThroughApi(api, tokens.staff, learnerId, 'sql');
    return (await api.http().get(`/awards/${awardId}/credential`).expect(200)).body;
  };

  /**
   * An outside verifier's document loader: contexts from npm; the issuer's controller document fetched from its id
   * (Accept: application/did+ld+json), a key id `{controller}#{multibase}` dereferenced in it; any other URL of ours
   * (a status list) as JSON-LD. Nothing else.
   */
  const outsideLoader: DocumentLoader = offlineDocumentLoader(async (url) => {
    if (!url.startsWith(PUBLIC_URL)) return undefined;
    const [controller] = url.split('#');
    const path = controller.slice(PUBLIC_URL.length);
    const accept = path.startsWith('/issuers/') ? 'application/did+ld+json' : 'application/ld+json';
    const response = await api.http().get(path).set('Accept', accept);
    if (response.status !== 200) return undefined;
    const document = JSON.parse(response.text) as JsonObject;
    return url === controller ? document : dereferenceKey(document, url);
  });
  /** These verifiers read 1-bit entries only, not Tessera's 2-bit one: here they check the proof (status: below). */
  const proofOnly = async () => ({ verified: true });
  const digitalBazaar = (credential: JsonObject) =>
    verifyCredential({
      credential,
      suite: new DataIntegrityProof({ cryptosuite }),
      documentLoader: outsideLoader,
      checkStatus: proofOnly,
    });
  const dcc = (credential: JsonObject) =>
    dccVerifyCredential({
      credential,
      suite: new DccDataIntegrityProof({ cryptosuite: dccCryptosuite }),
      documentLoader: outsideLoader,
      checkStatus: proofOnly,
    });
  const verify = async (credential: JsonObject) =>
    (await api.http().post('/credentials/verify').send({ credential }).expect(200)).body as {
      verified: boolean;
      checks: Array<{ name: string; ok: boolean; reason?: string }>;
    };
  const failed = (body: Awaited<ReturnType<typeof verify>>) =>
    body.checks.filter((check) => !check.ok).map((check) => check.name);

  beforeAll(async () => {
    api = await startApi({ TESSERA_KEY_ENCRYPTION_KEY: 'di-e2e-kek-'.repeat(4), TESSERA_PUBLIC_URL: PUBLIC_URL });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(201);
  });
  afterAll(() => api?.close());

  it('embeds an eddsa-rdfc-2022 DataIntegrityProof by the issuer’s Multikey, and still passes the OB 3.0 schema', async () => {
    const credential = await credentialOf('ada');
    const proofs = credential.proof as JsonObject[];
    expect(proofs).toEqual([
      {
        type: 'DataIntegrityProof',
        cryptosuite: 'eddsa-rdfc-2022',
        proofPurpose: 'assertionMethod',
        verificationMethod: expect.stringMatching(new RegExp(`^${ISSUER_URL}#z6Mk\\w+$`)),
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        proofValue: expect.stringMatching(/^z\w+$/),
      },
    ]);
    expect(ob3SchemaValidator()(credential)).toEqual({ valid: true, errors: [] });
  });

  it('publishes the Multikey in the Profile and in the controller document, with DID v1 and Multikey contexts only', async () => {
    const credential = await credentialOf('bea');
    const { verificationMethod } = (credential.proof as JsonObject[])[0];
    const profile = (await api.http().get('/issuers/tu-dublin').expect(200)).body;
    expect(profile.verificationMethod).toContainEqual(
      expect.objectContaining({ id: verificationMethod, type: 'Multikey', controller: ISSUER_URL }),
    );
    const controller = await api.http().get('/issuers/tu-dublin').set('Accept', 'application/did+ld+json').expect(200);
    expect(controller.headers['content-type']).toMatch(/^application\/did\+ld\+json/);
    expect(JSON.parse(controller.text)).toEqual({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/multikey/v1'],
      id: ISSUER_URL,
      verificationMethod: [
        {
          id: verificationMethod,
          type: 'Multikey',
          controller: ISSUER_URL,
          publicKeyMultibase: String(verificationMethod).split('#')[1],
        },
      ],
      assertionMethod: [verificationMethod],
    });
  });

  it('verifies with Digital Bazaar’s and the DCC’s verifiers; one changed field fails both', async () => {
    const credential = await credentialOf('cal');
    expect((await digitalBazaar(credential)).verified).toBe(true);
    expect((await dcc(credential)).verified).toBe(true);
    const changed = { ...credential, name: 'Something else' };
    expect((await digitalBazaar(changed)).verified).toBe(false);
    expect((await dcc(changed)).verified).toBe(false);
  });

  it('POST /credentials/verify checks the proof, the key, the issuer, the dates, the ledger and the status', async () => {
    const credential = await credentialOf('dan');
    const fresh = await verify(credential);
    expect(fresh.checks.filter((check) => !check.ok)).toEqual([]);
    expect(fresh.checks.map((check) => check.name)).toEqual([
      'signature',
      'key',
      'issuer',
      'dates',
      'ledger',
      'ledger-key',
      'status',
    ]);
    expect(fresh.verified).toBe(true);
    const changed = await verify({ ...credential, name: 'Something else' });
    expect(changed.verified).toBe(false);
    expect(failed(changed)).toEqual(['signature']);
  });

  it('signs a CLR and each credential it embeds; both verifiers accept each, and the CLR not once changed', async () => {
    await credentialOf('gus');
    const clr = (await api.http().get('/learners/gus/clr').set('Authorization', `Bearer ${tokens.gus}`).expect(200))
      .body as JsonObject;
    const [embedded] = (clr.credentialSubject as JsonObject).verifiableCredential as JsonObject[];
    for (const credential of [clr, embedded]) {
      expect(credential.proof).toEqual([expect.objectContaining({ cryptosuite: 'eddsa-rdfc-2022' })]);
      expect((await digitalBazaar(credential)).verified).toBe(true);
      expect((await dcc(credential)).verified).toBe(true);
    }
    // As for a CLR's JWT: every check passes but `status` (a CLR has none of its own; its credentials do).
    expect(failed(await verify(clr))).toEqual(['status']);
    const changed = { ...clr, partial: true };
    expect((await digitalBazaar(changed)).verified).toBe(false);
    expect((await dcc(changed)).verified).toBe(false);
  });

  it('serves the status list in JSON-LD with its own proof, which both verifiers accept, and not once changed', async () => {
    const credential = await credentialOf('fay');
    const { statusListCredential } = credential.credentialStatus as { statusListCredential: string };
    const { document: list } = (await outsideLoader(statusListCredential)) as { document: JsonObject };
    expect(list).toMatchObject({
      type: ['VerifiableCredential', 'BitstringStatusListCredential'],
      issuer: { id: ISSUER_URL },
      proof: [expect.objectContaining({ type: 'DataIntegrityProof', cryptosuite: 'eddsa-rdfc-2022' })],
    });
    expect((await digitalBazaar(list)).verified).toBe(true);
    expect((await dcc(list)).verified).toBe(true);
    const subject = list.credentialSubject as JsonObject;
    const changed = { ...list, credentialSubject: { ...subject, encodedList: `${String(subject.encodedList)}A` } };
    expect((await digitalBazaar(changed)).verified).toBe(false);
    expect((await dcc(changed)).verified).toBe(false);
    // The VC-JWT form stays the default.
    const jwt = await api.http().get(statusListCredential.slice(PUBLIC_URL.length)).expect(200);
    expect(jwt.headers['content-type']).toMatch(/^application\/vc\+jwt/);
  });

  it('a rotated-out key keeps verifying; once reported compromised, no verifier accepts what it signed', async () => {
    const { awardId } = await awardThroughApi(api, tokens.staff, 'eve', 'sql');
    const fetch = async () => (await api.http().get(`/awards/${awardId}/credential`).expect(200)).body as JsonObject;
    const before = await fetch();
    await post('staff', '/issuers/tu-dublin/keys/rotate').expect(201);
    const after = await fetch();
    expect((after.proof as JsonObject[])[0].verificationMethod).not.toBe(
      (before.proof as JsonObject[])[0].verificationMethod,
    );
    expect((await digitalBazaar(before)).verified).toBe(true);
    expect((await verify(before)).verified).toBe(true);

    // Reported by the Multikey's multibase (the ES256 kid or its thumbprint name the same key event).
    const oldMultikey = String((before.proof as JsonObject[])[0].verificationMethod);
    const report = await post('staff', `/issuers/tu-dublin/keys/${oldMultikey.split('#')[1]}/compromise`, {
      since: (before.proof as JsonObject[])[0].created,
    }).expect(201);
    const profile = (await api.http().get('/issuers/tu-dublin').expect(200)).body;
    expect(report.body.keyId).toBe(profile.keyIds[0]);
    const compromised = await verify(before);
    expect(compromised.checks.find((check) => check.name === 'key')?.reason).toMatch(/^key-compromised/);
    expect((await digitalBazaar(before)).verified).toBe(false);
    expect((await dcc(before)).verified).toBe(false);
    expect((await digitalBazaar(after)).verified).toBe(true);
  });
});

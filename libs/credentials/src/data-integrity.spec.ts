import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type JsonObject } from './achievement-credential';
import {
  controllerDocument,
  dereferenceKey,
  eddsaSuite,
  generateEd25519Key,
  offlineDocumentLoader,
  signDataIntegrity,
  UnknownDocument,
  verifyDataIntegrity,
  withoutProof,
} from './data-integrity';
import clrVector from './testing/clr/example_clr_signed_credential.json';
import obVector from './testing/vectors/ob_signed_credential.json';

const vectors = join(__dirname, 'testing', 'vectors');
const text = (name: string) => readFileSync(join(vectors, name), 'utf8');

/** The key pair of 1EdTech's OB 3.0 and CLR 2.0 test vectors (testing/vectors/README.md). */
const VECTOR_KEY = {
  id: 'https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
  controller: 'https://example.edu/issuers/565049',
  publicKeyMultibase: 'z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi',
  secretKeyMultibase: 'zrv2bqTbNwCTsRrHFcJCPjVAduh4Ezcnoq1A3ZxH1GWTNkxipLVuaAoMFmze2gFN9oNXfJjufxSHWVZzsJiUsMHFMcx',
};

/** What a verifier that knows one controller document resolves: the document, and each key by its id. */
const resolverOf = (document: JsonObject) => async (url: string) =>
  url === document.id ? document : dereferenceKey(document, url);

describe.each([
  ['Open Badges 3.0', obVector as JsonObject, 'obv3p0'],
  ['CLR 2.0', clrVector as JsonObject, 'clrv2p0'],
])('eddsa-rdfc-2022 against 1EdTech %s test vector', (_name, vector, prefix) => {
  const [vectorProof] = Array.isArray(vector.proof) ? (vector.proof as JsonObject[]) : [vector.proof as JsonObject];
  const unsigned = withoutProof(vector);

  it("signing the vector's credential with its key and created gives its proofValue, byte for byte", async () => {
    const signed = await signDataIntegrity(unsigned, VECTOR_KEY, String(vectorProof.created));
    expect(signed.proof).toEqual([vectorProof]);
  });

  it("gives the vector's canonical document and canonical proof options (RDFC-1.0)", async () => {
    const suite = await eddsaSuite(VECTOR_KEY, String(vectorProof.created));
    const documentLoader = offlineDocumentLoader();
    const signed = await signDataIntegrity(unsigned, VECTOR_KEY, String(vectorProof.created));
    const [proof] = signed.proof as JsonObject[];
    expect(await suite.canonize(unsigned, { documentLoader, base: null, safe: true })).toBe(
      text(`${prefix}_document-canon.txt`),
    );
    expect(await suite.canonizeProof(proof, { document: unsigned, documentLoader })).toBe(
      text(`${prefix}_proof-canon.txt`),
    );
  });

  it('the signed vector verifies with its controller document, and one changed field fails', async () => {
    const resolve = resolverOf(controllerDocument(VECTOR_KEY.controller, [VECTOR_KEY]));
    expect(await verifyDataIntegrity(vector, resolve)).toMatchObject({ verified: true });
    const changed = { ...vector, name: `${String(vector.name)}!` };
    expect(await verifyDataIntegrity(changed, resolve)).toMatchObject({
      verified: false,
      reason: 'Invalid signature.',
    });
  });
});

describe('Data Integrity keys and loading', () => {
  it('a key a controller document does not list under assertionMethod does not verify', async () => {
    const signed = await signDataIntegrity(
      { ...(obVector as JsonObject), proof: undefined },
      VECTOR_KEY,
      '2010-01-01T19:23:24Z',
    );
    const unlisted = { ...controllerDocument(VECTOR_KEY.controller, [VECTOR_KEY]), assertionMethod: [] };
    const result = await verifyDataIntegrity(signed, resolverOf(unlisted));
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/not authorized by controller/);
  });

  it("a key of another controller than the credential's issuer does not verify", async () => {
    const other = await generateEd25519Key('https://other.example/issuers/x');
    const signed = await signDataIntegrity(obVector as JsonObject, other, '2010-01-01T19:23:24Z');
    const result = await verifyDataIntegrity(signed, resolverOf(controllerDocument(other.controller, [other])));
    expect(result.verified).toBe(false);
    expect(result.reason).toMatch(/issuer/i);
  });

  it('generated keys are Multikeys named {controller}#{publicKeyMultibase}', async () => {
    const key = await generateEd25519Key('https://tessera.example/issuers/tu');
    expect(key.publicKeyMultibase).toMatch(/^z6Mk/);
    expect(key.id).toBe(`https://tessera.example/issuers/tu#${key.publicKeyMultibase}`);
  });

  it('the loader never fetches: an unknown URL is refused', async () => {
    await expect(offlineDocumentLoader()('https://example.org/context.json')).rejects.toThrow(UnknownDocument);
  });
});

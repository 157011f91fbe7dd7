import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AchievementAwarded, AchievementDefinition } from '@app/domain';
import { exportJWK, generateKeyPair } from 'jose';
import {
  buildAchievementCredential,
  credentialStatusEntry,
  identityHash,
  type JsonObject,
  KeyDecryptionFailed,
  KeyEncryption,
  type KnownKey,
  ledgerCheck,
  ledgerKeyCheck,
  type LedgerRecord,
  ob3SchemaValidator,
  signCredentialJwt,
  TESSERA_TERMS,
  verifyCredentialJson,
  verifyCredentialJwt,
} from './index';
import { safeModeEvents } from './testing/json-ld';

/** Reading nested credential fields in assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk the JSON freely
type Loose = Record<string, any>;

const PUBLIC_URL = 'https://credentials.example.edu';
const validate = ob3SchemaValidator();

const definition: AchievementDefinition = {
  title: 'Querying relational data',
  kind: 'skill',
  statement: 'I can query a relational database with SQL',
  learningOutcomes: ['Write joins and aggregates', 'Read a query plan'],
  criteria: [
    { id: 'joins', description: 'Writes a correct multi-table join', required: true },
    { id: 'plans', description: 'Explains a query plan', required: false },
  ],
  notionalHours: 50,
  level: { framework: 'EQF', level: 6 },
  credits: [{ framework: 'ECTS', value: 2 }],
  assessmentType: 'practical demonstration',
  supervision: { supervised: true, identityVerified: true },
  participation: 'blended',
  validity: 'P2Y',
  prerequisites: [],
  alignments: [{ targetName: 'SQL', targetUrl: 'https://esco.example/sql', targetFramework: 'ESCO' }],
};

const award = (overrides: Partial<AchievementAwarded['data']> = {}): AchievementAwarded['data'] => ({
  schemaVersion: 1,
  learnerId: 'ada',
  achievementId: 'sql',
  issuerId: 'tu-dublin',
  version: 1,
  awardId: 'award-1',
  assessmentId: 'assessment-1',
  issuedAt: '2026-03-02T10:00:00.000Z',
  validUntil: '2028-03-02T10:00:00.000Z',
  credits: [{ framework: 'ECTS', value: 2 }],
  level: { framework: 'EQF', level: 6 },
  notionalHours: 50,
  awardedBy: 'tu-staff',
  ...overrides,
});

const issuer = {
  issuerId: 'tu-dublin',
  name: 'TU Dublin',
  url: 'https://tudublin.ie',
  country: 'IE',
  qualityAssurance: 'QQI',
};

const credentialFor = (data = award(), withIdentity = true, credentialStatus?: JsonObject) =>
  buildAchievementCredential({
    publicUrl: PUBLIC_URL,
    award: data,
    definition,
    issuer,
    assessment: {
      schemaVersion: 1,
      learnerId: 'ada',
      achievementId: 'sql',
      version: 1,
      assessmentId: 'assessment-1',
      assessor: 'tu-staff',
      evidenceIds: ['evidence-1'],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'plans', met: false },
      ],
      outcome: 'passed',
      assessedAt: '2026-03-02T09:00:00.000Z',
    },
    evidence: [
      {
        schemaVersion: 1,
        learnerId: 'ada',
        achievementId: 'sql',
        version: 1,
        evidenceId: 'evidence-1',
        kind: 'accomplishment',
        criterionIds: ['joins'],
        description: 'Capstone work',
        artifact: { url: 'https://files.example.edu/capstone.pdf', sha256: 'a'.repeat(64) },
        observedBy: 'tu-staff',
        observedAt: '2026-03-01T10:00:00.000Z',
        submittedBy: 'tu-staff',
        submittedAt: '2026-03-01T10:00:00.000Z',
      },
    ],
    ...(withIdentity ? { identity: { email: 'Ada@Example.org', salt: 'pepper' } } : {}),
    ...(credentialStatus === undefined ? {} : { credentialStatus }),
  });

async function issuerKey(kid = `${PUBLIC_URL}/issuers/tu-dublin#key-1`) {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  const known: KnownKey = {
    kid,
    issuerId: 'tu-dublin',
    issuerProfileId: `${PUBLIC_URL}/issuers/tu-dublin`,
    publicJwk: await exportJWK(publicKey),
    validFrom: new Date('2026-01-01T00:00:00Z'),
  };
  return { privateKey, known, find: async (id: string) => (id === kid ? known : undefined) };
}

const check = (verification: { checks: Array<{ name: string; ok: boolean; reason?: string }> }, name: string) =>
  verification.checks.find((entry) => entry.name === name);

describe('the OB 3.0 AchievementCredential schema', () => {
  const examples = join(__dirname, 'testing', 'examples');
  it.each(readdirSync(examples))('accepts the spec’s own example %s', (file) => {
    const result = validate(JSON.parse(readFileSync(join(examples, file), 'utf8')));
    expect(result.errors).toEqual([]);
  });

  it('refuses a credential without its mandatory fields', () => {
    expect(
      validate({ '@context': ['https://www.w3.org/ns/credentials/v2'], type: ['VerifiableCredential'] }).valid,
    ).toBe(false);
  });
});

describe('buildAchievementCredential', () => {
  it('validates against the schema, with and without the learner’s identity', () => {
    expect(validate(credentialFor()).errors).toEqual([]);
    expect(validate(credentialFor(award({ validUntil: undefined }), false)).errors).toEqual([]);
  });

  it('carries the credentialStatus it is given — one object, as the schema requires — and still validates', () => {
    const credentialStatus = credentialStatusEntry(PUBLIC_URL, { issuerId: 'tu-dublin', listId: '1', index: 42 });
    const credential = credentialFor(award(), true, credentialStatus);
    expect(credential.credentialStatus).toEqual(credentialStatus);
    expect(validate(credential).errors).toEqual([]);
    expect(validate({ ...credential, credentialStatus: [credentialStatus] }).valid).toBe(false);
  });

  it('defines every term it uses in its contexts, so that a Data Integrity proof covers all of it', async () => {
    const credentialStatus = credentialStatusEntry(PUBLIC_URL, { issuerId: 'tu-dublin', listId: '1', index: 7 });
    expect(await safeModeEvents(credentialFor(award(), true, credentialStatus))).toEqual([]);
    expect(await safeModeEvents(credentialFor(award(), false))).toEqual([]);
  });

  it('carries every mandatory EU Annex I element, and no plaintext personal data', () => {
    const credential = credentialFor() as Loose;
    const subject = credential.credentialSubject;
    const achievement = subject.achievement;
    expect(credential['@context']).toEqual([
      'https://www.w3.org/ns/credentials/v2',
      'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
      TESSERA_TERMS,
    ]);
    expect(credential.id).toBe(`${PUBLIC_URL}/awards/award-1/credential`);
    expect(credential.type).toEqual(['VerifiableCredential', 'AchievementCredential']);
    // learner: a salted hash of the (normalised) email
    expect(subject.identifier).toEqual([
      {
        type: 'IdentityObject',
        identityType: 'emailAddress',
        hashed: true,
        identityHash: identityHash('ada@example.org', 'pepper'),
        salt: 'pepper',
      },
    ]);
    expect(JSON.stringify(credential)).not.toMatch(/ada@example\.org/i);
    expect(achievement.name).toBe('Querying relational data'); // title
    expect(credential.issuer).toMatchObject({
      id: `${PUBLIC_URL}/issuers/tu-dublin`,
      name: 'TU Dublin', // awarding body
      url: 'https://tudublin.ie',
      address: { addressCountryCode: 'IE' }, // country
    });
    expect(credential.validFrom).toBe('2026-03-02T10:00:00.000Z'); // date of issuing
    expect(credential.awardedDate).toBe('2026-03-02T10:00:00.000Z');
    expect(credential.validUntil).toBe('2028-03-02T10:00:00.000Z');
    expect(achievement.achievementType).toBe('MicroCredential');
    expect(achievement.criteria.narrative).toContain('Write joins and aggregates'); // learning outcomes
    expect(achievement.microCredential).toMatchObject({
      learningOutcomes: definition.learningOutcomes,
      notionalWorkload: { hours: 50, credits: [{ framework: 'ECTS', value: 2 }] }, // workload
      level: { framework: 'EQF', level: 6 },
      assessmentType: 'practical demonstration',
      participation: 'blended',
      qualityAssurance: 'QQI',
    });
    expect(achievement.creditsAvailable).toBe(2);
    expect(achievement.alignment).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ targetFramework: 'EQF', targetCode: '6' }),
        expect.objectContaining({ targetFramework: 'ECTS', targetCode: '2' }),
        expect.objectContaining({ targetFramework: 'ESCO', targetName: 'SQL' }),
      ]),
    );
    expect(achievement.resultDescription).toHaveLength(2);
    expect(subject.result).toEqual([
      expect.objectContaining({ resultDescription: achievement.resultDescription[0].id, value: 'met' }),
      expect.objectContaining({ resultDescription: achievement.resultDescription[1].id, value: 'not met' }),
    ]);
    expect(credential.evidence).toEqual([
      expect.objectContaining({
        id: 'https://files.example.edu/capstone.pdf',
        narrative: 'Capstone work',
        sha256: 'a'.repeat(64),
      }),
    ]);
    expect(credential.credentialSchema[0].id).toMatch(/ob_v3p0_achievementcredential_schema\.json$/);
  });

  it('identifies an erased learner by a URN of their learner id', () => {
    const subject = (credentialFor(award(), false) as Loose).credentialSubject;
    expect(subject.id).toBe('urn:tessera:learner:ada');
    expect(subject.identifier).toBeUndefined();
  });
});

describe('VC-JWT', () => {
  const now = new Date('2026-06-01T00:00:00Z');

  it('round trips: issued, then verified on every check', async () => {
    const key = await issuerKey();
    const jwt = await signCredentialJwt(credentialFor(), key.privateKey, key.known.kid);
    const verification = await verifyCredentialJwt(jwt, key.find, now);
    expect(verification).toEqual({
      verified: true,
      checks: [
        { name: 'signature', ok: true },
        { name: 'key', ok: true },
        { name: 'issuer', ok: true },
        { name: 'dates', ok: true },
      ],
    });
  });

  it('fails the signature when one byte of the payload changes', async () => {
    const key = await issuerKey();
    const jwt = await signCredentialJwt(credentialFor(), key.privateKey, key.known.kid);
    const [header, payload, signature] = jwt.split('.');
    const flipped = payload[10] === 'A' ? 'B' : 'A';
    const tampered = [header, payload.slice(0, 10) + flipped + payload.slice(11), signature].join('.');
    const verification = await verifyCredentialJwt(tampered, key.find, now);
    expect(verification.verified).toBe(false);
    expect(check(verification, 'signature')).toEqual({ name: 'signature', ok: false, reason: expect.any(String) });
  });

  it('fails the dates once the award has expired', async () => {
    const key = await issuerKey();
    const jwt = await signCredentialJwt(credentialFor(), key.privateKey, key.known.kid);
    const verification = await verifyCredentialJwt(jwt, key.find, new Date('2029-01-01T00:00:00Z'));
    expect(verification.verified).toBe(false);
    expect(check(verification, 'dates')?.reason).toMatch(/^expired/);
    expect(check(verification, 'signature')?.ok).toBe(true);
  });

  it('fails the key when the kid is unknown', async () => {
    const key = await issuerKey();
    const jwt = await signCredentialJwt(credentialFor(), key.privateKey, 'https://elsewhere.example/keys#1');
    const verification = await verifyCredentialJwt(jwt, key.find, now);
    expect(verification.verified).toBe(false);
    expect(check(verification, 'key')?.reason).toMatch(/unknown key id/);
    expect(check(verification, 'signature')?.ok).toBe(false);
  });

  it('fails the issuer when another issuer’s key signed it', async () => {
    const key = await issuerKey();
    const other = { ...key.known, issuerProfileId: `${PUBLIC_URL}/issuers/other` };
    const jwt = await signCredentialJwt(credentialFor(), key.privateKey, key.known.kid);
    const verification = await verifyCredentialJwt(jwt, async () => other, now);
    expect(check(verification, 'issuer')).toMatchObject({ ok: false, reason: expect.stringMatching(/not the key/) });
  });

  it('fails the key once it is reported compromised, whatever the iat: the signer chooses it', async () => {
    const key = await issuerKey();
    const compromised = { ...key.known, compromisedSince: new Date('2026-05-01T00:00:00Z') };
    const jwt = await signCredentialJwt(credentialFor(), key.privateKey, key.known.kid);
    const verification = await verifyCredentialJwt(jwt, async () => compromised, now);
    expect(verification.verified).toBe(false);
    expect(check(verification, 'key')?.reason).toMatch(/^key-compromised: .*since 2026-05-01T00:00:00.000Z/);
    expect(check(verification, 'signature')?.ok).toBe(true);
  });

  it('reports a JSON credential without proof as failing the signature, with a plain reason', async () => {
    const verification = await verifyCredentialJson(credentialFor(), async () => true, now);
    expect(verification.verified).toBe(false);
    expect(check(verification, 'signature')?.reason).toMatch(/no proof/);
    expect(check(verification, 'issuer')?.ok).toBe(true);
    expect(check(verification, 'dates')?.ok).toBe(true);
  });
});

describe('KeyEncryption', () => {
  it('opens what it sealed, under the same key id only, and not under another secret', () => {
    const sealed = new KeyEncryption('secret-one').encrypt('{"d":"private"}', 'kid-1');
    expect(sealed).not.toContain('private');
    expect(new KeyEncryption('secret-one').decrypt(sealed, 'kid-1')).toBe('{"d":"private"}');
    expect(() => new KeyEncryption('secret-one').decrypt(sealed, 'kid-2')).toThrow(KeyDecryptionFailed);
    expect(() => new KeyEncryption('secret-two').decrypt(sealed, 'kid-1')).toThrow(KeyDecryptionFailed);
  });
});

describe('ledger checks', () => {
  const recorded = credentialFor();
  const record = (overrides: Partial<LedgerRecord> = {}): LedgerRecord => ({
    name: 'award award-1',
    issuerId: 'tu-dublin',
    recordedAt: new Date('2026-03-01T10:00:00Z'),
    credential: recorded,
    ...overrides,
  });

  it('passes a credential that claims what the ledger holds, for the key’s issuer', async () => {
    const { known } = await issuerKey();
    expect(ledgerCheck([recorded], [record()], known)).toEqual({ name: 'ledger', ok: true });
  });

  it.each([
    ['no record', [undefined], /is no award or qualification this ledger made/],
    ['another issuer’s record', [record({ issuerId: 'uni-porto' })], /was made by uni-porto/],
    [
      'other claims',
      [record({ credential: { ...recorded, validUntil: '2099-01-01T00:00:00Z', validFrom: '2020-01-01T00:00:00Z' } })],
      /its validFrom, validUntil differ/,
    ],
  ] as const)('fails not-in-ledger for %s', async (_, records, reason) => {
    const { known } = await issuerKey();
    const verdict = ledgerCheck([recorded], [...records], known);
    expect(verdict).toEqual({ name: 'ledger', ok: false, reason: expect.stringMatching(reason) });
    expect(verdict.reason).toMatch(/^not-in-ledger: /);
  });

  it('lets a key sign what the ledger made before it stopped, and every later record of a key still in force', async () => {
    const { known } = await issuerKey();
    const rotatedOut = { ...known, validUntil: new Date('2026-03-01T10:00:00Z') };
    expect(ledgerKeyCheck(known, [record()])).toEqual({ name: 'ledger-key', ok: true });
    expect(ledgerKeyCheck(rotatedOut, [record({ recordedAt: new Date('2026-03-01T09:59:59Z') })]).ok).toBe(true);
    expect(ledgerKeyCheck(rotatedOut, [record()])).toEqual({
      name: 'ledger-key',
      ok: false,
      reason: expect.stringMatching(/^key-not-in-force: .*stopped signing at 2026-03-01T10:00:00.000Z/),
    });
  });
});

import { identityHash, ob3SchemaValidator, TESSERA_TERMS } from '@app/credentials';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Actor } from '../apps/api/src/auth/actor';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

type Json = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Each kind's statement opens as the domain requires. */
const STATEMENTS: Record<string, string> = {
  skill: 'I can query a relational database with SQL',
  knowledge: 'I understand relational data modelling',
  disposition: 'I exhibit care for the people behind the data',
};

/**
 * Qualification credentials and the CLR 2.0 over HTTP on PostgreSQL. A certificate (two core skills) nests in a
 * micro-degree (the certificate, a disposition and two of three electives): Ada completes both and gets them as OB 3.0
 * AchievementCredentials and in her CLR, stacked with isPartOf / isParentOf; Bob holds one core skill (progress only).
 */
describe('qualification credentials and the CLR over HTTP', () => {
  const KEK = 'e2e-key-encryption-key-'.repeat(2);
  const PUBLIC_URL = 'https://credentials.example.edu';
  const validate = ob3SchemaValidator();
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
    bob: { sub: 'bob-login', roles: ['learner'], issuers: [], learner: 'bob' },
    cleo: { sub: 'cleo-login', roles: ['learner'], issuers: [], learner: 'cleo' },
    registrars: { sub: 'registries', roles: ['registrar'], issuers: ['tu-dublin', 'ucd'] },
    ucd: { sub: 'ucd-staff', roles: ['issuer-admin', 'assessor'], issuers: ['ucd'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const get = (who: string, path: string) => api.http().get(path).set('Authorization', `Bearer ${tokens[who]}`);
  const achievementUrl = (id: string) => `${PUBLIC_URL}/achievements/${id}?version=1`;
  const pathwayUrl = (id: string) => `${PUBLIC_URL}/pathways/${id}?version=1`;
  const awards: Record<string, string> = {};
  const qualifications: Record<string, { qualificationId: string; conferredAt: string }> = {};

  /** Waits until the learner's transcript read model lists `count` qualifications in force. */
  async function conferredQualifications(learnerId: string, count: number) {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const response = await get('registrar', `/learners/${learnerId}/transcript`);
      // Until the learner's issuers are projected, a registrar reading without ?minPosition= meets an unknown learner
      if (response.status !== 404 || response.body.code !== 'unknown-learner') expect(response.status).toBe(200);
      const conferred = (response.body.qualifications ?? []).filter((entry: Json) => entry.status === 'conferred');
      if (conferred.length >= count) return conferred as Json[];
      if (Date.now() > deadline) throw new Error(`${learnerId} did not reach ${count} qualifications`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    api = await startApi({ TESSERA_KEY_ENCRYPTION_KEY: KEK, TESSERA_PUBLIC_URL: PUBLIC_URL });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    for (const [id, kind] of Object.entries({
      'core-sql': 'skill',
      'core-model': 'knowledge',
      'core-ethics': 'disposition',
      'elective-spark': 'skill',
      'elective-kafka': 'skill',
      'elective-dbt': 'skill',
    }))
      await post('staff', '/achievements', {
        id,
        issuerId: 'tu-dublin',
        ...definition({
          title: `Title of ${id}`,
          kind,
          statement: STATEMENTS[kind],
          credits: [{ framework: 'ECTS', value: 5 }],
          validity: undefined,
        }),
      }).expect(201);
    const award = (title: string, type: string, ects: number) => ({
      title,
      type,
      level: { framework: 'EQF', level: 6 },
      credits: [{ framework: 'ECTS', value: ects }],
    });
    await post('staff', '/pathways', {
      id: 'cert-data',
      issuerId: 'tu-dublin',
      title: 'Certificate in Data Foundations',
      award: award('Certificate in Data Foundations', 'Certificate', 10),
      rule: { allOf: [{ achievement: 'core-sql' }, { achievement: 'core-model' }] },
      conferral: 'automatic',
    }).expect(201);
    await post('staff', '/pathways', {
      id: 'md-data',
      issuerId: 'tu-dublin',
      title: 'Micro-degree in Data Engineering',
      award: award('Micro-degree in Data Engineering', 'ext:MicroDegree', 25),
      rule: {
        allOf: [
          { pathway: 'cert-data' },
          { achievement: 'core-ethics' },
          {
            nOf: {
              n: 2,
              of: [
                { achievement: 'elective-spark' },
                { achievement: 'elective-kafka' },
                { achievement: 'elective-dbt' },
              ],
            },
          },
        ],
      },
      conferral: 'automatic',
    }).expect(201);
    await api
      .http()
      .put('/learners/ada/profile')
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu' })
      .expect(200);
    for (const id of ['core-sql', 'core-model', 'core-ethics', 'elective-spark', 'elective-kafka'])
      awards[id] = (await awardThroughApi(api, tokens.staff, 'ada', id)).awardId;
    awards.bob = (await awardThroughApi(api, tokens.staff, 'bob', 'core-sql')).awardId;
    // Cleo holds credentials of two issuers
    await post(
      'admin',
      '/issuers',
      issuer({ id: 'ucd', name: 'University College Dublin', url: 'https://ucd.ie' }),
    ).expect(201);
    await post('ucd', '/achievements', {
      id: 'ucd-stats',
      issuerId: 'ucd',
      ...definition({ validity: undefined }),
    }).expect(201);
    await awardThroughApi(api, tokens.staff, 'cleo', 'core-sql');
    await awardThroughApi(api, tokens.ucd, 'cleo', 'ucd-stats');
    for (const entry of await conferredQualifications('ada', 2)) qualifications[entry.pathwayId] = entry as never;
  }, 60_000);
  afterAll(() => api?.close());

  describe('a qualification as an AchievementCredential', () => {
    it('carries the pathway award: type, criteria from the rule, credits, level, issuer, conferral date, basis', async () => {
      const { qualificationId, conferredAt } = qualifications['cert-data'];
      const credential = (await api.http().get(`/qualifications/${qualificationId}/credential`).expect(200)).body;
      expect(validate(credential).errors).toEqual([]);
      expect(credential).toMatchObject({
        id: `${PUBLIC_URL}/qualifications/${qualificationId}/credential`,
        type: ['VerifiableCredential', 'AchievementCredential'],
        issuer: { id: `${PUBLIC_URL}/issuers/tu-dublin`, name: 'TU Dublin', address: { addressCountryCode: 'IE' } },
        validFrom: conferredAt,
        awardedDate: conferredAt,
        credentialSchema: [{ type: '1EdTechJsonSchemaValidator2019' }],
      });
      const { achievement } = credential.credentialSubject;
      expect(achievement).toMatchObject({
        id: pathwayUrl('cert-data'),
        achievementType: 'Certificate',
        name: 'Certificate in Data Foundations',
        creditsAvailable: 10,
        creator: { id: `${PUBLIC_URL}/issuers/tu-dublin` },
      });
      expect(achievement.alignment).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ targetFramework: 'EQF', targetCode: '6' }),
          expect.objectContaining({ targetFramework: 'ECTS', targetCode: '10' }),
        ]),
      );
      expect(achievement.criteria.narrative).toContain('- all of:\n  - Title of core-sql (core-sql)');
      expect(credential.credentialSubject.creditsEarned).toBe(10);
      const [identity] = credential.credentialSubject.identifier;
      expect(identity.identityHash).toBe(identityHash('ada@example.edu', identity.salt));
      expect(JSON.stringify(credential)).not.toMatch(/ada@example\.edu|Ada Lovelace/);
      expect(credential.evidence.map((evidence: Json) => evidence.id).sort()).toEqual(
        [awards['core-sql'], awards['core-model']].map((id) => `${PUBLIC_URL}/awards/${id}/credential`).sort(),
      );
    });

    it('names the micro-degree type, its basis in its evidence and "2 of" in its criteria', async () => {
      const { qualificationId } = qualifications['md-data'];
      const credential = (await api.http().get(`/qualifications/${qualificationId}/credential`).expect(200)).body;
      expect(validate(credential).errors).toEqual([]);
      expect(credential.credentialSubject.achievement).toMatchObject({
        achievementType: 'ext:MicroDegree',
        creditsAvailable: 25,
      });
      const narrative: string = credential.credentialSubject.achievement.criteria.narrative;
      expect(narrative).toContain('the pathway Certificate in Data Foundations (cert-data), completed');
      expect(narrative).toContain('  - 2 of:\n    - Title of elective-spark (elective-spark)');
      // the awards it counted; the certificate's qualification too when it was conferred first (a conferral in the
      // same pass counts the certificate's rule flattened, on the same awards)
      const evidence = credential.evidence.map((entry: Json) => entry.id);
      for (const id of ['core-ethics', 'elective-spark', 'elective-kafka'])
        expect(evidence).toContain(`${PUBLIC_URL}/awards/${awards[id]}/credential`);
      const known = [
        ...Object.values(awards).map((id) => `${PUBLIC_URL}/awards/${id}/credential`),
        `${PUBLIC_URL}/qualifications/${qualifications['cert-data'].qualificationId}/credential`,
      ];
      for (const id of evidence) expect(known).toContain(id);
    });

    it('signs it with the pathway issuer key as a VC-JWT that verifies', async () => {
      const { qualificationId } = qualifications['md-data'];
      const response = await api.http().get(`/qualifications/${qualificationId}/credential?format=jwt`).expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/vc\+jwt/);
      expect(decodeProtectedHeader(response.text).kid).toContain('/issuers/tu-dublin#');
      expect(decodeJwt(response.text)).toMatchObject({
        iss: `${PUBLIC_URL}/issuers/tu-dublin`,
        jti: `${PUBLIC_URL}/qualifications/${qualificationId}/credential`,
      });
      expect(decodeJwt(response.text).vc).toMatchObject({
        credentialStatus: {
          type: 'BitstringStatusListEntry',
          statusListCredential: expect.stringContaining('/tu-dublin/'),
        },
      });
      const verified = (await api.http().post('/credentials/verify').send({ jwt: response.text }).expect(200)).body;
      expect(verified).toEqual({
        verified: true,
        checks: ['signature', 'key', 'issuer', 'dates', 'ledger', 'ledger-key', 'status'].map((name) => ({
          name,
          ok: true,
        })),
      });
    });

    it('answers an unknown qualification with a 404 problem and an unknown format with a 400 problem', async () => {
      const missing = await api.http().get('/qualifications/no-such-qualification/credential').expect(404);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(missing.body).toMatchObject({ status: 404, type: 'urn:tessera:problem:unknown-qualification' });
      const { qualificationId } = qualifications['cert-data'];
      const xml = await api.http().get(`/qualifications/${qualificationId}/credential?format=xml`).expect(400);
      expect(xml.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(xml.body.status).toBe(400);
    });
  });

  describe('the CLR', () => {
    const associated = (clr: Json, type: string, source: string, target: string) =>
      clr.credentialSubject.association.some(
        (association: Json) =>
          association.associationType === type && association.sourceId === source && association.targetId === target,
      );

    it('has the structure of 1EdTech’s CLR 2.0 example, every embedded credential valid OB 3.0', async () => {
      const clr = (await get('ada', '/learners/ada/clr').expect(200)).body;
      expect(clr['@context']).toEqual([
        'https://www.w3.org/ns/credentials/v2',
        'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
        'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
        TESSERA_TERMS,
      ]);
      expect(clr).toMatchObject({
        id: expect.stringMatching(new RegExp(`^${PUBLIC_URL}/learners/ada/clr\\?issuer=tu-dublin&asOf=`)),
        type: ['VerifiableCredential', 'ClrCredential'],
        issuer: { id: `${PUBLIC_URL}/issuers/tu-dublin`, type: ['Profile'], name: 'TU Dublin' },
        partial: false,
        name: expect.any(String),
        validFrom: expect.any(String),
        credentialSchema: [
          {
            id: 'https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json',
            type: '1EdTechJsonSchemaValidator2019',
          },
        ],
      });
      const subject = clr.credentialSubject;
      expect(subject.type).toBe('ClrSubject');
      expect(subject.identifier[0].identityHash).toBe(identityHash('ada@example.edu', subject.identifier[0].salt));
      expect(JSON.stringify(clr)).not.toMatch(/ada@example\.edu|Ada Lovelace/);

      // five awards and two qualifications, each an AchievementCredential 1EdTech's schema accepts
      expect(subject.verifiableCredential.map((credential: Json) => credential.id).sort()).toEqual(
        [
          ...Object.entries(awards)
            .filter(([key]) => key !== 'bob')
            .map(([, id]) => `${PUBLIC_URL}/awards/${id}/credential`),
          ...Object.values(qualifications).map(
            ({ qualificationId }) => `${PUBLIC_URL}/qualifications/${qualificationId}/credential`,
          ),
        ].sort(),
      );
      for (const credential of subject.verifiableCredential) expect(validate(credential).errors).toEqual([]);

      // every achievement once; every association's ends resolve to one of them
      const ids = subject.achievement.map((achievement: Json) => achievement.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const credential of subject.verifiableCredential)
        expect(ids).toContain(credential.credentialSubject.achievement.id);
      expect(subject.association.length).toBeGreaterThan(0);
      for (const association of subject.association) {
        expect(association.type).toBe('Association');
        expect(['isPartOf', 'isParentOf']).toContain(association.associationType);
        expect(ids).toContain(association.sourceId);
        expect(ids).toContain(association.targetId);
      }
    });

    it('stacks micro-credentials into the certificate and the certificate into the micro-degree', async () => {
      const clr = (await get('registrar', '/learners/ada/clr').expect(200)).body;
      const [cert, md] = [pathwayUrl('cert-data'), pathwayUrl('md-data')];
      for (const id of ['core-sql', 'core-model']) {
        expect(associated(clr, 'isParentOf', cert, achievementUrl(id))).toBe(true);
        expect(associated(clr, 'isPartOf', achievementUrl(id), cert)).toBe(true);
        expect(associated(clr, 'isParentOf', md, achievementUrl(id))).toBe(false);
      }
      expect(associated(clr, 'isParentOf', md, cert)).toBe(true);
      expect(associated(clr, 'isPartOf', cert, md)).toBe(true);
      for (const id of ['core-ethics', 'elective-spark', 'elective-kafka']) {
        expect(associated(clr, 'isParentOf', md, achievementUrl(id))).toBe(true);
        expect(associated(clr, 'isPartOf', achievementUrl(id), md)).toBe(true);
      }
    });

    it('shows pathways in progress: Bob’s one core skill is part of the certificate he has not completed', async () => {
      const clr = (await get('bob', '/learners/bob/clr').expect(200)).body;
      expect(clr.credentialSubject.verifiableCredential).toHaveLength(1);
      expect(clr.credentialSubject.id).toBe('urn:tessera:learner:bob');
      const ids = clr.credentialSubject.achievement.map((achievement: Json) => achievement.id);
      expect(ids).toEqual(expect.arrayContaining([achievementUrl('core-sql'), pathwayUrl('cert-data')]));
      expect(associated(clr, 'isPartOf', achievementUrl('core-sql'), pathwayUrl('cert-data'))).toBe(true);
    });

    it('signs it as a VC-JWT with the issuer key; signature, key, issuer and dates verify', async () => {
      const response = await get('ada', '/learners/ada/clr?format=jwt').expect(200);
      expect(response.headers['content-type']).toMatch(/^application\/vc\+jwt/);
      const header = decodeProtectedHeader(response.text);
      expect(header).toMatchObject({ alg: 'ES256', typ: 'JWT', kid: expect.stringContaining('/issuers/tu-dublin#') });
      const claims = decodeJwt(response.text);
      expect(claims.iss).toBe(`${PUBLIC_URL}/issuers/tu-dublin`);
      expect((claims.vc as Json).type).toEqual(['VerifiableCredential', 'ClrCredential']);
      const jwks = (await api.http().get('/.well-known/jwks.json').expect(200)).body;
      expect(jwks.keys.map((key: Json) => key.kid)).toContain(header.kid);
      const verified = (await api.http().post('/credentials/verify').send({ jwt: response.text }).expect(200)).body;
      for (const name of ['signature', 'key', 'issuer', 'dates'])
        expect(verified.checks.find((check: Json) => check.name === name)).toEqual({ name, ok: true });
      // a CLR has no status of its own (its embedded credentials do): the check says so rather than guessing
      expect(verified.checks.find((check: Json) => check.name === 'status')).toEqual({
        name: 'status',
        ok: false,
        reason: expect.stringContaining('no credentialStatus'),
      });
    });

    it('is issued by one awarding body: with credentials of two, the learner names one and gets a partial CLR', async () => {
      const ambiguous = await get('cleo', '/learners/cleo/clr').expect(400);
      expect(ambiguous.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(ambiguous.body).toMatchObject({ status: 400, type: 'urn:tessera:problem:issuer-required' });
      expect(ambiguous.body.detail).toContain('tu-dublin, ucd');
      const response = await get('cleo', '/learners/cleo/clr?issuer=ucd&format=jwt').expect(200);
      const clr = decodeJwt(response.text).vc as Json;
      expect(clr).toMatchObject({ issuer: { id: `${PUBLIC_URL}/issuers/ucd` }, partial: true });
      expect(clr.credentialSubject.verifiableCredential).toHaveLength(1);
      expect(clr.credentialSubject.verifiableCredential[0].issuer.id).toBe(`${PUBLIC_URL}/issuers/ucd`);
      expect(decodeProtectedHeader(response.text).kid).toContain('/issuers/ucd#');
      const verified = (await api.http().post('/credentials/verify').send({ jwt: response.text }).expect(200)).body;
      expect(verified.checks.find((check: Json) => check.name === 'signature')).toEqual({
        name: 'signature',
        ok: true,
      });
      expect(verified.checks.find((check: Json) => check.name === 'issuer')).toEqual({ name: 'issuer', ok: true });
      // a registrar of both issuers names one too; of one, they get that one's (see tenancy.e2e-spec.ts)
      const ambiguousToRegistrar = await get('registrars', '/learners/cleo/clr').expect(400);
      expect(ambiguousToRegistrar.body.detail).toContain('tu-dublin, ucd');
      await get('registrars', '/learners/bob/clr?issuer=ucd').expect(404);
      await get('registrars', '/learners/bob/clr?issuer=Not%20A%20Slug').expect(400);
    });

    it('is the learner’s own or a registrar’s: another learner gets 403, no token 401', async () => {
      const forbidden = await get('bob', '/learners/ada/clr').expect(403);
      expect(forbidden.headers['content-type']).toMatch(/application\/problem\+json/);
      await api.http().get('/learners/ada/clr').expect(401);
      await get('staff', '/learners/ada/clr').expect(403);
    });

    it('answers an unknown format with a 400 problem and a learner with nothing to show with a 404 problem', async () => {
      const xml = await get('ada', '/learners/ada/clr?format=xml').expect(400);
      expect(xml.headers['content-type']).toMatch(/application\/problem\+json/);
      const empty = await get('bob', '/learners/bob/clr?issuer=ucd').expect(404);
      expect(empty.body).toMatchObject({ status: 404, type: 'urn:tessera:problem:empty-record' });
      const unknown = await get('registrar', '/learners/nobody/clr').expect(404);
      expect(unknown.body).toMatchObject({ status: 404, type: 'urn:tessera:problem:unknown-learner' });
    });

    it('leaves out a revoked award and the qualification it invalidates, and shows them as of before', async () => {
      const md = qualifications['md-data'].qualificationId;
      const mdJwt = (await api.http().get(`/qualifications/${md}/credential?format=jwt`).expect(200)).text;
      const before = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await post('staff', `/awards/${awards['elective-kafka']}/revoke`, { reason: 'Plagiarism' }).expect(200);
      const deadline = Date.now() + 15_000;
      let clr: Json;
      for (;;) {
        clr = (await get('ada', '/learners/ada/clr').expect(200)).body;
        const ids = clr.credentialSubject.verifiableCredential.map((credential: Json) => credential.id);
        if (!ids.includes(`${PUBLIC_URL}/qualifications/${md}/credential`)) break;
        if (Date.now() > deadline) throw new Error('the micro-degree was not invalidated');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const ids = clr.credentialSubject.verifiableCredential.map((credential: Json) => credential.id);
      expect(ids).not.toContain(`${PUBLIC_URL}/awards/${awards['elective-kafka']}/credential`);
      expect(ids).toHaveLength(5); // four awards and the certificate
      // the micro-degree is still shown, as a pathway in progress
      expect(associated(clr, 'isPartOf', achievementUrl('core-ethics'), pathwayUrl('md-data'))).toBe(true);
      // the qualification's credential itself is still served: its status is what changed
      await api.http().get(`/qualifications/${md}/credential`).expect(200);
      const verified = (await api.http().post('/credentials/verify').send({ jwt: mdJwt }).expect(200)).body;
      expect(verified.verified).toBe(false);
      expect(verified.checks.find((check: Json) => check.name === 'status')).toEqual({
        name: 'status',
        ok: false,
        reason: expect.stringMatching(/^revoked/),
      });
      expect(verified.checks.find((check: Json) => check.name === 'signature')).toEqual({
        name: 'signature',
        ok: true,
      });

      const then = (await get('ada', `/learners/ada/clr?asOf=${encodeURIComponent(before)}`).expect(200)).body;
      expect(then.validFrom).toBe(before);
      expect(then.id).toBe(`${PUBLIC_URL}/learners/ada/clr?issuer=tu-dublin&asOf=${encodeURIComponent(before)}`);
      expect(then.credentialSubject.verifiableCredential).toHaveLength(7);
    });
  });
});

import type { Actor } from '../apps/api/src/auth/actor';
import { edcShaclValidator } from '../libs/credentials/src/testing/edc-shacl';
import { awardThroughApi, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

type Json = { [key: string]: any }; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * European Digital Credentials over HTTP on PostgreSQL: `?format=edc` of an award and of a qualification, each
 * validated against the Commission's SHACL shapes; only the learner and staff of the awarding issuer read them; an
 * erased learner's EDC names no one.
 */
describe('European Digital Credentials over HTTP', () => {
  const PUBLIC_URL = 'https://credentials.example.edu';
  const validate = edcShaclValidator();
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    ucd: { sub: 'ucd-staff', roles: ['issuer-admin', 'registrar'], issuers: ['ucd'] },
    ada: { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' },
    bob: { sub: 'bob-login', roles: ['learner'], issuers: [], learner: 'bob' },
  };
  const as = (who: string) => ({ Authorization: `Bearer ${tokens[who]}` });
  const post = (who: string, path: string, body: object = {}) => api.http().post(path).set(as(who)).send(body);
  const awards: Record<string, string> = {};
  let qualificationId: string;

  /** Fetches an EDC, and checks it against the shapes: every EDC the tests see is validated. */
  async function edc(who: string, path: string): Promise<Json> {
    const response = await api.http().get(`${path}?format=edc`).set(as(who)).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/ld\+json/);
    expect(await validate(response.body)).toEqual({ conforms: true, violations: [] });
    return response.body;
  }

  beforeAll(async () => {
    api = await startApi({ TESSERA_PUBLIC_URL: PUBLIC_URL });
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('admin', '/issuers', issuer({ id: 'ucd', name: 'University College Dublin' })).expect(201);
    await post('staff', '/achievements', {
      id: 'sql',
      issuerId: 'tu-dublin',
      ...definition({ url: 'https://tudublin.ie/micro/sql' }),
    }).expect(201);
    // the mandatory elements only: no credits, supervision or validity; a national level; on site
    await post('staff', '/achievements', {
      id: 'model',
      issuerId: 'tu-dublin',
      ...definition({
        title: 'Data modelling',
        kind: 'knowledge',
        statement: 'I understand relational data modelling',
        level: { framework: 'SCQF', level: 9 },
        credits: undefined,
        supervision: undefined,
        validity: undefined,
        participation: 'onsite',
      }),
    }).expect(201);
    await post('staff', '/pathways', {
      id: 'cert-data',
      issuerId: 'tu-dublin',
      title: 'Certificate in Data Foundations',
      award: {
        title: 'Certificate in Data Foundations',
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 4 }],
      },
      rule: { allOf: [{ achievement: 'sql' }, { achievement: 'model' }] },
      conferral: 'automatic',
    }).expect(201);
    await api
      .http()
      .put('/learners/ada/profile')
      .set(as('registrar'))
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu' })
      .expect(200);
    awards.sql = (await awardThroughApi(api, tokens.staff, 'ada', 'sql')).awardId;
    awards.model = (await awardThroughApi(api, tokens.staff, 'ada', 'model')).awardId;
    awards.bob = (await awardThroughApi(api, tokens.staff, 'bob', 'sql')).awardId;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const transcript = (await api.http().get('/learners/ada/transcript').set(as('registrar')).expect(200)).body;
      const conferred = transcript.qualifications.find((entry: Json) => entry.pathwayId === 'cert-data');
      if (conferred) {
        qualificationId = conferred.qualificationId;
        break;
      }
      if (Date.now() > deadline) throw new Error('the certificate was not conferred');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 60_000);
  afterAll(() => api?.close());

  it('serves an award as an EDC with the Annex I elements, to the learner and to staff of the issuer', async () => {
    const credential = await edc('ada', `/awards/${awards.sql}/credential`);
    expect(credential).toMatchObject({
      id: `${PUBLIC_URL}/awards/${awards.sql}/credential?format=edc`,
      type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
      issuer: { id: `${PUBLIC_URL}/issuers/tu-dublin`, legalName: { en: 'TU Dublin' } },
      credentialSubject: { type: 'Person', id: 'urn:tessera:learner:ada', fullName: { en: 'Ada Lovelace' } },
    });
    const spec = credential.credentialSubject.hasClaim.specifiedBy;
    expect(spec.creditPoint).toEqual([expect.objectContaining({ point: '2' })]);
    expect(spec.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/6');
    expect(spec.homepage.contentURL).toBe('https://tudublin.ie/micro/sql');
    expect(await edc('staff', `/awards/${awards.sql}/credential`)).toEqual(credential);
    expect(await edc('registrar', `/awards/${awards.sql}/credential`)).toEqual(credential);

    const bare = await edc('ada', `/awards/${awards.model}/credential`);
    expect(bare.credentialSubject.hasClaim.specifiedBy.creditPoint).toBeUndefined();
    const anonymous = await edc('bob', `/awards/${awards.bob}/credential`); // no profile was ever given
    expect(anonymous.credentialSubject.fullName).toBeUndefined();
  });

  it('serves a qualification as an EDC whose parts are the awards of its basis', async () => {
    const credential = await edc('ada', `/qualifications/${qualificationId}/credential`);
    const claim = credential.credentialSubject.hasClaim;
    expect(claim.title).toEqual({ en: 'Certificate in Data Foundations' });
    expect(claim.specifiedBy).toMatchObject({ type: 'Qualification', creditPoint: [{ point: '4' }] });
    expect(claim.hasPart.map((part: Json) => part.id).sort()).toEqual(
      [awards.sql, awards.model].map((id) => `${PUBLIC_URL}/awards/${id}/credential?format=edc#achievement`).sort(),
    );
    expect(await edc('staff', `/qualifications/${qualificationId}/credential`)).toEqual(credential);
  });

  it('refuses an EDC without a token (401), to another learner and to another issuer’s staff (403)', async () => {
    for (const path of [`/awards/${awards.sql}/credential`, `/qualifications/${qualificationId}/credential`]) {
      const anonymous = await api.http().get(`${path}?format=edc`).expect(401);
      expect(anonymous.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(anonymous.body.type).toBe('urn:tessera:problem:unauthenticated');
      const otherLearner = await api.http().get(`${path}?format=edc`).set(as('bob')).expect(403);
      expect(otherLearner.body.type).toBe('urn:tessera:problem:not-your-learner');
      const otherIssuer = await api.http().get(`${path}?format=edc`).set(as('ucd')).expect(403);
      expect(otherIssuer.body.type).toBe('urn:tessera:problem:not-your-issuer');
      expect(JSON.stringify([anonymous.body, otherLearner.body, otherIssuer.body])).not.toContain('Ada');
      // the other formats name no one and stay public
      await api.http().get(path).expect(200);
    }
  });

  it('answers an unknown record with a 404 problem and an unknown format with the usual 400 problem', async () => {
    await api.http().get('/awards/no-such-award/credential?format=edc').set(as('staff')).expect(404);
    await api.http().get('/qualifications/no-such/credential?format=edc').set(as('staff')).expect(404);
    const award = await api.http().get(`/awards/${awards.sql}/credential?format=elm`).expect(400);
    expect(award.body).toMatchObject({ type: 'urn:tessera:problem:malformed-credential' });
    expect(award.body.detail).toContain('"edc"');
    const qualification = await api.http().get(`/qualifications/${qualificationId}/credential?format=elm`).expect(400);
    expect(qualification.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('describes the format in the OpenAPI document of both routes', async () => {
    const openapi = (await api.http().get('/openapi.json').expect(200)).body;
    for (const path of ['/awards/{awardId}/credential', '/qualifications/{qualificationId}/credential']) {
      const format = openapi.paths[path].get.parameters.find((parameter: Json) => parameter.name === 'format');
      expect(format).toMatchObject({ in: 'query', required: false, schema: { enum: ['json', 'jwt', 'edc'] } });
      expect(format.description).toMatch(/European Digital Credential.*learner or of staff/);
    }
  });

  it('names no one once the learner’s profile is erased', async () => {
    await api.http().delete('/learners/ada/profile').set(as('registrar')).expect(200);
    for (const path of [
      `/awards/${awards.sql}/credential`,
      `/awards/${awards.model}/credential`,
      `/qualifications/${qualificationId}/credential`,
    ]) {
      const credential = await edc('staff', path);
      expect(credential.credentialSubject).toMatchObject({ id: 'urn:tessera:learner:ada' });
      expect(credential.credentialSubject.fullName).toBeUndefined();
      const image = Buffer.from(
        credential.displayParameter.individualDisplay.displayDetail.image.content,
        'base64',
      ).toString('utf8');
      expect(`${JSON.stringify(credential)}${image}`).not.toMatch(/Ada Lovelace|ada@example\.edu/);
    }
  });

  it('issues no EDC for a record not in force, which an EDC could not say (409 problem)', async () => {
    const notInForce = async (path: string) => {
      const response = await api.http().get(`${path}?format=edc`).set(as('staff')).expect(409);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.type).toBe('urn:tessera:problem:record-not-in-force');
      return response.body.detail as string;
    };
    const bob = `/awards/${awards.bob}/credential`;
    await post('staff', `/awards/${awards.bob}/suspend`, { reason: 'Under review' }).expect(200);
    expect(await notInForce(bob)).toMatch(/is suspended/);
    await post('staff', `/awards/${awards.bob}/reinstate`, {}).expect(200);
    await edc('bob', bob);
    await post('staff', `/awards/${awards.bob}/revoke`, { reason: 'Misconduct' }).expect(200);
    expect(await notInForce(bob)).toMatch(/is revoked/);

    // revoking an award of its basis invalidates the certificate, once the conferral process manager has run
    await post('staff', `/awards/${awards.model}/revoke`, { reason: 'Misconduct' }).expect(200);
    const path = `/qualifications/${qualificationId}/credential?format=edc`;
    const deadline = Date.now() + 15_000;
    while ((await api.http().get(path).set(as('staff'))).status === 200) {
      if (Date.now() > deadline) throw new Error('the certificate was not invalidated');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await notInForce(`/qualifications/${qualificationId}/credential`)).toMatch(/is invalidated/);
  });
});

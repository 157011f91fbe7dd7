import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import type { EventStore } from '@app/event-store';
import { type ApiHarness, definition, startApi } from './support/api-harness';

/**
 * The lifecycle of one learner on two achievements of two issuers, over HTTP against PostgreSQL:
 * define → evidence → assessment → award → suspend → reinstate → revoke, and prior learning.
 */
describe('a learner record, end to end', () => {
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    tuAdmin: { sub: 'tu-admin', roles: ['issuer-admin'], issuers: ['tu-dublin'] },
    tuAssessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
    portoAdmin: { sub: 'porto-admin', roles: ['issuer-admin'], issuers: ['uni-porto'] },
    portoAssessor: { sub: 'porto-assessor', roles: ['assessor'], issuers: ['uni-porto'] },
    registrar: { sub: 'registrar', roles: ['registrar'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}, key?: string) => {
    const call = api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`);
    return (key ? call.set('Idempotency-Key', key) : call).send(body);
  };

  beforeAll(async () => {
    api = await startApi();
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', {
      id: 'tu-dublin',
      name: 'TU Dublin',
      url: 'https://tudublin.ie',
      country: 'IE',
      qualityAssurance: 'QQI',
      framework: 'NFQ',
    }).expect(201);
    await post('admin', '/issuers', {
      id: 'uni-porto',
      name: 'Universidade do Porto',
      url: 'https://up.pt',
      country: 'PT',
      qualityAssurance: 'A3ES',
    }).expect(201);
  });
  afterAll(() => api?.close());

  it('takes a learner from evidence to award on two issuers’ achievements, and through suspension, reinstatement and revocation', async () => {
    const sql = await post('tuAdmin', '/achievements', {
      id: 'sql-querying',
      issuerId: 'tu-dublin',
      ...definition(),
    }).expect(201);
    expect(sql.body).toEqual({ id: 'sql-querying', version: 1, position: expect.stringMatching(/^\d+$/) });
    const ethics = await post('portoAdmin', '/achievements', {
      issuerId: 'uni-porto',
      ...definition({
        title: 'Data ethics',
        kind: 'disposition',
        statement: 'I exhibit care for the people behind the data I handle',
        criteria: [{ id: 'care', description: 'Flags a privacy risk unprompted', required: true }],
        validity: undefined,
      }),
    }).expect(201);
    const ethicsId: string = ethics.body.id;
    expect(ethicsId).toMatch(/^[0-9a-f-]{36}$/);

    // Evidence and a passing assessment on the TU Dublin skill
    const evidence = await post('tuAssessor', '/learners/ada/achievements/sql-querying/evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins', 'aggregates'],
      description: 'Built the reporting queries for the library project',
      artifact: { url: 'https://portfolio.example.edu/ada/sql', sha256: 'a'.repeat(64) },
      observedAt: '2026-03-01T10:00:00Z',
    }).expect(201);
    const challenge = await post('tuAssessor', '/learners/ada/achievements/sql-querying/evidence', {
      kind: 'challenge',
      criterionIds: ['plans'],
      description: 'Timed query-plan challenge',
      observedAt: '2026-03-02T10:00:00Z',
    }).expect(201);
    const notYet = await post('tuAssessor', '/learners/ada/achievements/sql-querying/assessments', {
      evidenceIds: [evidence.body.evidenceId],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: false },
      ],
    }).expect(201);
    expect(notYet.body.outcome).toBe('not-yet');
    await post('tuAssessor', '/learners/ada/achievements/sql-querying/award').expect(422);

    const passed = await post('tuAssessor', '/learners/ada/achievements/sql-querying/assessments', {
      evidenceIds: [evidence.body.evidenceId, challenge.body.evidenceId],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: true },
        { criterionId: 'plans', met: false },
      ],
    }).expect(201);
    expect(passed.body).toEqual({ assessmentId: expect.any(String), outcome: 'passed', position: expect.any(String) });

    const award = await post('tuAssessor', '/learners/ada/achievements/sql-querying/award').expect(201);
    expect(award.body).toEqual({
      awardId: expect.any(String),
      issuedAt: expect.any(String),
      validUntil: expect.any(String),
      position: expect.any(String),
    });
    expect(Date.parse(award.body.validUntil) - Date.parse(award.body.issuedAt)).toBeGreaterThan(729 * 86_400_000);
    await post('tuAssessor', '/learners/ada/achievements/sql-querying/award').expect(409);

    // The Porto disposition, assessed by Porto's assessor; TU Dublin's assessor may not touch it
    await post('tuAssessor', `/learners/ada/achievements/${ethicsId}/evidence`, {
      kind: 'accomplishment',
      criterionIds: ['care'],
      description: 'x',
      observedAt: '2026-03-01T10:00:00Z',
    }).expect(403);
    const ethicsEvidence = await post('portoAssessor', `/learners/ada/achievements/${ethicsId}/evidence`, {
      kind: 'accomplishment',
      criterionIds: ['care'],
      description: 'Raised a re-identification risk in the capstone dataset',
      observedAt: '2026-03-05T10:00:00Z',
    }).expect(201);
    await post('portoAssessor', `/learners/ada/achievements/${ethicsId}/assessments`, {
      evidenceIds: [ethicsEvidence.body.evidenceId],
      results: [{ criterionId: 'care', met: true }],
    }).expect(201);
    const ethicsAward = await post('portoAdmin', `/learners/ada/achievements/${ethicsId}/award`).expect(201);
    expect(ethicsAward.body.validUntil).toBeUndefined();

    // Suspend, reinstate, revoke — only by the award's own issuer
    const awardId: string = award.body.awardId;
    await post('portoAdmin', `/awards/${awardId}/suspend`, { reason: 'x' }).expect(403);
    expect(
      (await post('tuAdmin', `/awards/${awardId}/suspend`, { reason: 'Under review' }).expect(200)).body,
    ).toMatchObject({ awardId, status: 'suspended' });
    await post('tuAdmin', `/awards/${awardId}/suspend`, { reason: 'again' }).expect(409);
    expect((await post('tuAdmin', `/awards/${awardId}/reinstate`, {}).expect(200)).body.status).toBe('valid');
    await post('tuAdmin', `/awards/${awardId}/reinstate`, {}).expect(409);
    expect(
      (await post('tuAdmin', `/awards/${awardId}/revoke`, { reason: 'Plagiarism confirmed' }).expect(200)).body.status,
    ).toBe('revoked');
    await post('tuAdmin', `/awards/${awardId}/revoke`, { reason: 'again' }).expect(409);
    await post('tuAdmin', '/awards/00000000-0000-4000-8000-000000000000/revoke', { reason: 'x' }).expect(404);

    // Prior learning, by a registrar
    const prior = await post('registrar', '/learners/ada/prior-learning', {
      achievementId: 'sql-querying',
      issuer: 'Open University',
      title: 'Databases (M269)',
      credits: [{ framework: 'CATS', value: 15 }],
      evidence: { description: 'Transcript checked by the registry' },
    }).expect(201);
    expect(prior.body).toEqual({ recognitionId: expect.any(String), position: expect.any(String) });

    // The catalogue lists both, once caught up with the last definition
    const catalogue = await api
      .http()
      .get(`/achievements?minPosition=${ethics.body.position}`)
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .expect(200);
    expect(
      catalogue.body.achievements.map((achievement: { achievementId: string }) => achievement.achievementId).sort(),
    ).toEqual([ethicsId, 'sql-querying'].sort());
    const one = await api
      .http()
      .get('/achievements/sql-querying')
      .set('Authorization', `Bearer ${tokens.registrar}`)
      .expect(200);
    expect(one.body).toMatchObject({ status: 'published', issuerId: 'tu-dublin', versions: [{ version: 1 }] });

    // The ledger holds the whole story of the record, in order, with who and when
    const history = await api.app.get<symbol, EventStore>(EVENT_STORE).readStream('record-ada~sql-querying');
    expect(history.map((event) => event.type)).toEqual([
      'EvidenceSubmitted',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'AssessmentRecorded',
      'AchievementAwarded',
      'AwardSuspended',
      'AwardReinstated',
      'AwardRevoked',
      'PriorLearningRecognised',
    ]);
    expect(history[4].metadata).toMatchObject({
      commandId: expect.any(String),
      correlationId: expect.any(String),
      causationId: expect.any(String),
      actor: { sub: 'tu-assessor', roles: ['assessor'] },
      occurredAt: expect.any(String),
    });
  });

  it('versions a definition on revision and refuses evidence once it is retired', async () => {
    await post('tuAdmin', '/achievements', {
      id: 'git-basics',
      issuerId: 'tu-dublin',
      ...definition({ title: 'Git basics' }),
    }).expect(201);
    const revised = await post(
      'tuAdmin',
      '/achievements/git-basics/revisions',
      definition({ title: 'Version control with Git' }),
    ).expect(201);
    expect(revised.body).toMatchObject({ id: 'git-basics', version: 2 });
    await post('portoAdmin', '/achievements/git-basics/revisions', definition()).expect(403);
    await post('tuAdmin', '/achievements/git-basics/retire', { reason: 'Replaced' }).expect(200);
    await post('tuAdmin', '/achievements/git-basics/retire', {}).expect(409);
    const refused = await post('tuAssessor', '/learners/bob/achievements/git-basics/evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins'],
      description: 'x',
      observedAt: '2026-03-01T10:00:00Z',
    }).expect(422);
    expect(refused.body).toMatchObject({
      type: 'urn:tessera:problem:achievement-retired',
      status: 422,
      code: 'achievement-retired',
    });
  });
});

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { Actor } from '../apps/api/src/auth/actor';
import { type ApiHarness, definition, issuer, startApi } from './support/api-harness';

const ISSUER = 'tu-dublin';
const MOODLE = 'https://moodle.tudublin.example';
const VERBS = {
  launched: 'http://adlnet.gov/expapi/verbs/launched',
  progressed: 'http://adlnet.gov/expapi/verbs/progressed',
  completed: 'http://adlnet.gov/expapi/verbs/completed',
  voided: 'http://adlnet.gov/expapi/verbs/voided',
};
const COURSE = `${MOODLE}/course/view.php?id=12`;
const LESSON = `${MOODLE}/mod/lesson/view.php?id=30`;
const QUIZ_JOINS = `${MOODLE}/mod/quiz/view.php?id=31`;
const QUIZ_AGGREGATES = `${MOODLE}/mod/quiz/view.php?id=32`;
const LEVELS = [
  { name: 'distinction', minScaled: 0.85, met: true },
  { name: 'pass', minScaled: 0.6, met: true },
  { name: 'not yet', minScaled: -1, met: false },
];

const admin: Actor = { sub: 'admin-1', roles: ['admin'], issuers: [] };
const staff: Actor = {
  sub: 'staff-1',
  roles: ['issuer-admin', 'assessor', 'registrar', 'auditor'],
  issuers: [ISSUER],
};

/** Ada is known to Moodle by her account, Bob by his email (mbox). */
const ADA = { learnerId: 'ada', actor: { objectType: 'Agent', account: { homePage: MOODLE, name: '101' } } };
const BOB = { learnerId: 'bob', actor: { objectType: 'Agent', mbox: 'mailto:Bob@Example.edu' } };

const statement = (
  who: { actor: object },
  verb: keyof typeof VERBS,
  object: string,
  timestamp: string,
  result?: object,
) => ({
  id: randomUUID(),
  actor: who.actor,
  verb: { id: VERBS[verb], display: { 'en-US': verb } },
  object: {
    objectType: 'Activity',
    id: object,
    definition: { type: 'http://adlnet.gov/expapi/activities/assessment' },
  },
  ...(result ? { result } : {}),
  timestamp,
  context: { contextActivities: { parent: [{ id: COURSE }] } },
});

describe('xAPI statements as evidence (a Moodle-like sequence for two learners)', () => {
  let api: ApiHarness;
  let bearer: string;
  let basic: string;
  let clientId: string;
  let secret: string;
  const xapi = (method: 'get' | 'post' | 'put', path: string, version = '1.0.3') => {
    const request = api.http()[method](path).set('Authorization', basic);
    return version ? request.set('X-Experience-API-Version', version) : request;
  };
  const as = (method: 'get' | 'post' | 'put', path: string) =>
    api.http()[method](path).set('Authorization', `Bearer ${bearer}`);
  const history = async (learnerId: string) =>
    (await as('get', `/learners/${learnerId}/history`).expect(200)).body.events as Array<{
      type: string;
      data: Record<string, unknown>;
      metadata: Record<string, unknown>;
    }>;
  const records = async (learnerId: string) => {
    const body = (await as('get', `/learners/${learnerId}/records`).expect(200)).body;
    return body.records.find((record: { achievementId: string }) => record.achievementId === 'sql');
  };

  beforeAll(async () => {
    api = await startApi();
    bearer = await api.token(staff);
    await api
      .http()
      .post('/issuers')
      .set('Authorization', `Bearer ${await api.token(admin)}`)
      .send(issuer())
      .expect(201);
    await as('post', '/achievements')
      .send({ id: 'sql', issuerId: ISSUER, ...definition() })
      .expect(201);
    await as('put', '/learners/ada/profile')
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu', xapiAccount: ADA.actor.account })
      .expect(200);
    await as('put', '/learners/bob/profile').send({ name: 'Bob Babbage', email: 'bob@example.edu' }).expect(200);
    const client = await as('post', `/issuers/${ISSUER}/xapi-clients`).send({ name: 'Moodle' }).expect(201);
    clientId = client.body.clientId;
    secret = client.body.secret;
    expect(client.body.secret).toEqual(expect.any(String));
    basic = `Basic ${Buffer.from(`${clientId}:${client.body.secret}`).toString('base64')}`;
    const mapping = await as('put', '/achievements/sql/xapi-mapping')
      .send({
        rules: [
          { criterionId: 'plans', verb: VERBS.progressed, activityId: LESSON },
          { criterionId: 'joins', verb: VERBS.completed, activityId: QUIZ_JOINS, assess: { levels: LEVELS } },
          { criterionId: 'aggregates', verb: VERBS.completed, activityId: QUIZ_AGGREGATES, assess: { levels: LEVELS } },
        ],
      })
      .expect(200);
    expect(mapping.body).toMatchObject({ achievementId: 'sql', issuerId: ISSUER, revision: 1 });
  });
  afterAll(() => api?.close());

  it('keeps the client secret as a hash only, and the mapping readable', async () => {
    const sql = new Client({ connectionString: api.database.url });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ data: string }>(
        "SELECT data::text AS data FROM tessera_events WHERE type = 'XapiClientRegistered'",
      );
      expect(JSON.parse(rows[0].data).secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].data).not.toContain(secret);
    } finally {
      await sql.end();
    }
    const mapping = await as('get', '/achievements/sql/xapi-mapping').expect(200);
    expect(mapping.body.rules).toHaveLength(3);
    expect(mapping.body.rules[1].assess.levels.map((level: { name: string }) => level.name)).toEqual([
      'distinction',
      'pass',
      'not yet',
    ]);
  });

  it('turns launch, progress and scored completions into evidence, automated assessments and an award', async () => {
    const ada = [
      statement(ADA, 'launched', COURSE, '2026-03-01T09:00:00.000Z'),
      statement(ADA, 'progressed', LESSON, '2026-03-01T09:30:00.000Z', { extensions: {} }),
      statement(ADA, 'completed', QUIZ_JOINS, '2026-03-02T10:00:00.000Z', { success: true, score: { scaled: 0.9 } }),
    ];
    const posted = await xapi('post', '/xapi/statements').send(ada).expect(200);
    expect(posted.body).toEqual(ada.map((item) => item.id));
    expect(posted.headers['x-experience-api-version']).toBe('1.0.3');
    const last = statement(ADA, 'completed', QUIZ_AGGREGATES, '2026-03-03T11:00:00.000Z', {
      success: true,
      score: { scaled: 0.7 },
    });
    await xapi('put', `/xapi/statements?statementId=${last.id}`, '2.0.0').send(last).expect(204);

    const record = await records('ada');
    expect(record.evidence.map((item: { observedAt: string }) => item.observedAt)).toEqual([
      '2026-03-01T09:30:00.000Z',
      '2026-03-02T10:00:00.000Z',
      '2026-03-03T11:00:00.000Z',
    ]);
    expect(record.assessments.map((item: { outcome: string }) => item.outcome)).toEqual(['not-yet', 'passed']);
    expect(record.assessments[1].assessor).toBe(`tessera:xapi:${clientId}`);
    expect(record.stage).toBe('awarded');

    const events = await history('ada');
    expect(events.map((event) => event.type)).toEqual([
      'LearnerProfileRecorded',
      'EvidenceSubmitted',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'AchievementAwarded',
    ]);
    const evidence = events.find((event) => event.type === 'EvidenceSubmitted')!;
    expect(evidence.data.artifact).toEqual({
      url: expect.stringContaining(`/xapi/statements?statementId=${ada[1].id}`),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    // No email, name or platform account enters the ledger.
    expect(JSON.stringify(events)).not.toMatch(/ada@example|Ada Lovelace|"101"|mbox/);
  });

  it('withdraws the evidence of a voided statement and flags the assessment that cited it', async () => {
    const bob = [
      statement(BOB, 'launched', COURSE, '2026-03-01T09:00:00.000Z'),
      statement(BOB, 'completed', QUIZ_JOINS, '2026-03-02T10:00:00.000Z', { score: { scaled: 0.95 } }),
      statement(BOB, 'completed', QUIZ_AGGREGATES, '2026-03-02T11:00:00.000Z', { score: { scaled: 0.3 } }),
    ];
    await xapi('post', '/xapi/statements', '2.0.0').send(bob).expect(200);
    let record = await records('bob');
    expect(record.assessments.map((item: { outcome: string }) => item.outcome)).toEqual(['not-yet', 'not-yet']);

    const voiding = {
      id: randomUUID(),
      actor: { objectType: 'Agent', account: { homePage: MOODLE, name: 'admin' } },
      verb: { id: VERBS.voided, display: { 'en-US': 'voided' } },
      object: { objectType: 'StatementRef', id: bob[2].id },
    };
    await xapi('post', '/xapi/statements').send(voiding).expect(200);
    record = await records('bob');
    expect(record.evidence[1].withdrawn).toEqual({
      at: expect.any(String),
      reason: expect.stringContaining(bob[2].id),
    });
    expect(record.assessments[1].flagged).toEqual({ withdrawnEvidenceIds: [record.evidence[1].evidenceId] });
    expect(record.stage).not.toBe('awarded');
    const events = await history('bob');
    expect(events.map((event) => event.type)).toEqual([
      'LearnerProfileRecorded',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'EvidenceSubmitted',
      'AssessmentRecorded',
      'EvidenceWithdrawn',
    ]);
    expect(JSON.stringify(events)).not.toMatch(/bob@example|Bob Babbage|mbox/i);

    await xapi('get', `/xapi/statements?statementId=${bob[2].id}`).expect(404);
    const voided = await xapi('get', `/xapi/statements?voidedStatementId=${bob[2].id}`).expect(200);
    expect(voided.body).toMatchObject({ id: bob[2].id, authority: { account: { name: clientId } } });
    // Voiding a voiding statement is refused.
    await xapi('post', '/xapi/statements')
      .send({ ...voiding, id: randomUUID(), object: { objectType: 'StatementRef', id: voiding.id } })
      .expect(400);
  });

  it('is idempotent by statement id: the same content appends nothing, other content is a 409', async () => {
    const once = statement(ADA, 'progressed', LESSON, '2026-03-04T09:00:00.000Z');
    await xapi('post', '/xapi/statements').send(once).expect(200);
    const before = (await history('ada')).length;
    const again = await xapi('post', '/xapi/statements').send(once).expect(200);
    expect(again.body).toEqual([once.id]);
    await xapi('put', `/xapi/statements?statementId=${once.id}`).send(once).expect(204);
    expect((await history('ada')).length).toBe(before);
    const other = await xapi('post', '/xapi/statements')
      .send({ ...once, timestamp: '2026-03-05T09:00:00.000Z' })
      .expect(409);
    expect(other.body).toMatchObject({ errorId: expect.any(String), message: expect.stringContaining(once.id) });
  });

  it('refuses invalid statements in xAPI’s error form and stores none of the batch', async () => {
    const good = statement(ADA, 'progressed', LESSON, '2026-03-06T09:00:00.000Z');
    const bad = { ...statement(ADA, 'progressed', LESSON, '2026-03-06T09:00:00.000Z'), verb: { id: 'not an iri' } };
    const refused = await xapi('post', '/xapi/statements').send([good, bad]).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.body.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: expect.stringContaining('statement[1].verb') })]),
    );
    await xapi('get', `/xapi/statements?statementId=${good.id}`).expect(404);
    await xapi('post', '/xapi/statements', '').send(good).expect(400);
    await xapi('post', '/xapi/statements', '0.95').send(good).expect(400);
  });

  it('acknowledges statements that match nothing, keeps them out of the ledger and counts them for the issuer-admin', async () => {
    const stranger = statement(
      { actor: { mbox: 'mailto:nobody@example.org' } },
      'completed',
      QUIZ_JOINS,
      '2026-03-07T09:00:00.000Z',
      { score: { scaled: 1 } },
    );
    await xapi('post', '/xapi/statements').send(stranger).expect(200);
    const report = await as('get', `/issuers/${ISSUER}/xapi-statements/unmatched`).expect(200);
    expect(report.body.notInLedger).toEqual({ unmatched: 2, unknownActor: 1, refused: 0 });
    expect(report.body.statements.map((item: { reason: string }) => item.reason).sort()).toEqual([
      'unknown-actor',
      'unmatched',
      'unmatched',
    ]);
    expect(JSON.stringify(report.body)).not.toMatch(/nobody@example|mbox/);
  });

  it('answers 401 without credentials, with a wrong secret and once the client is revoked', async () => {
    const one = statement(ADA, 'progressed', LESSON, '2026-03-08T09:00:00.000Z');
    const none = await api.http().post('/xapi/statements').set('X-Experience-API-Version', '1.0.3').send(one);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic/);
    const wrong = `Basic ${Buffer.from(`${clientId}:guess`).toString('base64')}`;
    await api
      .http()
      .post('/xapi/statements')
      .set('Authorization', wrong)
      .set('X-Experience-API-Version', '1.0.3')
      .send(one)
      .expect(401);
    await as('post', `/issuers/${ISSUER}/xapi-clients/${clientId}/revoke`).send({}).expect(200);
    await xapi('post', '/xapi/statements').send(one).expect(401);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Actor } from '../apps/api/src/auth/actor';
import { type ApiHarness, definition, issuer, startApi } from './support/api-harness';

const ISSUER = 'tu-dublin';
const OTHER = 'other-uni';
const MOODLE = 'https://moodle.tudublin.example';
const VERB = (name: string) => `http://adlnet.gov/expapi/verbs/${name}`;
const COURSE = `${MOODLE}/course/view.php?id=12`;
const LESSON = `${MOODLE}/mod/lesson/view.php?id=30`;
const QUIZ = `${MOODLE}/mod/quiz/view.php?id=31`;

const admin: Actor = { sub: 'admin-1', roles: ['admin'], issuers: [] };
const staff: Actor = {
  sub: 'staff-1',
  roles: ['issuer-admin', 'assessor', 'registrar', 'auditor'],
  issuers: [ISSUER, OTHER],
};

/** Ada is known to Moodle by her account and, elsewhere, by her email; the ledger by neither. */
const ADA_ACCOUNT = { objectType: 'Agent', account: { homePage: MOODLE, name: '101' } };
const ADA_MBOX = { objectType: 'Agent', mbox: 'mailto:ada@example.edu' };
const BOB = { objectType: 'Agent', mbox: 'mailto:bob@example.edu' };
const CAROL = { objectType: 'Agent', openid: 'https://openid.example/carol' };
const DAN = { objectType: 'Agent', mbox_sha1sum: createHash('sha1').update('mailto:dan@example.edu').digest('hex') };

type Statement = { id: string; [key: string]: unknown };
const statement = (actor: object, verb: string, object: string, extra: object = {}): Statement => ({
  id: randomUUID(),
  actor,
  verb: { id: VERB(verb), display: { 'en-US': verb, 'fr-FR': `${verb} (fr)` } },
  object: {
    objectType: 'Activity',
    id: object,
    definition: { name: { 'en-US': 'An activity', 'de-DE': 'Eine Aktivität' } },
  },
  timestamp: '2026-03-01T09:00:00.000Z',
  ...extra,
});

/** The same suite on both storage back ends: PostgreSQL, and PGlite, the embedded default. */
describe.each([
  ['PostgreSQL', () => ({})],
  ['PGlite', (dir: string) => ({ DATABASE_URL: '', TESSERA_DATA_DIR: dir })],
])('the xAPI statement query (%s)', (_kind, envOf) => {
  let api: ApiHarness;
  let dataDir: string;
  let bearer: string;
  const basic: Record<string, string> = {};

  const xapi = (method: 'get' | 'post' | 'put' | 'head', path: string, issuerId = ISSUER, version = '2.0.0') =>
    api.http()[method](path).set('Authorization', basic[issuerId]).set('X-Experience-API-Version', version);
  const as = (method: 'get' | 'post' | 'put', path: string) =>
    api.http()[method](path).set('Authorization', `Bearer ${bearer}`);
  const post = async (statements: Statement[], issuerId = ISSUER) =>
    xapi('post', '/xapi/statements', issuerId).send(statements).expect(200);
  const query = async (parameters: Record<string, string>, issuerId = ISSUER) => {
    const answer = await xapi('get', `/xapi/statements?${new URLSearchParams(parameters)}`, issuerId).expect(200);
    return answer.body as { statements: Statement[]; more: string };
  };
  const ids = async (parameters: Record<string, string>, issuerId = ISSUER) =>
    (await query(parameters, issuerId)).statements.map((item) => item.id);
  /** What was stored and what the ledger holds: what a refused request must leave as it was. */
  const counts = async () => ({
    received: (await as('get', `/issuers/${ISSUER}/xapi-statements/unmatched`).expect(200)).body.received,
    ledger: (await as('get', '/learners/ada/history').expect(200)).body.events.length,
  });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'tessera-xapi-query-'));
    api = await startApi(envOf(dataDir));
    bearer = await api.token(staff);
    const adminToken = await api.token(admin);
    for (const id of [ISSUER, OTHER]) {
      await api
        .http()
        .post('/issuers')
        .set('Authorization', `Bearer ${adminToken}`)
        .send(issuer({ id, name: id }))
        .expect(201);
      const client = await as('post', `/issuers/${id}/xapi-clients`).send({ name: 'Moodle' }).expect(201);
      basic[id] = `Basic ${Buffer.from(`${client.body.clientId}:${client.body.secret}`).toString('base64')}`;
    }
    await as('post', '/achievements')
      .send({ id: 'sql', issuerId: ISSUER, ...definition() })
      .expect(201);
    await as('put', '/learners/ada/profile')
      .send({ name: 'Ada Lovelace', email: 'Ada@Example.edu', xapiAccount: ADA_ACCOUNT.account, issuerId: ISSUER })
      .expect(200);
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves About, the version header on every answer, and HEAD', async () => {
    const about = await api.http().get('/xapi/about').expect(200);
    expect(about.body).toEqual({ version: ['2.0.0', '1.0.3'], extensions: {} });
    expect(about.headers['x-experience-api-version']).toBe('2.0.0');
    const unauthenticated = await api.http().get('/xapi/statements').set('X-Experience-API-Version', '1.0.3');
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['x-experience-api-version']).toBe('1.0.3');
    const versionless = await api.http().get('/xapi/statements').set('Authorization', basic[ISSUER]).expect(400);
    expect(versionless.headers['x-experience-api-version']).toBe('2.0.0');
    const one = statement(BOB, 'launched', COURSE);
    await post([one]);
    const head = await xapi('head', `/xapi/statements?statementId=${one.id}`).expect(200);
    expect(head.text ?? '').toBe('');
    expect(head.headers['x-experience-api-consistent-through']).toEqual(expect.any(String));
    expect(Date.parse(head.headers['last-modified'])).not.toBeNaN();
    await xapi('head', '/xapi/statements?limit=1').expect(200);
  });

  it('filters by agent (matched through the profile), verb, activity, registration, since and until', async () => {
    const registration = randomUUID();
    const byAccount = statement(ADA_ACCOUNT, 'completed', QUIZ, {
      result: { score: { scaled: 0.9 } },
      context: { registration },
    });
    const byMbox = statement({ ...ADA_MBOX, mbox: 'mailto:ADA@example.edu' }, 'progressed', LESSON, {
      context: { contextActivities: { parent: [{ id: COURSE }] } },
    });
    const bob = statement(BOB, 'completed', QUIZ);
    const carol = statement(CAROL, 'launched', COURSE);
    const dan = statement(DAN, 'attempted', QUIZ, { context: { instructor: ADA_MBOX } });
    await post([byAccount, byMbox, bob]);
    const between = (await xapi('get', `/xapi/statements?statementId=${bob.id}`).expect(200)).body.stored as string;
    await new Promise((resolve) => setTimeout(resolve, 20));
    await post([carol, dan]);

    // Ada by account finds what names her by email too, and the other way round: the profile store joins them.
    const ada = [byMbox.id, byAccount.id];
    expect(await ids({ agent: JSON.stringify(ADA_ACCOUNT) })).toEqual(ada);
    expect(await ids({ agent: JSON.stringify({ mbox: 'mailto:ada@EXAMPLE.edu' }) })).toEqual(ada);
    expect(await ids({ agent: JSON.stringify(ADA_MBOX), related_agents: 'true' })).toEqual([dan.id, ...ada]);
    expect(await ids({ agent: JSON.stringify(CAROL) })).toEqual([carol.id]);
    expect(await ids({ agent: JSON.stringify(DAN) })).toEqual([dan.id]);
    expect(await ids({ agent: JSON.stringify(BOB), verb: VERB('completed') })).toEqual([bob.id]);
    expect(await ids({ verb: VERB('completed'), activity: QUIZ })).toEqual([bob.id, byAccount.id]);
    expect(await ids({ activity: COURSE, since: between })).toEqual([carol.id]);
    expect(await ids({ activity: COURSE, related_activities: 'true', since: between })).toEqual([carol.id]);
    expect(await ids({ activity: COURSE, related_activities: 'true', until: between })).toEqual(
      expect.arrayContaining([byMbox.id]),
    );
    expect(await ids({ registration })).toEqual([byAccount.id]);
    expect(await ids({ registration, until: between })).toEqual([byAccount.id]);
    expect(await ids({ registration, since: between })).toEqual([]);
    expect(await ids({ agent: JSON.stringify(ADA_ACCOUNT), ascending: 'true' })).toEqual([...ada].reverse());

    // As stored: id, stored, authority (the client), version.
    const [stored] = (await query({ registration })).statements;
    expect(stored).toMatchObject({
      id: byAccount.id,
      actor: ADA_ACCOUNT,
      result: { score: { scaled: 0.9 } },
      stored: expect.any(String),
      authority: { objectType: 'Agent', account: { name: expect.stringMatching(/^tu-dublin\./) } },
      version: '2.0.0',
    });
    const [asIds] = (await query({ registration, format: 'ids' })).statements;
    expect(asIds.verb).toEqual({ id: VERB('completed') });
    expect(asIds.object).toEqual({ objectType: 'Activity', id: QUIZ });
    const canonical = await xapi('get', `/xapi/statements?registration=${registration}&format=canonical`)
      .set('Accept-Language', 'de-DE, fr;q=0.8')
      .expect(200);
    expect(canonical.body.statements[0].verb.display).toEqual({ 'fr-FR': 'completed (fr)' });
    expect(canonical.body.statements[0].object.definition.name).toEqual({ 'de-DE': 'Eine Aktivität' });
    expect(canonical.headers['x-experience-api-consistent-through']).toEqual(expect.any(String));
    expect(Date.parse(canonical.headers['x-experience-api-consistent-through'])).not.toBeNaN();
  });

  it('answers X-Experience-API-Consistent-Through that a client can sync from with since', async () => {
    const verb = VERB(`synced-${randomUUID()}`);
    const first = { ...statement(BOB, 'x', QUIZ), verb: { id: verb } };
    await post([first]);
    const read = await xapi('get', `/xapi/statements?verb=${encodeURIComponent(verb)}`).expect(200);
    const through = read.headers['x-experience-api-consistent-through'] as string;
    expect(through).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Date.parse(through)).toBeGreaterThanOrEqual(Date.parse(read.body.statements[0].stored));
    // A batch: every statement stored before any is processed, each `stored` the database's time of its INSERT.
    const later = [1, 2].map(() => ({ ...statement(BOB, 'x', QUIZ), verb: { id: verb } }));
    await post(later);
    expect(await ids({ verb, since: through, ascending: 'true' })).toEqual(later.map((item) => item.id));
    if (_kind !== 'PostgreSQL') return;
    // A transaction still open on the database (which may be storing a statement) holds the instant back.
    const open = new Client({ connectionString: api.database.url });
    await open.connect();
    try {
      await open.query('BEGIN');
      const [{ started }] = (await open.query<{ started: Date }>('SELECT now() AS started')).rows;
      await new Promise((resolve) => setTimeout(resolve, 30));
      const held = await xapi('get', '/xapi/statements?limit=1').expect(200);
      expect(Date.parse(held.headers['x-experience-api-consistent-through'])).toBeLessThan(started.getTime());
      await open.query('COMMIT');
    } finally {
      await open.end();
    }
  });

  it('matches an actor named by mbox_sha1sum to the learner through the profile store, on POST and in queries', async () => {
    const PLAN = `${MOODLE}/mod/page/view.php?id=77`;
    await as('put', '/achievements/sql/xapi-mapping')
      .send({ rules: [{ criterionId: 'plans', verb: VERB('experienced'), activityId: PLAN }] })
      .expect(200);
    // Of the profile's email in lower case, as platforms that hash send it.
    const hashed = {
      objectType: 'Agent',
      mbox_sha1sum: createHash('sha1').update('mailto:ada@example.edu').digest('hex'),
    };
    const one = statement(hashed, 'experienced', PLAN);
    await post([one]);
    const events = (await as('get', '/learners/ada/history').expect(200)).body.events as Array<{
      type: string;
      data: { artifact?: { url: string } };
    }>;
    expect(events.filter((event) => event.data.artifact?.url.endsWith(one.id))).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(hashed.mbox_sha1sum);
    expect(await ids({ agent: JSON.stringify(ADA_ACCOUNT), verb: VERB('experienced') })).toEqual([one.id]);
    expect(await ids({ agent: JSON.stringify(hashed), verb: VERB('completed') })).toEqual(
      await ids({ agent: JSON.stringify(ADA_MBOX), verb: VERB('completed') }),
    );
    expect(await ids({ agent: JSON.stringify(hashed), verb: VERB('completed') })).not.toEqual([]);
  });

  it('pages with more, and an append between pages shifts and repeats nothing', async () => {
    const verb = VERB(`paged-${randomUUID()}`);
    const sent = Array.from({ length: 5 }, () => ({ ...statement(BOB, 'x', LESSON), verb: { id: verb } }));
    for (const one of sent) await post([one]);
    for (const ascending of [false, true]) {
      // What the query holds before the first page: the traversal returns exactly this, in this order.
      const expected = await ids({ verb, ...(ascending ? { ascending: 'true' } : {}) });
      expect(expected).toHaveLength(ascending ? 6 : 5);
      if (!ascending) expect(expected).toEqual(sent.map((item) => item.id).reverse());
      const seen: string[] = [];
      let page = await query({ verb, limit: '2', ...(ascending ? { ascending: 'true' } : {}) });
      const pages = [page.statements.length];
      seen.push(...page.statements.map((item) => item.id));
      // Appended after the first page: not in this traversal, wherever it would sort.
      await post([{ ...statement(BOB, 'x', LESSON), verb: { id: verb } }]);
      while (page.more) {
        expect(page.more).toMatch(/^\/xapi\/statements\?cursor=[A-Za-z0-9_-]+$/);
        page = (await xapi('get', page.more).expect(200)).body;
        pages.push(page.statements.length);
        seen.push(...page.statements.map((item) => item.id));
      }
      expect(pages).toEqual(ascending ? [2, 2, 2] : [2, 2, 1]);
      expect(page.more).toBe('');
      expect(seen).toEqual(expected);
    }
    // The server maximum caps limit=0 and larger limits, without error.
    expect((await query({ verb, limit: '0' })).statements).toHaveLength(7);
    expect((await query({ verb, limit: '100000' })).statements).toHaveLength(7);
  });

  it("keeps each issuer's statements to its own clients, by query, by id and through a cursor", async () => {
    const verb = VERB(`isolated-${randomUUID()}`);
    const ours = [1, 2, 3].map(() => ({ ...statement(ADA_ACCOUNT, 'x', QUIZ), verb: { id: verb } }));
    const theirs = { ...statement(ADA_ACCOUNT, 'x', QUIZ), verb: { id: verb } };
    await post(ours);
    await post([theirs], OTHER);
    expect(await ids({ verb }, OTHER)).toEqual([theirs.id]);
    expect(await ids({ verb })).toEqual(ours.map((item) => item.id).reverse());
    expect(await ids({ agent: JSON.stringify(ADA_MBOX) }, OTHER)).toEqual([theirs.id]);
    expect(await ids({}, OTHER)).toEqual([theirs.id]);
    await xapi('get', `/xapi/statements?statementId=${ours[0].id}`, OTHER).expect(404);
    await xapi('get', `/xapi/statements?statementId=${theirs.id}`).expect(404);
    // Our cursor, followed by the other issuer's client, reads the other issuer's statements only.
    const { more } = await query({ verb, limit: '1' });
    const followed = (await xapi('get', more, OTHER).expect(200)).body;
    expect(followed.statements).toEqual([]);
  });

  it('leaves voided statements out of queries, and returns the voiding statement', async () => {
    const verb = VERB(`voided-${randomUUID()}`);
    const kept = { ...statement(BOB, 'x', QUIZ), verb: { id: verb } };
    const voided = { ...statement(BOB, 'x', QUIZ), verb: { id: verb } };
    await post([kept, voided]);
    expect(await ids({ verb })).toEqual([voided.id, kept.id]);
    const voiding = {
      id: randomUUID(),
      actor: BOB,
      verb: { id: VERB('voided') },
      object: { objectType: 'StatementRef', id: voided.id },
    };
    await post([voiding]);
    expect(await ids({ verb })).toEqual([kept.id]);
    expect(await ids({ verb: VERB('voided'), agent: JSON.stringify(BOB) })).toContain(voiding.id);
    await xapi('get', `/xapi/statements?voidedStatementId=${voided.id}`).expect(200);
  });

  it('refuses bad parameters with a 400 in xAPI form, and appends nothing', async () => {
    const before = await counts();
    const bad = [
      'unknown=1',
      'limit=-1',
      'limit=ten',
      'since=not-a-date',
      'until=2026-13-45T99:99:99Z',
      'since=2026-03-01',
      'agent=%7Bbad',
      `agent=${encodeURIComponent(JSON.stringify({ mbox: 'mailto:a@b.c', openid: 'https://x.example' }))}`,
      `agent=${encodeURIComponent(JSON.stringify({ mbox: 'ada@example.edu' }))}`,
      'verb=not%20an%20iri',
      'activity=',
      'registration=42',
      'ascending=yes',
      'related_agents=1',
      'format=full',
      'attachments=true',
      'cursor=AAAA',
      `statementId=${randomUUID()}&verb=${encodeURIComponent(VERB('completed'))}`,
      `statementId=${randomUUID()}&voidedStatementId=${randomUUID()}`,
      'verb=a:b&verb=c:d',
    ];
    const { more } = await query({ limit: '1' });
    bad.push(`${more.split('?')[1]}&limit=2`);
    for (const parameters of bad) {
      const answer = await xapi('get', `/xapi/statements?${parameters}`);
      expect({ parameters, status: answer.status }).toEqual({ parameters, status: 400 });
      expect({ parameters, type: answer.headers['content-type'] }).toEqual({
        parameters,
        type: expect.stringMatching(/^application\/json/),
      });
      expect(answer.body).toEqual({ errorId: expect.any(String), message: expect.any(String) });
    }
    const multipart = await xapi('post', '/xapi/statements')
      .set('Content-Type', 'multipart/mixed; boundary=abc')
      .send('--abc\r\nContent-Type: application/json\r\n\r\n{}\r\n--abc--');
    expect(multipart.status).toBe(400);
    expect(multipart.body.message).toMatch(/attachments/);
    expect(await counts()).toEqual(before);
  });
});

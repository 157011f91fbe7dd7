import type { EventStore } from '@app/event-store';
import { generateKeyPair, SignJWT } from 'jose';
import type { Response } from 'supertest';
import type { Actor } from '../apps/api/src/auth/actor';
import { TokenVerifier } from '../apps/api/src/auth/token-verifier';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { type ApiHarness, definition, startApi, TEST_JWT_SECRET } from './support/api-harness';
import { LAX_TOKEN_KINDS, laxTokens } from './support/lax-tokens';

/**
 * Every error class of the HTTP contract (DESIGN §6), route by route: each answer is an RFC 9457
 * `application/problem+json` document with a stable `urn:tessera:problem:` type, and no refused request appends
 * anything to the ledger.
 */

const ACTORS = {
  admin: { sub: 'root', roles: ['admin'], issuers: [] },
  tuAdmin: { sub: 'tu-admin', roles: ['issuer-admin'], issuers: ['tu-dublin'] },
  tuAssessor: { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] },
  portoAdmin: { sub: 'porto-admin', roles: ['issuer-admin'], issuers: ['uni-porto'] },
  portoAssessor: { sub: 'porto-assessor', roles: ['assessor'], issuers: ['uni-porto'] },
  ghostAdmin: { sub: 'ghost-admin', roles: ['issuer-admin'], issuers: ['nowhere'] },
  registrar: { sub: 'registrar', roles: ['registrar'], issuers: ['tu-dublin'] },
  portoRegistrar: { sub: 'porto-registrar', roles: ['registrar'], issuers: ['uni-porto'] },
  auditor: { sub: 'auditor', roles: ['auditor'], issuers: [] },
  ada: { sub: 'ada', roles: ['learner'], issuers: [], learner: 'ada' },
  bob: { sub: 'bob', roles: ['learner'], issuers: [], learner: 'bob' },
  anonymousLearner: { sub: 'someone', roles: ['learner'], issuers: [] },
} satisfies Record<string, Actor>;
type ActorName = keyof typeof ACTORS;

type Method = 'get' | 'post' | 'put' | 'delete';
type Lazy<T> = T | (() => T);
const value = <T>(lazy: Lazy<T>): T => (typeof lazy === 'function' ? (lazy as () => T)() : lazy);

interface ErrorCase {
  /** What is wrong with the request. */
  readonly name: string;
  readonly method?: Method;
  readonly path: Lazy<string>;
  /** The actor whose valid token is sent. */
  readonly as?: ActorName;
  /** A raw Authorization header instead (for the 401 cases). */
  readonly authorization?: Lazy<string>;
  readonly body?: Lazy<object>;
  /** A raw body, sent as application/json. */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
  readonly status: number;
  /** The problem type's code: `urn:tessera:problem:<code>` (a pattern where more than one would be right). */
  readonly code: string | RegExp;
  /** Fields `errors[]` must name (body paths: `a.b`, `list[0].c`). */
  readonly fields?: readonly string[];
  /** The whole of `errors[]`'s messages, where the case says exactly what the caller reads. */
  readonly messages?: readonly string[];
}

// ---- valid bodies, so that each case is wrong in exactly one way --------------------------------------------------

const issuerBody = (overrides: object = {}) => ({
  id: 'tallinn-uni',
  name: 'Tallinn University',
  url: 'https://tlu.ee',
  country: 'EE',
  qualityAssurance: 'HAKA',
  ...overrides,
});
const achievementBody = (overrides: object = {}) => ({
  id: 'new-skill',
  issuerId: 'tu-dublin',
  ...definition(),
  ...overrides,
});
const evidenceBody = (overrides: object = {}) => ({
  kind: 'accomplishment',
  criterionIds: ['joins', 'aggregates'],
  description: 'Built the reporting queries for the library project',
  observedAt: '2026-03-01T10:00:00Z',
  ...overrides,
});
const priorBody = (overrides: object = {}) => ({
  achievementId: 'sql',
  issuer: 'Open University',
  title: 'Databases (M269)',
  credits: [{ framework: 'CATS', value: 15 }],
  evidence: { description: 'Transcript checked by the registry' },
  ...overrides,
});
const reason = { reason: 'Under review by the exam board' };

// ---- state built in beforeAll, read lazily by the cases -----------------------------------------------------------

/** Award ids: ada's is suspended, bob's valid, cy's revoked. */
const awards = { ada: '', bob: '', cy: '' };
/** Evidence on `sql`: dee's was assessed not-yet; eve's was never assessed. */
const evidence = { dee: '', eve: '' };
/** Hand-made tokens, each refused for a different reason. */
const crafted: Record<string, string> = {};

const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
const bearer = (name: string) => () => `Bearer ${crafted[name]}`;

describe('errors over HTTP: RFC 9457 problems, and nothing appended', () => {
  let api: ApiHarness;
  let store: EventStore;
  const tokens = {} as Record<ActorName, string>;
  const count = async () => (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length;

  const send = (c: ErrorCase): Promise<Response> => {
    let call = api.http()[c.method ?? 'post'](value(c.path));
    const authorization = c.authorization ? value(c.authorization) : c.as ? `Bearer ${tokens[c.as]}` : undefined;
    if (authorization !== undefined) call = call.set('Authorization', authorization);
    for (const [name, header] of Object.entries(c.headers ?? {})) call = call.set(name, header);
    if (c.raw !== undefined) return call.set('Content-Type', 'application/json').send(c.raw);
    return c.body === undefined ? call : call.send(value(c.body));
  };

  /** A successful call during set-up. */
  const ok = async (as: ActorName, path: string, body: object = {}, method: Method = 'post') => {
    const response = await api.http()[method](path).set('Authorization', `Bearer ${tokens[as]}`).send(body);
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };

  const refuse = async (c: ErrorCase) => {
    const before = await count();
    const response = await send(c);
    const after = await count();
    expectProblem(response, c.status, c.code);
    // Nothing appended on any error (queries included: they must not write either).
    expect(after).toBe(before);
    if (c.fields) expect(namedFields(response)).toEqual(expect.arrayContaining([...c.fields]));
    if (c.messages)
      expect(response.body.errors.map((error: { message: string }) => error.message).sort()).toEqual(
        [...c.messages].sort(),
      );
  };

  beforeAll(async () => {
    api = await startApi();
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const [name, actor] of Object.entries(ACTORS)) tokens[name as ActorName] = await api.token(actor);
    await craftTokens(api);

    await ok('admin', '/issuers', issuerBody({ id: 'tu-dublin', name: 'TU Dublin', url: 'https://tudublin.ie' }));
    await ok('admin', '/issuers', issuerBody({ id: 'uni-porto', name: 'Universidade do Porto', url: 'https://up.pt' }));
    await ok('tuAdmin', '/achievements', achievementBody({ id: 'sql' }));
    await ok('portoAdmin', '/achievements', {
      id: 'ethics',
      issuerId: 'uni-porto',
      ...definition({
        title: 'Data ethics',
        kind: 'disposition',
        statement: 'I exhibit care for the people behind the data I handle',
        criteria: [{ id: 'care', description: 'Flags a privacy risk unprompted', required: true }],
      }),
    });
    await ok('tuAdmin', '/achievements', achievementBody({ id: 'old-skill', title: 'COBOL' }));
    await ok('tuAdmin', '/achievements/old-skill/retire', { reason: 'Replaced' });

    const assessed = async (learner: string, met: boolean) => {
      const { evidenceId } = await ok('tuAssessor', `/learners/${learner}/achievements/sql/evidence`, evidenceBody());
      await ok('tuAssessor', `/learners/${learner}/achievements/sql/assessments`, {
        evidenceIds: [evidenceId],
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met },
        ],
      });
      return evidenceId as string;
    };
    for (const learner of ['ada', 'bob', 'cy'] as const) {
      await assessed(learner, true);
      awards[learner] = (await ok('tuAssessor', `/learners/${learner}/achievements/sql/award`)).awardId;
    }
    await ok('tuAdmin', `/awards/${awards.ada}/suspend`, reason);
    await ok('tuAdmin', `/awards/${awards.cy}/revoke`, reason);
    evidence.dee = await assessed('dee', false);
    evidence.eve = (await ok('tuAssessor', '/learners/eve/achievements/sql/evidence', evidenceBody())).evidenceId;

    await ok('registrar', '/learners/ada/profile', { name: 'Ada Lovelace', email: 'ada@example.edu' }, 'put');
    // A command under an Idempotency-Key, reused below with another body
    const first = await api
      .http()
      .post('/learners/gus/achievements/sql/evidence')
      .set('Authorization', `Bearer ${tokens.tuAssessor}`)
      .set('Idempotency-Key', 'gus-evidence-1')
      .send(evidenceBody());
    expect(first.status).toBe(201);
  });
  afterAll(() => api?.close());

  /** The hand-made tokens: each would carry admin rights were it accepted. */
  async function craftTokens(harness: ApiHarness) {
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'root', roles: ['admin'], issuers: [] as string[] };
    const sign = (payload: object, alg = 'HS256') =>
      new SignJWT({ ...payload }).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt().setExpirationTime('1h');

    crafted.expired = await harness.token(ACTORS.admin, '-1h');
    crafted.otherSecret = await new TokenVerifier('another-secret-entirely-'.repeat(3)).sign(ACTORS.admin);
    // A learner's token with its payload swapped for an admin's: the signature no longer matches
    const [header, , signature] = (await harness.token(ACTORS.ada)).split('.');
    crafted.tampered = `${header}.${base64url({ ...claims, iat: now, exp: now + 3600 })}.${signature}`;
    crafted.algNone = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, iat: now, exp: now + 3600 })}.`;
    crafted.hs512 = await sign(claims, 'HS512').sign(secret);
    crafted.rs256 = await sign(claims, 'RS256').sign((await generateKeyPair('RS256')).privateKey);
    crafted.noSub = await sign({ roles: ['admin'], issuers: [] }).sign(secret);
    crafted.emptySub = await sign({ ...claims, sub: '' }).sign(secret);
    crafted.unknownRole = await sign({ ...claims, roles: ['superuser'] }).sign(secret);
    crafted.rolesNotAList = await sign({ ...claims, roles: 'admin' }).sign(secret);
    crafted.issuersNotAList = await sign({ ...claims, issuers: 'tu-dublin' }).sign(secret);
    crafted.notYetValid = await sign(claims).setNotBefore('1h').sign(secret);
    crafted.control = await sign(claims).sign(secret);
    Object.assign(crafted, await laxTokens(TEST_JWT_SECRET, claims));
  }

  // ---- 400 bad input ----------------------------------------------------------------------------------------------

  const badInput: ErrorCase[] = [
    // shape (class-validator DTOs: whitelist, unknown fields forbidden)
    {
      name: 'POST /issuers without any field',
      path: '/issuers',
      as: 'admin',
      body: {},
      status: 400,
      code: 'validation',
      fields: ['id', 'name', 'url', 'country', 'qualityAssurance'],
      messages: [
        'id is required',
        'name is required',
        'url is required',
        'country is required',
        'qualityAssurance is required',
      ],
    },
    {
      name: 'POST /issuers with wrong types',
      path: '/issuers',
      as: 'admin',
      body: issuerBody({ name: 42, country: 353, framework: ['NFQ'] }),
      status: 400,
      code: 'validation',
      fields: ['name', 'country', 'framework'],
    },
    {
      name: 'POST /issuers with an unknown field',
      path: '/issuers',
      as: 'admin',
      body: issuerBody({ motto: 'Ad astra' }),
      status: 400,
      code: 'validation',
      fields: ['motto'],
    },
    {
      name: 'POST /achievements without its required fields',
      path: '/achievements',
      as: 'tuAdmin',
      body: { issuerId: 'tu-dublin', title: 'Half a definition' },
      status: 400,
      code: 'validation',
      fields: ['kind', 'statement', 'learningOutcomes', 'criteria', 'notionalHours', 'assessmentType', 'participation'],
    },
    {
      // The DTO's nested objects carry no @IsDefined, so the domain reports a missing one, after the DTO passes
      name: 'POST /achievements without a level',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ level: undefined }),
      status: 400,
      code: 'invalid-field',
      fields: ['level'],
    },
    {
      name: 'POST /achievements with wrong types',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ notionalHours: 'fifty', criteria: 'joins', kind: 'talent', learningOutcomes: [1] }),
      status: 400,
      code: 'validation',
      fields: ['notionalHours', 'criteria', 'kind', 'learningOutcomes'],
    },
    {
      name: 'POST /achievements with an unknown nested field',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ criteria: [{ id: 'joins', description: 'Joins', required: true, weight: 2 }] }),
      status: 400,
      code: 'validation',
      fields: ['criteria[0].weight'],
    },
    {
      name: 'POST /achievements/:id/revisions naming an issuer (not part of a revision)',
      path: '/achievements/sql/revisions',
      as: 'tuAdmin',
      body: { issuerId: 'tu-dublin', ...definition() },
      status: 400,
      code: 'validation',
      fields: ['issuerId'],
    },
    {
      name: 'POST evidence with a wrong kind and criterionIds not a list',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ kind: 'rumour', criterionIds: 'joins' }),
      status: 400,
      code: 'validation',
      fields: ['kind', 'criterionIds'],
    },
    {
      name: 'POST evidence without description and observedAt',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: { kind: 'accomplishment', criterionIds: ['joins'] },
      status: 400,
      code: 'validation',
      fields: ['description', 'observedAt'],
    },
    {
      name: 'POST evidence with an unknown field',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ grade: 'A' }),
      status: 400,
      code: 'validation',
      fields: ['grade'],
    },
    {
      name: 'POST assessments with a result whose met is not a boolean',
      path: '/learners/dee/achievements/sql/assessments',
      as: 'tuAssessor',
      body: () => ({ evidenceIds: [evidence.dee], results: [{ criterionId: 'joins', met: 'yes' }] }),
      status: 400,
      code: 'validation',
      fields: ['results[0].met'],
    },
    {
      name: 'POST assessments without evidenceIds',
      path: '/learners/dee/achievements/sql/assessments',
      as: 'tuAssessor',
      body: { results: [{ criterionId: 'joins', met: true }] },
      status: 400,
      code: 'validation',
      fields: ['evidenceIds'],
    },
    {
      name: 'POST /awards/:id/suspend without a reason',
      path: () => `/awards/${awards.bob}/suspend`,
      as: 'tuAdmin',
      body: {},
      status: 400,
      code: 'validation',
      fields: ['reason'],
    },
    {
      name: 'POST /awards/:id/revoke with a reason that is not a string',
      path: () => `/awards/${awards.bob}/revoke`,
      as: 'tuAdmin',
      body: { reason: 42 },
      status: 400,
      code: 'validation',
      fields: ['reason'],
    },
    {
      name: 'POST /awards/:id/reinstate with an unknown field',
      path: () => `/awards/${awards.ada}/reinstate`,
      as: 'tuAdmin',
      body: { note: 'back in good standing' },
      status: 400,
      code: 'validation',
      fields: ['note'],
    },
    {
      name: 'POST prior-learning without any field',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: {},
      status: 400,
      code: 'validation',
      fields: ['achievementId', 'issuer', 'title', 'credits'],
    },
    {
      name: 'POST prior-learning without evidence',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({ evidence: undefined }),
      status: 400,
      code: 'invalid-field',
      fields: ['evidence'],
    },
    {
      name: 'POST prior-learning with a credit value that is not a number',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({ credits: [{ framework: 'CATS', value: '15' }] }),
      status: 400,
      code: 'validation',
      fields: ['credits[0].value'],
    },
    {
      name: 'PUT a learner profile with a bad email and an unknown field',
      method: 'put',
      path: '/learners/ada/profile',
      as: 'registrar',
      body: { name: 'Ada Lovelace', email: 'not-an-email', phone: '+353 1 555 0100' },
      status: 400,
      code: 'validation',
      fields: ['email', 'phone'],
    },
    // domain validation
    {
      name: 'POST /issuers with an unknown country',
      path: '/issuers',
      as: 'admin',
      body: issuerBody({ country: 'ZZ' }),
      status: 400,
      code: 'invalid-country',
      fields: ['country'],
    },
    {
      name: 'POST /issuers with a url that is not http(s)',
      path: '/issuers',
      as: 'admin',
      body: issuerBody({ url: 'ftp://tlu.ee' }),
      status: 400,
      code: 'invalid-url',
      fields: ['url'],
    },
    {
      name: 'POST /issuers with an id that is not a slug',
      path: '/issuers',
      as: 'admin',
      body: issuerBody({ id: 'Tallinn University' }),
      status: 400,
      code: 'validation',
      fields: ['id'],
    },
    {
      name: 'POST /achievements with an id that is not an id',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ id: 'not an id' }),
      status: 400,
      code: 'validation',
      fields: ['id'],
    },
    {
      name: 'POST /achievements with a skill statement not starting "I can"',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ statement: 'Queries a relational database with SQL' }),
      status: 400,
      code: 'statement-mismatch',
      fields: ['statement'],
    },
    {
      name: 'POST /achievements with an invalid ISO 8601 duration',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ validity: 'two years' }),
      status: 400,
      code: 'invalid-duration',
      fields: ['validity'],
    },
    {
      name: 'POST /achievements with no required criterion',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ criteria: [{ id: 'joins', description: 'Joins', required: false }] }),
      status: 400,
      code: 'no-required-criterion',
      fields: ['criteria'],
    },
    {
      name: 'POST /achievements with an EQF level out of range',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ level: { framework: 'EQF', level: 9 } }),
      status: 400,
      code: 'invalid-field',
      fields: ['level.level'],
    },
    {
      name: 'POST evidence with a bad sha256',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ artifact: { url: 'https://portfolio.example.edu/ada', sha256: 'not-a-digest' } }),
      status: 400,
      code: 'invalid-sha256',
      fields: ['artifact.sha256'],
    },
    {
      name: 'POST evidence observed in the future',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ observedAt: '2999-01-01T00:00:00Z' }),
      status: 400,
      code: 'instant-in-future',
      fields: ['observedAt'],
    },
    {
      name: 'POST evidence observed at an instant without a time zone',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ observedAt: '2026-03-01T10:00:00' }),
      status: 400,
      code: 'invalid-instant',
      fields: ['observedAt'],
    },
    {
      name: 'POST evidence naming a criterion twice',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ criterionIds: ['joins', 'joins'] }),
      status: 400,
      code: 'duplicate-entry',
      fields: ['criterionIds'],
    },
    {
      name: 'POST assessments with no evidence and no results',
      path: '/learners/dee/achievements/sql/assessments',
      as: 'tuAssessor',
      body: { evidenceIds: [], results: [] },
      status: 400,
      code: 'invalid-field',
      fields: ['evidenceIds', 'results'],
    },
    {
      name: 'POST /awards/:id/suspend with a blank reason',
      path: () => `/awards/${awards.bob}/suspend`,
      as: 'tuAdmin',
      body: { reason: '   ' },
      status: 400,
      code: 'invalid-field',
      fields: ['reason'],
    },
    {
      name: 'POST prior-learning with no credits',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({ credits: [] }),
      status: 400,
      code: 'invalid-field',
      fields: ['credits'],
    },
    {
      name: 'POST prior-learning with a bad sha256 on its artifact',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({
        evidence: { description: 'Transcript', artifact: { url: 'https://open.ac.uk/t/1', sha256: 'f'.repeat(63) } },
      }),
      status: 400,
      code: 'invalid-sha256',
      fields: ['evidence.artifact.sha256'],
    },
    {
      name: 'POST prior-learning towards an achievement id that is not an id',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({ achievementId: 'sql~2' }),
      status: 400,
      code: 'validation',
      fields: ['achievementId'],
    },
    {
      name: 'POST evidence for a learner id that is not an id',
      path: '/learners/ada~sql/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody(),
      status: 400,
      code: 'invalid-id',
    },
    // transport
    {
      name: 'a malformed JSON body',
      path: '/issuers',
      as: 'admin',
      raw: '{"id": "tallinn-uni", "name": ',
      status: 400,
      // Nest turns body-parser's SyntaxError into a plain BadRequestException before the problem filter sees it
      code: /^(http-400|entity-parse-failed)$/,
    },
    {
      name: 'a JSON array for a body',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      raw: JSON.stringify([evidenceBody()]),
      status: 400,
      code: 'validation',
    },
    {
      name: 'an Idempotency-Key of 300 characters',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      headers: { 'Idempotency-Key': 'k'.repeat(300) },
      body: evidenceBody(),
      status: 400,
      code: 'invalid-idempotency-key',
    },
    {
      name: 'an Idempotency-Key with a space in it',
      path: '/issuers',
      as: 'admin',
      headers: { 'Idempotency-Key': 'two words' },
      body: issuerBody(),
      status: 400,
      code: 'invalid-idempotency-key',
    },
    {
      name: 'GET /achievements?minPosition= that is not a position',
      method: 'get',
      path: '/achievements?minPosition=abc',
      as: 'registrar',
      status: 400,
      code: 'validation',
      fields: ['minPosition'],
    },
    {
      name: 'GET /achievements?minPosition= negative',
      method: 'get',
      path: '/achievements?minPosition=-1',
      as: 'registrar',
      status: 400,
      code: 'validation',
      fields: ['minPosition'],
    },
    {
      name: 'GET /achievements?minPosition= beyond 19 digits',
      method: 'get',
      path: `/achievements?minPosition=${'9'.repeat(20)}`,
      as: 'registrar',
      status: 400,
      code: 'validation',
      fields: ['minPosition'],
    },
    {
      name: 'GET /achievements with an unknown kind and an unknown query parameter',
      method: 'get',
      path: '/achievements?kind=talent&colour=red',
      as: 'registrar',
      status: 400,
      code: 'validation',
      fields: ['kind', 'colour'],
    },
  ];

  describe('400 bad input', () => {
    it.each(badInput)('$status: $name', refuse);

    it('413 (a problem too): a body over the 1 MB limit', async () => {
      await refuse({
        name: 'a body over 1 MB',
        path: '/learners/ada/achievements/sql/evidence',
        as: 'tuAssessor',
        body: evidenceBody({ description: 'x'.repeat(1_100_000) }),
        status: 413,
        code: 'entity-too-large',
      });
    });
  });

  // ---- 401 no or invalid token ------------------------------------------------------------------------------------

  const unauthenticated: ErrorCase[] = [
    { name: 'POST /issuers without a token', path: '/issuers', body: issuerBody() },
    { name: 'GET /achievements without a token', method: 'get', path: '/achievements' },
    { name: 'GET /achievements/:id without a token', method: 'get', path: '/achievements/sql' },
    {
      name: 'POST evidence without a token',
      path: '/learners/ada/achievements/sql/evidence',
      body: evidenceBody(),
    },
    {
      name: 'POST an invalid body without a token (authentication comes first)',
      path: '/achievements',
      body: { title: 42 },
    },
    { name: 'a Basic Authorization header', path: '/issuers', authorization: 'Basic cm9vdDpyb290', body: issuerBody() },
    { name: 'a Bearer header without a token', path: '/issuers', authorization: 'Bearer', body: issuerBody() },
    {
      name: 'a Bearer header with two tokens',
      path: '/issuers',
      authorization: () => `Bearer ${tokens.admin} ${tokens.admin}`,
      body: issuerBody(),
    },
    { name: 'a token that is not a JWT', path: '/issuers', authorization: 'Bearer not-a-jwt', body: issuerBody() },
    {
      name: 'a token signed with another secret',
      path: '/issuers',
      authorization: bearer('otherSecret'),
      body: issuerBody(),
    },
    {
      name: 'a token whose payload was swapped (bad signature)',
      path: '/issuers',
      authorization: bearer('tampered'),
      body: issuerBody(),
    },
    {
      name: 'an expired token',
      path: () => `/awards/${awards.bob}/revoke`,
      authorization: bearer('expired'),
      body: reason,
    },
    { name: 'a token not valid yet (nbf in an hour)', path: '/issuers', authorization: bearer('notYetValid') },
    { name: 'a token with alg "none"', path: '/issuers', authorization: bearer('algNone'), body: issuerBody() },
    {
      name: 'an HS512 token signed with the right secret',
      path: '/issuers',
      authorization: bearer('hs512'),
      body: issuerBody(),
    },
    { name: 'an RS256 token', path: '/issuers', authorization: bearer('rs256'), body: issuerBody() },
    { name: 'a token without sub', path: '/issuers', authorization: bearer('noSub'), body: issuerBody() },
    { name: 'a token with an empty sub', path: '/issuers', authorization: bearer('emptySub'), body: issuerBody() },
    {
      name: 'a token with a role not in the list',
      path: '/issuers',
      authorization: bearer('unknownRole'),
      body: issuerBody(),
    },
    {
      name: 'a token whose roles are not a list',
      path: '/issuers',
      authorization: bearer('rolesNotAList'),
      body: issuerBody(),
    },
    {
      name: 'a token whose issuers are not a list',
      path: '/learners/ada/achievements/sql/award',
      authorization: bearer('issuersNotAList'),
    },
    ...LAX_TOKEN_KINDS.map((kind) => ({
      name: `a token with ${kind}`,
      path: '/issuers',
      authorization: bearer(kind),
      body: issuerBody(),
    })),
    { name: 'POST award without a token', path: '/learners/dee/achievements/sql/award' },
    { name: 'POST suspend without a token', path: () => `/awards/${awards.bob}/suspend`, body: reason },
    { name: 'POST reinstate without a token', path: () => `/awards/${awards.ada}/reinstate`, body: {} },
    { name: 'POST prior-learning without a token', path: '/learners/ada/prior-learning', body: priorBody() },
    {
      name: 'PUT a learner profile without a token',
      method: 'put',
      path: '/learners/ada/profile',
      body: { name: 'Ada', email: 'ada@example.edu' },
    },
    { name: 'GET a learner profile without a token', method: 'get', path: '/learners/ada/profile' },
  ].map((c) => ({ ...c, method: c.method as Method | undefined, status: 401, code: 'unauthenticated' }));

  describe('401 no or invalid token', () => {
    it('accepts the same claims, HS256-signed with the secret (the control for the hand-made tokens)', async () => {
      await api.http().get('/achievements').set('Authorization', `Bearer ${crafted.control}`).expect(200);
    });

    it.each(unauthenticated)('$status: $name', refuse);
  });

  // ---- 403 forbidden ----------------------------------------------------------------------------------------------

  const forbidden: ErrorCase[] = [
    // the role does not allow it
    {
      name: 'a registrar registering an issuer',
      path: '/issuers',
      as: 'registrar',
      body: issuerBody(),
      code: 'role-not-allowed',
    },
    {
      name: 'an issuer-admin registering an issuer',
      path: '/issuers',
      as: 'tuAdmin',
      body: issuerBody(),
      code: 'role-not-allowed',
    },
    {
      name: 'an assessor defining an achievement',
      path: '/achievements',
      as: 'tuAssessor',
      body: achievementBody(),
      code: 'role-not-allowed',
    },
    {
      name: 'an assessor retiring an achievement',
      path: '/achievements/sql/retire',
      as: 'tuAssessor',
      body: {},
      code: 'role-not-allowed',
    },
    {
      name: 'a learner posting evidence',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'ada',
      body: evidenceBody(),
      code: 'role-not-allowed',
    },
    {
      name: 'an issuer-admin recording an assessment',
      path: '/learners/dee/achievements/sql/assessments',
      as: 'tuAdmin',
      body: () => ({ evidenceIds: [evidence.dee], results: [{ criterionId: 'joins', met: true }] }),
      code: 'role-not-allowed',
    },
    {
      name: 'an auditor awarding',
      path: '/learners/dee/achievements/sql/award',
      as: 'auditor',
      code: 'role-not-allowed',
    },
    {
      name: 'an assessor suspending an award',
      path: () => `/awards/${awards.bob}/suspend`,
      as: 'tuAssessor',
      body: reason,
      code: 'role-not-allowed',
    },
    {
      name: 'a registrar revoking an award',
      path: () => `/awards/${awards.bob}/revoke`,
      as: 'registrar',
      body: reason,
      code: 'role-not-allowed',
    },
    {
      name: 'a learner recognising prior learning',
      path: '/learners/ada/prior-learning',
      as: 'ada',
      body: priorBody(),
      code: 'role-not-allowed',
    },
    {
      name: 'an assessor reading a learner profile',
      method: 'get',
      path: '/learners/ada/profile',
      as: 'tuAssessor',
      code: 'role-not-allowed',
    },
    // the scope (issuers) does not allow it
    {
      name: "issuer-admin of B defining an achievement for issuer A's",
      path: '/achievements',
      as: 'portoAdmin',
      body: achievementBody(),
      code: 'not-your-issuer',
    },
    {
      name: "issuer-admin of B revising A's achievement",
      path: '/achievements/sql/revisions',
      as: 'portoAdmin',
      body: definition(),
      code: 'not-your-issuer',
    },
    {
      name: "issuer-admin of B retiring A's achievement",
      path: '/achievements/sql/retire',
      as: 'portoAdmin',
      body: {},
      code: 'not-your-issuer',
    },
    {
      name: "assessor of B submitting evidence on A's achievement",
      path: '/learners/ada/achievements/sql/evidence',
      as: 'portoAssessor',
      body: evidenceBody(),
      code: 'not-your-issuer',
    },
    {
      name: "assessor of B assessing on A's achievement",
      path: '/learners/dee/achievements/sql/assessments',
      as: 'portoAssessor',
      body: () => ({
        evidenceIds: [evidence.dee],
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met: true },
        ],
      }),
      code: 'not-your-issuer',
    },
    {
      name: "assessor of B awarding A's achievement",
      path: '/learners/dee/achievements/sql/award',
      as: 'portoAssessor',
      code: 'not-your-issuer',
    },
    {
      name: "issuer-admin of B suspending A's award",
      path: () => `/awards/${awards.bob}/suspend`,
      as: 'portoAdmin',
      body: reason,
      code: 'not-your-issuer',
    },
    {
      name: "issuer-admin of B reinstating A's award",
      path: () => `/awards/${awards.ada}/reinstate`,
      as: 'portoAdmin',
      body: {},
      code: 'not-your-issuer',
    },
    {
      name: "issuer-admin of B revoking A's award",
      path: () => `/awards/${awards.bob}/revoke`,
      as: 'portoAdmin',
      body: reason,
      code: 'not-your-issuer',
    },
    {
      name: "registrar of B recognising prior learning towards A's achievement",
      path: '/learners/ada/prior-learning',
      as: 'portoRegistrar',
      body: priorBody(),
      code: 'not-your-issuer',
    },
    // a learner reaches only their own profile
    {
      name: "a learner reading another learner's profile",
      method: 'get',
      path: '/learners/ada/profile',
      as: 'bob',
      code: 'not-your-learner',
    },
    {
      name: "a learner writing another learner's profile",
      method: 'put',
      path: '/learners/ada/profile',
      as: 'bob',
      body: { name: 'Not Ada', email: 'bob@example.edu' },
      code: 'not-your-learner',
    },
    {
      name: "a learner erasing another learner's profile",
      method: 'delete',
      path: '/learners/ada/profile',
      as: 'bob',
      code: 'not-your-learner',
    },
    {
      name: 'a learner token without a learner claim reading a profile',
      method: 'get',
      path: '/learners/ada/profile',
      as: 'anonymousLearner',
      code: 'not-your-learner',
    },
    // tenancy: a registrar keeps only the profiles of learners their issuer holds or registered (ada: tu-dublin's)
    ...(['get', 'put', 'delete'] as const).map((method) => ({
      name: `a registrar of another issuer: ${method.toUpperCase()} a profile only tu-dublin knows`,
      method,
      path: '/learners/ada/profile',
      as: 'portoRegistrar',
      ...(method === 'put' ? { body: { name: 'Not Ada', email: 'ada@porto.example' } } : {}),
      code: 'not-your-learner',
    })),
    {
      name: 'a registrar searching the awards of an issuer outside their token',
      method: 'get',
      path: '/transcripts?issuerId=tu-dublin',
      as: 'portoRegistrar',
      code: 'not-your-issuer',
    },
  ].map((c) => ({ ...c, method: c.method as Method | undefined, as: c.as as ActorName, status: 403 }));

  describe('403 forbidden', () => {
    it.each(forbidden)('$status: $name', refuse);
  });

  // ---- 404 unknown ------------------------------------------------------------------------------------------------

  const unknown: ErrorCase[] = [
    {
      name: 'evidence for an unknown achievement',
      path: '/learners/ada/achievements/no-such-thing/evidence',
      as: 'tuAssessor',
      body: evidenceBody(),
      code: 'unknown-achievement',
    },
    {
      name: 'an assessment on an unknown achievement',
      path: '/learners/ada/achievements/no-such-thing/assessments',
      as: 'tuAssessor',
      body: { evidenceIds: ['e1'], results: [{ criterionId: 'joins', met: true }] },
      code: 'unknown-achievement',
    },
    {
      name: 'awarding an unknown achievement',
      path: '/learners/ada/achievements/no-such-thing/award',
      as: 'tuAssessor',
      code: 'unknown-achievement',
    },
    {
      name: 'prior learning towards an unknown achievement',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({ achievementId: 'no-such-thing' }),
      code: 'unknown-achievement',
    },
    {
      name: 'revising an unknown achievement',
      path: '/achievements/no-such-thing/revisions',
      as: 'tuAdmin',
      body: definition(),
      code: 'unknown-achievement',
    },
    {
      name: 'retiring an unknown achievement',
      path: '/achievements/no-such-thing/retire',
      as: 'tuAdmin',
      body: {},
      code: 'unknown-achievement',
    },
    {
      name: 'defining an achievement for an unregistered issuer',
      path: '/achievements',
      as: 'ghostAdmin',
      body: achievementBody({ issuerId: 'nowhere' }),
      code: 'unknown-issuer',
    },
    {
      name: 'suspending an unknown award',
      path: '/awards/00000000-0000-4000-8000-000000000000/suspend',
      as: 'tuAdmin',
      body: reason,
      code: 'unknown-award',
    },
    {
      name: 'reinstating an unknown award',
      path: '/awards/00000000-0000-4000-8000-000000000000/reinstate',
      as: 'tuAdmin',
      body: {},
      code: 'unknown-award',
    },
    {
      name: 'revoking an unknown award',
      path: '/awards/not-even-a-uuid/revoke',
      as: 'tuAdmin',
      body: reason,
      code: 'unknown-award',
    },
    {
      name: 'GET an unknown achievement',
      method: 'get',
      path: '/achievements/no-such-thing',
      as: 'registrar',
      code: 'unknown-achievement',
    },
    { name: 'GET an unknown issuer', method: 'get', path: '/issuers/no-such-issuer', code: 'unknown-issuer' },
    {
      name: 'GET a learner profile never given',
      method: 'get',
      path: '/learners/bob/profile',
      as: 'bob',
      code: 'unknown-profile',
    },
    {
      name: 'erasing a learner profile never given',
      method: 'delete',
      path: '/learners/bob/profile',
      as: 'bob',
      code: 'unknown-profile',
    },
    {
      name: "a registrar's transcript of a learner their issuer holds nothing of",
      method: 'get',
      path: '/learners/ada/transcript',
      as: 'portoRegistrar',
      code: 'unknown-learner',
    },
    { name: 'GET an unknown route', method: 'get', path: '/no-such-route', as: 'admin', code: 'http-404' },
    { name: 'POST to an unknown route', path: '/issuers/tu-dublin/merge', as: 'admin', body: {}, code: 'http-404' },
  ].map((c) => ({ ...c, method: c.method as Method | undefined, as: c.as as ActorName | undefined, status: 404 }));

  describe('404 unknown', () => {
    it.each(unknown)('$status: $name', refuse);
  });

  // ---- 409 conflict -----------------------------------------------------------------------------------------------

  const conflicts: ErrorCase[] = [
    {
      name: 'registering the same issuer twice',
      path: '/issuers',
      as: 'admin',
      body: issuerBody({ id: 'tu-dublin' }),
      code: 'issuer-already-registered',
    },
    {
      name: 'defining the same achievement id twice',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ id: 'sql' }),
      code: 'achievement-already-defined',
    },
    {
      name: 'retiring twice',
      path: '/achievements/old-skill/retire',
      as: 'tuAdmin',
      body: {},
      code: 'already-retired',
    },
    {
      name: 'awarding twice (an award stands)',
      path: '/learners/bob/achievements/sql/award',
      as: 'tuAssessor',
      code: 'already-awarded',
    },
    {
      name: 'awarding while the award is suspended',
      path: '/learners/ada/achievements/sql/award',
      as: 'tuAdmin',
      code: 'already-awarded',
    },
    {
      name: 'suspending twice',
      path: () => `/awards/${awards.ada}/suspend`,
      as: 'tuAdmin',
      body: reason,
      code: 'award-not-active',
    },
    {
      name: 'suspending a revoked award',
      path: () => `/awards/${awards.cy}/suspend`,
      as: 'tuAdmin',
      body: reason,
      code: 'award-not-active',
    },
    {
      name: 'reinstating a valid award',
      path: () => `/awards/${awards.bob}/reinstate`,
      as: 'tuAdmin',
      body: {},
      code: 'award-not-suspended',
    },
    {
      name: 'revoking twice',
      path: () => `/awards/${awards.cy}/revoke`,
      as: 'tuAdmin',
      body: reason,
      code: 'award-already-revoked',
    },
  ].map((c) => ({ ...c, as: c.as as ActorName, status: 409 }));

  describe('409 conflict', () => {
    it.each(conflicts)('$status: $name', refuse);
  });

  // ---- 422 refused by a domain rule -------------------------------------------------------------------------------

  const refusals: ErrorCase[] = [
    {
      name: 'awarding without any assessment',
      path: '/learners/eve/achievements/sql/award',
      as: 'tuAssessor',
      code: 'no-passing-assessment',
    },
    {
      name: 'awarding on a not-yet assessment',
      path: '/learners/dee/achievements/sql/award',
      as: 'tuAdmin',
      code: 'no-passing-assessment',
    },
    {
      name: 'awarding again on the assessment that backs a revoked award',
      path: '/learners/cy/achievements/sql/award',
      as: 'tuAssessor',
      code: 'no-passing-assessment',
    },
    {
      name: 'evidence naming an unknown criterion',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ criterionIds: ['joins', 'telepathy'] }),
      code: 'unknown-criterion',
    },
    {
      name: 'evidence against a version that does not exist',
      path: '/learners/ada/achievements/sql/evidence',
      as: 'tuAssessor',
      body: evidenceBody({ version: 9 }),
      code: 'unknown-version',
    },
    {
      name: 'an assessment naming unknown evidence',
      path: '/learners/dee/achievements/sql/assessments',
      as: 'tuAssessor',
      body: {
        evidenceIds: ['00000000-0000-4000-8000-000000000000'],
        results: [{ criterionId: 'joins', met: true }],
      },
      code: 'unknown-evidence',
    },
    {
      name: 'an assessment naming an unknown criterion',
      path: '/learners/eve/achievements/sql/assessments',
      as: 'tuAssessor',
      body: () => ({ evidenceIds: [evidence.eve], results: [{ criterionId: 'telepathy', met: true }] }),
      code: 'unknown-criterion',
    },
    {
      name: 'evidence on a retired achievement',
      path: '/learners/ada/achievements/old-skill/evidence',
      as: 'tuAssessor',
      body: evidenceBody(),
      code: 'achievement-retired',
    },
    {
      name: 'prior learning towards a retired achievement',
      path: '/learners/ada/prior-learning',
      as: 'registrar',
      body: priorBody({ achievementId: 'old-skill' }),
      code: 'achievement-retired',
    },
    {
      name: 'revising a retired achievement',
      path: '/achievements/old-skill/revisions',
      as: 'tuAdmin',
      body: definition(),
      code: 'achievement-retired',
    },
    {
      name: 'defining an achievement with an unknown prerequisite',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ prerequisites: ['no-such-thing'] }),
      code: 'unknown-prerequisite',
    },
    {
      name: 'defining an achievement with a retired prerequisite',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ prerequisites: ['old-skill'] }),
      code: 'prerequisite-retired',
    },
    {
      name: 'defining an achievement with several refused prerequisites: each is named',
      path: '/achievements',
      as: 'tuAdmin',
      body: achievementBody({ prerequisites: ['no-such-thing', 'old-skill'] }),
      code: 'unknown-prerequisite',
      fields: ['prerequisites[0]', 'prerequisites[1]'],
    },
    {
      name: 'the same Idempotency-Key reused with a different body',
      path: '/learners/gus/achievements/sql/evidence',
      as: 'tuAssessor',
      headers: { 'Idempotency-Key': 'gus-evidence-1' },
      body: evidenceBody({ description: 'Something else entirely' }),
      code: 'idempotency-key-reused',
    },
    {
      name: 'the same Idempotency-Key reused on another route',
      path: '/learners/gus/achievements/sql/assessments',
      as: 'tuAssessor',
      headers: { 'Idempotency-Key': 'gus-evidence-1' },
      body: () => ({ evidenceIds: [evidence.eve], results: [{ criterionId: 'joins', met: true }] }),
      code: 'idempotency-key-reused',
    },
  ].map((c) => ({ ...c, as: c.as as ActorName, status: 422 }));

  describe('422 refused by a domain rule', () => {
    it.each(refusals)('$status: $name', refuse);
  });

  it('has left the ledger as set-up wrote it: only the set-up events', async () => {
    const types = (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).map((event) => event.type);
    expect(types.filter((type) => type === 'IssuerRegistered')).toHaveLength(2);
    expect(types.filter((type) => type === 'AchievementDefined')).toHaveLength(3);
    expect(types.filter((type) => type === 'AchievementRevised')).toHaveLength(0);
    expect(types.filter((type) => type === 'AchievementAwarded')).toHaveLength(3);
    expect(types.filter((type) => type === 'AwardSuspended')).toHaveLength(1);
    expect(types.filter((type) => type === 'AwardReinstated')).toHaveLength(0);
    expect(types.filter((type) => type === 'AwardRevoked')).toHaveLength(1);
    expect(types.filter((type) => type === 'PriorLearningRecognised')).toHaveLength(0);
    expect(types.filter((type) => type === 'LearnerProfileErased')).toHaveLength(0);
  });
});

/** The RFC 9457 shape every error shares. */
function expectProblem(response: Response, status: number, code: string | RegExp): void {
  const context = `${response.status} ${JSON.stringify(response.body).slice(0, 500)}`;
  expect({ status: response.status, context }).toEqual({ status, context });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toEqual(
    expect.objectContaining({
      type:
        typeof code === 'string'
          ? `urn:tessera:problem:${code}`
          : expect.stringMatching(new RegExp(`^urn:tessera:problem:${code.source.replace(/^\^/, '')}`)),
      title: expect.stringMatching(/\S/),
      status,
      detail: expect.stringMatching(/\S/),
    }),
  );
  if (response.body.errors !== undefined) {
    expect(Array.isArray(response.body.errors)).toBe(true);
    for (const error of response.body.errors)
      expect(error).toEqual(
        expect.objectContaining({ field: expect.any(String), message: expect.stringMatching(/\S/) }),
      );
  }
}

/** The fields `errors[]` names: as the body spells them (`criteria[0].weight`), whether DTO or domain found them. */
function namedFields(response: Response): string[] {
  const errors: Array<{ field?: string }> = response.body.errors ?? [];
  return errors.map((error) => error.field ?? '');
}

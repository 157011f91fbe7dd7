import { generateKeyPair, SignJWT } from 'jose';
import type { Actor, Role } from '../../apps/api/src/auth/actor';
import { ROLES } from '../../apps/api/src/auth/actor';
import { TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import {
  awardThroughApi,
  definition,
  issuer,
  startApi,
  TEST_JWT_SECRET,
  type ApiHarness,
} from '../support/api-harness';
import { recordFigures, StatusTally } from './support/results';
import { laxTokens } from '../support/lax-tokens';
import {
  fillPath,
  ISSUER,
  LEARNER,
  type Operation,
  operationsOf,
  OTHER_ISSUER,
  OTHER_LEARNER,
  type PathIds,
  seedWorld,
  WORLD_ENV,
} from './support/world';

/**
 * Who may call what, as DESIGN.md §6 and docs/http-api.md state it (not as the code says: the code is under test).
 * `issuerScoped`: roles that must hold the resource's issuer in their token's `issuers`.
 * `learnerSelf`: a learner token reaches the route for its own learner id.
 * `tenant`: the route is about one learner's records, which staff reach only where their issuers hold some (issue 13):
 * `records` answers 404 `unknown-learner` to staff of an issuer that holds nothing of the learner, `profile` 403.
 */
interface Access {
  readonly anyone?: true;
  /**
   * The route takes credentials other than a Tessera bearer token, never a Tessera token: an OAuth access token of the
   * OB 3.0 API (test/ob3-api.e2e-spec.ts, refused in its Imsx_StatusInfo form) or an xAPI client's HTTP Basic
   * credentials (test/xapi.e2e-spec.ts). Every caller here is refused 401.
   */
  readonly foreignCredentials?: 'oauth' | 'xapi-basic';
  readonly anyToken?: true;
  readonly roles?: readonly Role[];
  readonly issuerScoped?: readonly Role[];
  readonly learnerSelf?: true;
  readonly tenant?: 'records' | 'profile';
}
interface Row extends Access {
  readonly body?: (ids: PathIds) => object;
  /** A query string the route needs to get past validation. */
  readonly query?: (ids: PathIds) => string;
}

const issuerAdminOfTheIssuer: Access = { roles: ['issuer-admin'], issuerScoped: ['issuer-admin'] };
const reason = () => ({ reason: 'Access matrix' });
const pathwayDefinition = (ids: PathIds) => ({
  title: 'Certificate of SQL, again',
  award: {
    title: 'Certificate of SQL',
    type: 'Certificate',
    level: { framework: 'EQF', level: 6 },
    credits: [{ framework: 'ECTS', value: 2 }],
  },
  rule: { achievement: ids.achievementId },
  conferral: 'registrar',
});

/** One row per operation, in the order they are tried: reads, then creations, then what changes or ends state. */
const TABLE: Record<string, Row> = {
  'GET /health': { anyone: true },
  'GET /issuers/{issuerId}': { anyone: true },
  'GET /issuers/{issuerId}/recognitions': { anyone: true },
  'GET /.well-known/jwks.json': { anyone: true },
  'GET /awards/{awardId}/credential': { anyone: true },
  'GET /qualifications/{qualificationId}/credential': { anyone: true },
  'GET /status-lists/{issuerId}/{listId}': { anyone: true },
  'GET /schemas/pathway-rule.json': { anyone: true },
  'POST /credentials/verify': {
    anyone: true,
    body: () => ({
      jwt: `${Buffer.from('{"alg":"ES256","kid":"https://elsewhere.example/keys#1"}').toString('base64url')}.e30.c2ln`,
    }),
  },
  'GET /achievements': { anyToken: true },
  'GET /achievements/{achievementId}': { anyToken: true },
  'GET /pathways': { anyToken: true },
  'GET /pathways/{pathwayId}': { anyToken: true },
  'GET /frameworks': { anyToken: true },
  'GET /frameworks/convert': { anyToken: true, query: () => 'from=CATS&to=ECTS&value=15' },
  'GET /pathways/{pathwayId}/revisions/{version}/impact': {
    roles: ['issuer-admin', 'registrar'],
    issuerScoped: ['issuer-admin', 'registrar'],
  },
  'GET /learners/{learnerId}/pathways/{pathwayId}/progress': {
    roles: ['registrar', 'auditor'],
    issuerScoped: ['registrar', 'auditor'],
    learnerSelf: true,
    tenant: 'records',
  },
  'GET /learners/{learnerId}/transcript': { roles: ['registrar', 'auditor'], learnerSelf: true, tenant: 'records' },
  'GET /learners/{learnerId}/clr': {
    roles: ['registrar'],
    issuerScoped: ['registrar'],
    learnerSelf: true,
    tenant: 'records',
    query: (ids) => `issuer=${ids.issuerId}`,
  },
  'GET /learners/{learnerId}/profile': { roles: ['registrar'], learnerSelf: true, tenant: 'profile' },
  'GET /transcripts': { roles: ['registrar'] },
  'GET /learners/{learnerId}/records': { roles: ['registrar', 'auditor'], learnerSelf: true, tenant: 'records' },
  'GET /learners/{learnerId}/history': { roles: ['auditor'], tenant: 'records' },
  'GET /audit/events': { roles: ['auditor'] },
  'GET /audit/verify': { roles: ['auditor'] },
  'GET /audit/verify/progress': { roles: ['auditor'] },
  'GET /analytics/achievements/{achievementId}': {
    roles: ['issuer-admin', 'registrar', 'auditor'],
    issuerScoped: ['issuer-admin', 'registrar', 'auditor'],
  },
  'GET /analytics/issuers/{issuerId}': {
    roles: ['issuer-admin', 'registrar', 'auditor'],
    issuerScoped: ['issuer-admin', 'registrar', 'auditor'],
  },
  'GET /analytics/issuers/{issuerId}/charts': {
    roles: ['issuer-admin', 'registrar'],
    issuerScoped: ['issuer-admin', 'registrar'],
  },
  'POST /issuers': {
    roles: ['admin'],
    body: () => issuer({ id: 'matrix-uni', name: 'Matrix University', url: 'https://matrix.example.edu' }),
  },
  'POST /achievements': {
    ...issuerAdminOfTheIssuer,
    body: (ids) => ({ id: 'matrix-skill', issuerId: ids.issuerId, ...definition() }),
  },
  'POST /achievements/{achievementId}/revisions': { ...issuerAdminOfTheIssuer, body: () => definition() },
  'POST /pathways': {
    ...issuerAdminOfTheIssuer,
    body: (ids) => ({ id: 'matrix-pathway', issuerId: ids.issuerId, ...pathwayDefinition(ids) }),
  },
  'POST /pathways/{pathwayId}/revisions': { ...issuerAdminOfTheIssuer, body: pathwayDefinition },
  'POST /learners/{learnerId}/achievements/{achievementId}/evidence': {
    roles: ['assessor'],
    issuerScoped: ['assessor'],
    body: () => ({
      kind: 'accomplishment',
      criterionIds: ['joins'],
      description: 'Access matrix',
      observedAt: '2026-03-01T10:00:00Z',
    }),
  },
  'POST /learners/{learnerId}/achievements/{achievementId}/assessments': {
    roles: ['assessor'],
    issuerScoped: ['assessor'],
    body: () => ({ evidenceIds: ['no-such-evidence'], results: [{ criterionId: 'joins', met: true }] }),
  },
  'POST /learners/{learnerId}/achievements/{achievementId}/award': {
    roles: ['issuer-admin', 'assessor'],
    issuerScoped: ['issuer-admin', 'assessor'],
  },
  // docs/http-api.md said "registrar"; the api scopes it to the achievement's issuer, like conferral, and the docs now say so
  'POST /learners/{learnerId}/prior-learning': {
    roles: ['registrar'],
    issuerScoped: ['registrar'],
    body: (ids) => ({
      achievementId: ids.achievementId,
      issuer: 'Open University',
      title: 'Databases (M269)',
      credits: [{ framework: 'CATS', value: 15 }],
      evidence: { description: 'Transcript checked by the registry' },
    }),
  },
  'POST /learners/{learnerId}/pathways/{pathwayId}/confer': { roles: ['registrar'], issuerScoped: ['registrar'] },
  'PUT /learners/{learnerId}/profile': {
    roles: ['registrar'],
    learnerSelf: true,
    tenant: 'profile',
    body: () => ({ name: 'Ada Lovelace', email: 'ada@example.edu' }),
  },
  'POST /awards/{awardId}/suspend': { ...issuerAdminOfTheIssuer, body: reason },
  'POST /awards/{awardId}/reinstate': { ...issuerAdminOfTheIssuer, body: reason },
  'POST /awards/{awardId}/revoke': { ...issuerAdminOfTheIssuer, body: reason },
  'POST /achievements/{achievementId}/retire': { ...issuerAdminOfTheIssuer, body: reason },
  'POST /pathways/{pathwayId}/retire': { ...issuerAdminOfTheIssuer, body: reason },
  'DELETE /learners/{learnerId}/profile': { roles: ['registrar'], learnerSelf: true, tenant: 'profile' },
  'POST /issuers/{issuerId}/keys/rotate': { roles: ['admin', 'issuer-admin'], issuerScoped: ['issuer-admin'] },
  'POST /issuers/{issuerId}/keys/{keyId}/compromise': {
    roles: ['admin', 'issuer-admin'],
    issuerScoped: ['issuer-admin'],
    body: () => ({ since: '2026-01-01T00:00:00Z' }),
  },
  'POST /issuers/{issuerId}/recognitions': {
    ...issuerAdminOfTheIssuer,
    body: () => ({ recognisedIssuerId: OTHER_ISSUER, achievementIds: 'all', from: '2026-01-01T00:00:00Z' }),
  },
  'POST /issuers/{issuerId}/recognitions/{recognitionId}/withdraw': { ...issuerAdminOfTheIssuer, body: () => ({}) },
  // The OB 3.0 / CLR 2.0 API: OAuth's own endpoints are open (their errors are OAuth's), its resources take OAuth tokens
  'GET /ims/ob/v3p0/discovery': { anyone: true },
  'GET /ims/clr/v2p0/discovery': { anyone: true },
  'POST /ims/ob/v3p0/oauth/register': {
    anyone: true,
    body: () => ({ client_name: 'Matrix Wallet', redirect_uris: ['https://wallet.example.org/callback'] }),
  },
  'GET /ims/ob/v3p0/oauth/authorize': { anyone: true },
  'POST /ims/ob/v3p0/oauth/authorize': { anyone: true },
  'POST /ims/ob/v3p0/oauth/token': { anyone: true },
  'POST /ims/ob/v3p0/oauth/institution-clients': {
    ...issuerAdminOfTheIssuer,
    body: (ids) => ({ issuerId: ids.issuerId, clientName: 'Matrix student information system' }),
  },
  'GET /ims/ob/v3p0/credentials': { foreignCredentials: 'oauth' },
  'POST /ims/ob/v3p0/credentials': { foreignCredentials: 'oauth', body: () => ({}) },
  'GET /ims/ob/v3p0/profile': { foreignCredentials: 'oauth' },
  'PUT /ims/ob/v3p0/profile': { foreignCredentials: 'oauth', body: () => ({ name: 'Ada Lovelace' }) },
  'GET /ims/clr/v2p0/credentials': { foreignCredentials: 'oauth' },
  // VC-API: issuing signs an award the ledger holds, for that award's issuer only; verifying is open
  'POST /credentials/issue': {
    ...issuerAdminOfTheIssuer,
    body: (ids) => ({ credential: { id: `http://localhost:3000/awards/${ids.awardId}/credential` } }),
  },
  'POST /presentations/verify': { anyone: true, body: () => ({ verifiablePresentation: {} }) },
  'POST /issuers/{issuerId}/xapi-clients': { ...issuerAdminOfTheIssuer, body: () => ({ name: 'Matrix LMS' }) },
  // No client of that id: routes naming one answer 404 to whoever may call them.
  'POST /issuers/{issuerId}/xapi-clients/{clientId}/revoke': { ...issuerAdminOfTheIssuer, body: () => ({}) },
  'GET /issuers/{issuerId}/xapi-statements/unmatched': issuerAdminOfTheIssuer,
  'GET /achievements/{achievementId}/xapi-mapping': issuerAdminOfTheIssuer,
  'PUT /achievements/{achievementId}/xapi-mapping': {
    ...issuerAdminOfTheIssuer,
    body: () => ({
      rules: [
        {
          criterionId: 'joins',
          verb: 'http://adlnet.gov/expapi/verbs/completed',
          activityId: 'https://lms.example/q/1',
        },
      ],
    }),
  },
  'GET /xapi/about': { anyone: true },
  'POST /xapi/statements': { foreignCredentials: 'xapi-basic' },
  'PUT /xapi/statements': {
    foreignCredentials: 'xapi-basic',
    query: () => 'statementId=0b5e9e1c-7d3a-4c55-9a52-1f1f0c0c0c0c',
  },
  'GET /xapi/statements': {
    foreignCredentials: 'xapi-basic',
    query: () => 'statementId=0b5e9e1c-7d3a-4c55-9a52-1f1f0c0c0c0c',
  },
};

interface Caller {
  readonly name: string;
  readonly actor?: Actor;
}

/** No token; each role for the seeded issuer and for another; a learner token for ada (own) and for bob (other). */
const CALLERS: Caller[] = [
  { name: 'no token' },
  ...ROLES.filter((role) => role !== 'learner').flatMap((role) =>
    [ISSUER, OTHER_ISSUER].map((issuer) => ({
      name: `${role} of ${issuer === ISSUER ? 'own' : 'other'} issuer`,
      actor: { sub: `matrix-${role}-${issuer}`, roles: [role], issuers: [issuer] },
    })),
  ),
  ...[LEARNER, OTHER_LEARNER].map((learner) => ({
    name: `learner ${learner === LEARNER ? 'own' : 'other'}`,
    actor: { sub: `matrix-learner-${learner}`, roles: ['learner' as Role], issuers: [], learner },
  })),
];

/** A learner whose records only the seeded issuer holds: the tenant dimension's subject. */
const OWN_ONLY_LEARNER = 'cy';

/** The learners a tenant row is tried for: ada (records at both issuers), cy (records at the seeded issuer only). */
interface Subject {
  readonly name: string;
  readonly learnerId: string;
  readonly heldByOtherIssuer: boolean;
}
const SUBJECTS: readonly Subject[] = [
  { name: `${LEARNER} (records at both issuers)`, learnerId: LEARNER, heldByOtherIssuer: true },
  {
    name: `${OWN_ONLY_LEARNER} (records at the own issuer only)`,
    learnerId: OWN_ONLY_LEARNER,
    heldByOtherIssuer: false,
  },
];

function allowed(row: Access, caller: Caller, learnerId = LEARNER): boolean {
  if (row.anyone) return true;
  if (row.foreignCredentials) return false;
  const actor = caller.actor;
  if (!actor) return false;
  if (row.anyToken) return true;
  const [role] = actor.roles;
  if (row.roles?.includes(role) && (!row.issuerScoped?.includes(role) || actor.issuers.includes(ISSUER))) return true;
  return Boolean(row.learnerSelf && role === 'learner' && actor.learner === learnerId);
}

/** What the design answers a caller on a row for a subject: allowed, 401, 403, or 404 `unknown-learner`. */
function expectation(row: Access, caller: Caller, subject: Subject): string {
  if (!allowed(row, caller, subject.learnerId)) return caller.actor && !row.foreignCredentials ? '403' : '401';
  const staffElsewhere = caller.actor?.roles[0] !== 'learner' && !caller.actor?.issuers.includes(ISSUER);
  if (row.tenant && staffElsewhere && !subject.heldByOtherIssuer)
    return row.tenant === 'records' ? '404 unknown-learner' : '403';
  return 'allowed';
}

describe('access: every route × every role × own / other issuer and learner × a learner held by both / one issuer', () => {
  let api: ApiHarness;
  let ids: PathIds;
  let operations: Operation[];
  const tokens = new Map<string, string>();

  const send = (operation: Operation, authorization?: string, row?: Row, override: PathIds = {}) => {
    const path = `${fillPath(operation.path, { ...ids, ...override })}${row?.query ? `?${row.query(ids)}` : ''}`;
    let request = api.http()[operation.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](path);
    if (authorization) request = request.set('Authorization', authorization);
    return row?.body ? request.send(row.body(ids)) : request;
  };

  beforeAll(async () => {
    api = await startApi(WORLD_ENV);
    ids = (await seedWorld(api)).own;
    // cy: an award and a profile at the seeded issuer only, none at the other
    const seeder: Actor = { sub: 'matrix-seed', roles: ['issuer-admin', 'assessor', 'registrar'], issuers: [ISSUER] };
    const seederToken = await api.token(seeder);
    await awardThroughApi(api, seederToken, OWN_ONLY_LEARNER, ids.achievementId);
    await api
      .http()
      .put(`/learners/${OWN_ONLY_LEARNER}/profile`)
      .set('Authorization', `Bearer ${seederToken}`)
      .send({ name: 'Cy Example', email: 'cy@example.edu' })
      .expect(200);
    ({ operations } = await operationsOf(api));
    for (const caller of CALLERS) if (caller.actor) tokens.set(caller.name, await api.token(caller.actor));
  });
  afterAll(() => api?.close());

  it('has a row for every operation the api serves', () => {
    const missing = operations.map((operation) => `${operation.method} ${operation.path}`).filter((key) => !TABLE[key]);
    expect(missing).toEqual([]);
  });

  it('lets exactly the cells the design allows through, and answers every other with 401, 403 or 404 unknown-learner', async () => {
    const served = new Map(operations.map((operation) => [`${operation.method} ${operation.path}`, operation]));
    const wrong: string[] = [];
    const tally = new StatusTally();
    const cells = { allowed: 0, denied: 0, unknownLearner: 0, tenant: 0 };
    /** Allowed cells whose request the api found malformed: the access decision was made, the body was then refused. */
    const allowedButInvalid = new Set<string>();
    for (const [key, row] of Object.entries(TABLE)) {
      const operation = served.get(key);
      if (!operation) continue; // a route the design names that this build does not serve yet
      for (const subject of row.tenant ? SUBJECTS : SUBJECTS.slice(0, 1))
        for (const caller of CALLERS) {
          const token = tokens.get(caller.name);
          const response = await send(operation, token && `Bearer ${token}`, row, { learnerId: subject.learnerId });
          tally.add(response.status);
          const expected = expectation(row, caller, subject);
          const refused = response.status === 401 || response.status === 403;
          const unknownLearner =
            response.status === 404 && response.body?.type === 'urn:tessera:problem:unknown-learner';
          const actual = refused
            ? String(response.status)
            : unknownLearner
              ? '404 unknown-learner'
              : response.status >= 500
                ? '5xx'
                : 'allowed';
          if (row.tenant) cells.tenant++;
          if (expected === 'allowed') cells.allowed++;
          else if (expected === '404 unknown-learner') cells.unknownLearner++;
          else cells.denied++;
          if (expected === 'allowed' && response.status === 400)
            allowedButInvalid.add(`${key}: ${response.body?.detail ?? ''}`);
          const inItsForm =
            row.foreignCredentials === 'oauth'
              ? response.body?.imsx_codeMajor === 'failure'
              : /problem\+json/.test(response.headers['content-type'] ?? '');
          if (actual !== expected || (actual !== 'allowed' && !inItsForm))
            wrong.push(
              `${key} for ${subject.learnerId} as ${caller.name}: expected ${expected}, got ${response.status} ${response.body?.type ?? ''}`,
            );
        }
    }
    recordFigures('access-matrix', {
      operations: served.size,
      callers: CALLERS.map((caller) => caller.name),
      subjects: SUBJECTS.map((subject) => subject.name),
      tenantOperations: Object.entries(TABLE)
        .filter(([key, row]) => row.tenant && served.has(key))
        .map(([key]) => key),
      cells: cells.allowed + cells.denied + cells.unknownLearner,
      allowedCells: cells.allowed,
      deniedCells: cells.denied,
      unknownLearnerCells: cells.unknownLearner,
      tenantCells: cells.tenant,
      responsesByStatus: tally.byStatus,
      cellsDifferingFromDesign: wrong,
      allowedButInvalid: [...allowedButInvalid],
    });
    expect(wrong).toEqual([]);
  });

  it('answers a missing, malformed, forged, expired, not yet valid, alg none, wrongly signed or lax token with 401', async () => {
    const secret = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: 'root', roles: [...ROLES], issuers: [ISSUER], learner: LEARNER };
    const signed = (alg: string) =>
      new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).setIssuedAt().setExpirationTime('1h');
    const base64url = (json: object) => Buffer.from(JSON.stringify(json)).toString('base64url');
    const [header, , signature] = (
      await api.token({ sub: 'ada', roles: ['learner'], issuers: [], learner: LEARNER })
    ).split('.');
    const kinds: Record<string, string | undefined> = {
      none: undefined,
      'not bearer': 'Basic cm9vdDpyb290',
      malformed: 'Bearer not-a-jwt',
      'bad signature': `Bearer ${header}.${base64url({ ...claims, iat: now, exp: now + 3600 })}.${signature}`,
      'another secret': `Bearer ${await new TokenVerifier('another-secret-entirely-'.repeat(3)).sign(claims)}`,
      expired: `Bearer ${await api.token(claims, '-1h')}`,
      'not yet valid': `Bearer ${await signed('HS256').setNotBefore('1h').sign(secret)}`,
      'alg none': `Bearer ${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ ...claims, iat: now, exp: now + 3600 })}.`,
      HS512: `Bearer ${await signed('HS512').sign(secret)}`,
      RS256: `Bearer ${await signed('RS256').sign((await generateKeyPair('RS256')).privateKey)}`,
      ...Object.fromEntries(
        Object.entries(await laxTokens(TEST_JWT_SECRET, claims)).map(([kind, token]) => [kind, `Bearer ${token}`]),
      ),
    };
    // Public by the design's table, not by the OpenAPI document (which marks GET /issuers/:id with bearer auth)
    const guarded = operations.filter((operation) => {
      const row = TABLE[`${operation.method} ${operation.path}`];
      return row && !row.anyone && !row.foreignCredentials;
    });
    expect(guarded.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const operation of guarded)
      for (const [kind, authorization] of Object.entries(kinds)) {
        const response = await send(operation, authorization, TABLE[`${operation.method} ${operation.path}`]);
        if (response.status !== 401 || response.body?.type !== 'urn:tessera:problem:unauthenticated')
          wrong.push(`${operation.method} ${operation.path} with ${kind}: ${response.status}`);
      }
    recordFigures('access-tokens', {
      routes: guarded.length,
      tokenKinds: Object.keys(kinds),
      requests: guarded.length * Object.keys(kinds).length,
      notAnswered401: wrong,
    });
    expect(wrong).toEqual([]);
  });
});

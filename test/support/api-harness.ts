import { loadConfig } from '@app/config';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../../apps/api/src/api.app';
import type { Actor } from '../../apps/api/src/auth/actor';
import { TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { createThrowawayDatabase, type ThrowawayDatabase } from './postgres-server';

export const TEST_JWT_SECRET = 'tessera-e2e-secret-'.repeat(3);

/** The whole api on a fresh PostgreSQL database, with tokens for any actor. */
export interface ApiHarness {
  readonly app: INestApplication;
  readonly database: ThrowawayDatabase;
  http(): ReturnType<typeof request>;
  token(actor: Actor, expiresIn?: string): Promise<string>;
  close(): Promise<void>;
}

export async function startApi(env: Record<string, string> = {}): Promise<ApiHarness> {
  const database = await createThrowawayDatabase();
  // Suites fire hundreds of requests with one token; the rate limit has its own test (test/reliability).
  const config = loadConfig({
    DATABASE_URL: database.url,
    TESSERA_JWT_SECRET: TEST_JWT_SECRET,
    TESSERA_RATE_LIMIT: '1000000',
    ...env,
  });
  const app = await createApiApp(config);
  await app.init();
  const tokens = new TokenVerifier(TEST_JWT_SECRET, config.tokenMaxAgeSeconds);
  return {
    app,
    database,
    http: () => request(app.getHttpServer()),
    token: (actor, expiresIn) => tokens.sign(actor, expiresIn),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** An issuer as an admin registers it (POST /issuers). */
export const issuer = (overrides: Record<string, unknown> = {}) => ({
  id: 'tu-dublin',
  name: 'TU Dublin',
  url: 'https://tudublin.ie',
  country: 'IE',
  qualityAssurance: 'QQI',
  ...overrides,
});

/** A micro-credential definition as an issuer-admin posts it. */
export const definition = (overrides: Record<string, unknown> = {}) => ({
  title: 'Querying relational data',
  kind: 'skill',
  statement: 'I can query a relational database with SQL',
  learningOutcomes: ['Write joins and aggregates', 'Read a query plan'],
  criteria: [
    { id: 'joins', description: 'Writes a correct multi-table join', required: true },
    { id: 'aggregates', description: 'Groups and aggregates correctly', required: true },
    { id: 'plans', description: 'Explains a query plan', required: false },
  ],
  notionalHours: 50,
  level: { framework: 'EQF', level: 6 },
  credits: [{ framework: 'ECTS', value: 2 }],
  assessmentType: 'practical demonstration',
  supervision: { supervised: true, identityVerified: true },
  participation: 'blended',
  validity: 'P2Y',
  ...overrides,
});

/** A certificate pathway of TU Dublin over the `sql` achievement, as an issuer-admin posts it (POST /pathways). */
export const certificatePathway = (overrides: Record<string, unknown> = {}) => ({
  id: 'cert-sql',
  issuerId: 'tu-dublin',
  title: 'Certificate in SQL',
  award: {
    title: 'Certificate in SQL',
    type: 'Certificate',
    level: { framework: 'EQF', level: 6 },
    credits: [{ framework: 'ECTS', value: 2 }],
  },
  rule: { allOf: [{ achievement: 'sql' }] },
  conferral: 'automatic',
  ...overrides,
});

/**
 * Takes a learner from evidence through a passing assessment to an award of an achievement defined with
 * `definition()`'s rubric, as an assessor of its issuer; answers the award's response body.
 */
export async function awardThroughApi(
  api: Pick<ApiHarness, 'http'>,
  assessorToken: string,
  learnerId: string,
  achievementId: string,
  options: { evidence?: Record<string, unknown>; results?: Array<{ criterionId: string; met: boolean }> } = {},
): Promise<{ awardId: string; position: string; issuedAt: string; validUntil?: string }> {
  const post = (path: string, body: object = {}) =>
    api
      .http()
      .post(`/learners/${learnerId}/achievements/${achievementId}/${path}`)
      .set('Authorization', `Bearer ${assessorToken}`)
      .send(body);
  const submitted = await post('evidence', {
    kind: 'accomplishment',
    criterionIds: ['joins', 'aggregates'],
    description: 'Capstone work',
    observedAt: '2026-03-01T10:00:00Z',
    ...options.evidence,
  }).expect(201);
  await post('assessments', {
    evidenceIds: [submitted.body.evidenceId],
    results: options.results ?? [
      { criterionId: 'joins', met: true },
      { criterionId: 'aggregates', met: true },
    ],
  }).expect(201);
  return (await post('award').expect(201)).body;
}

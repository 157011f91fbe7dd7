import { loadConfig } from '@app/config';
import { pathwayRuleDocument, RULE_KINDS } from '@app/domain';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/api.app';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/postgres-server';

describe('api over HTTP, on a real PostgreSQL database', () => {
  let database: ThrowawayDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    app = await createApiApp(loadConfig({ DATABASE_URL: database.url, TESSERA_JWT_SECRET: 'e2e-secret-'.repeat(4) }));
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('GET /health reports liveness and that the stores answer', async () => {
    const response = await request(app.getHttpServer()).get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      store: { eventsReachable: true, databaseReachable: true, events: database.url, database: database.url },
      projections: { mode: 'inline', failed: [] },
    });
  });

  it('serves the OpenAPI document', async () => {
    const response = await request(app.getHttpServer()).get('/openapi.json').expect(200);
    expect(response.body.openapi).toMatch(/^3\./);
    expect(Object.keys(response.body.paths).sort()).toEqual(
      [
        '/health',
        '/issuers',
        '/issuers/{issuerId}',
        '/achievements',
        '/achievements/{achievementId}',
        '/achievements/{achievementId}/revisions',
        '/achievements/{achievementId}/retire',
        '/learners/{learnerId}/achievements/{achievementId}/evidence',
        '/learners/{learnerId}/achievements/{achievementId}/assessments',
        '/learners/{learnerId}/achievements/{achievementId}/award',
        '/learners/{learnerId}/prior-learning',
        '/learners/{learnerId}/profile',
        '/learners/{learnerId}/records',
        '/awards/{awardId}/suspend',
        '/awards/{awardId}/reinstate',
        '/awards/{awardId}/revoke',
        '/pathways',
        '/pathways/{pathwayId}',
        '/pathways/{pathwayId}/revisions',
        '/pathways/{pathwayId}/retire',
        '/pathways/{pathwayId}/revisions/{version}/impact',
        '/learners/{learnerId}/pathways/{pathwayId}/progress',
        '/learners/{learnerId}/pathways/{pathwayId}/confer',
        '/frameworks',
        '/frameworks/convert',
        '/learners/{learnerId}/transcript',
        '/learners/{learnerId}/history',
        '/transcripts',
        '/audit/verify',
        '/audit/verify/progress',
        '/analytics/achievements/{achievementId}',
        '/analytics/issuers/{issuerId}',
        '/analytics/issuers/{issuerId}/charts',
        '/audit/events',
        '/.well-known/jwks.json',
        '/awards/{awardId}/credential',
        '/qualifications/{qualificationId}/credential',
        '/learners/{learnerId}/clr',
        '/credentials/verify',
        '/status-lists/{issuerId}/{listId}',
        '/issuers/{issuerId}/keys/rotate',
        '/schemas/pathway-rule.json',
        '/issuers/{issuerId}/keys/{keyId}/compromise',
        '/issuers/{issuerId}/recognitions',
        '/issuers/{issuerId}/recognitions/{recognitionId}/withdraw',
        '/ims/ob/v3p0/discovery',
        '/ims/ob/v3p0/credentials',
        '/ims/ob/v3p0/profile',
        '/ims/ob/v3p0/oauth/register',
        '/ims/ob/v3p0/oauth/authorize',
        '/ims/ob/v3p0/oauth/token',
        '/ims/ob/v3p0/oauth/institution-clients',
        '/ims/clr/v2p0/discovery',
        '/ims/clr/v2p0/credentials',
        '/credentials/issue',
        '/presentations/verify',
        '/achievements/{achievementId}/xapi-mapping',
        '/issuers/{issuerId}/xapi-clients',
        '/issuers/{issuerId}/xapi-clients/{clientId}/revoke',
        '/issuers/{issuerId}/xapi-statements/unmatched',
        '/xapi/statements',
        '/xapi/about',
      ].sort(),
    );
    const evidence = response.body.components.schemas.SubmitEvidenceDto;
    expect(evidence.required).toEqual(expect.arrayContaining(['kind', 'criterionIds', 'description', 'observedAt']));
    expect(evidence.properties.kind.enum).toEqual(['accomplishment', 'challenge']);
  });

  it('serves the JSON Schema of a pathway rule to anyone, and uses it for the rule in the OpenAPI document', async () => {
    const served = await request(app.getHttpServer()).get('/schemas/pathway-rule.json').expect(200);
    expect(served.headers['content-type']).toMatch(/^application\/schema\+json/);
    expect(served.body).toEqual(pathwayRuleDocument('http://localhost:3000'));
    const openapi = (await request(app.getHttpServer()).get('/openapi.json').expect(200)).body;
    const rule = openapi.components.schemas.PathwayRule;
    expect(rule.oneOf.map((node: { required: string[] }) => node.required[0])).toEqual([...RULE_KINDS]);
    for (const body of ['DefinePathwayDto', 'PathwayDefinitionDto'])
      expect(openapi.components.schemas[body].properties.rule.allOf).toEqual([
        { $ref: '#/components/schemas/PathwayRule' },
      ]);
  });

  it('answers an unknown route with an RFC 9457 problem', async () => {
    const response = await request(app.getHttpServer()).get('/no-such-route').expect(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, title: 'not found', instance: '/no-such-route' });
  });

  it('GET /health answers 503 once the database is gone', async () => {
    await database.drop();
    const response = await request(app.getHttpServer()).get('/health').expect(503);
    expect(response.body).toMatchObject({
      status: 'unavailable',
      store: { eventsReachable: false, databaseReachable: false },
    });
  });
});

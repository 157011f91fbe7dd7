import type { Actor } from '../../../apps/api/src/auth/actor';
import { type ApiHarness, awardThroughApi, definition } from '../../support/api-harness';

/** The ids a seeded world holds, by OpenAPI path parameter name, so any route's path can be filled in. */
export type PathIds = Record<string, string>;

/** Lets the api sign credentials, so the credential routes answer as in production. */
export const WORLD_ENV = { TESSERA_KEY_ENCRYPTION_KEY: 'reliability-key-encryption-key-'.repeat(2) };

export const ISSUER = 'tu-dublin';
export const OTHER_ISSUER = 'uni-porto';
export const LEARNER = 'ada';
export const OTHER_LEARNER = 'bob';

const admin: Actor = { sub: 'world-admin', roles: ['admin'], issuers: [] };
const staff = (issuer: string): Actor => ({
  sub: `world-staff-${issuer}`,
  roles: ['issuer-admin', 'assessor', 'registrar'],
  issuers: [issuer],
});

/**
 * Two issuers, each with an achievement and a registrar-conferred pathway; ada and bob each hold an award of each
 * issuer; ada holds the tu-dublin qualification and a profile. Answers the ids per path parameter, for ada at
 * tu-dublin (`own`) and for bob at uni-porto (`other`).
 */
export async function seedWorld(api: ApiHarness): Promise<{ own: PathIds; other: PathIds }> {
  const ok = async (actor: Actor, method: 'post' | 'put', path: string, body: object = {}) => {
    const response = await api
      .http()
      [method](path)
      .set('Authorization', `Bearer ${await api.token(actor)}`)
      .send(body);
    if (response.status >= 300) throw new Error(`${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body as Record<string, string>;
  };
  const ids: Record<string, PathIds> = {};
  for (const [issuer, learner, achievement] of [
    [ISSUER, LEARNER, 'sql'],
    [OTHER_ISSUER, OTHER_LEARNER, 'ethics'],
  ]) {
    await ok(admin, 'post', '/issuers', {
      id: issuer,
      name: issuer,
      url: `https://${issuer}.example.edu`,
      country: 'IE',
      qualityAssurance: 'QQI',
    });
    await ok(staff(issuer), 'post', '/achievements', { id: achievement, issuerId: issuer, ...definition() });
    await ok(staff(issuer), 'post', '/pathways', {
      id: `${achievement}-cert`,
      issuerId: issuer,
      title: `Certificate of ${achievement}`,
      award: {
        title: `Certificate of ${achievement}`,
        type: 'Certificate',
        level: { framework: 'EQF', level: 6 },
        credits: [{ framework: 'ECTS', value: 2 }],
      },
      rule: { achievement },
      conferral: 'registrar',
    });
    const assessor = await api.token(staff(issuer));
    const award = await awardThroughApi(api, assessor, learner, achievement);
    for (const holder of [LEARNER, OTHER_LEARNER].filter((name) => name !== learner))
      await awardThroughApi(api, assessor, holder, achievement);
    const conferred = await ok(staff(issuer), 'post', `/learners/${learner}/pathways/${achievement}-cert/confer`);
    await ok(staff(issuer), 'put', `/learners/${learner}/profile`, {
      name: `${learner} Example`,
      email: `${learner}@example.edu`,
    });
    ids[issuer] = {
      issuerId: issuer,
      learnerId: learner,
      achievementId: achievement,
      awardId: award.awardId,
      pathwayId: `${achievement}-cert`,
      version: '1',
      qualificationId: conferred.qualificationId,
      listId: '1',
      keyId: 'no-such-key',
      // No recognition is recorded: routes naming one answer 404 to whoever may call them.
      recognitionId: 'none-recorded',
      clientId: 'no-such-client',
    };
  }
  return { own: ids[ISSUER], other: ids[OTHER_ISSUER] };
}

/** An OpenAPI path with its `{parameters}` filled from `ids`. */
export function fillPath(template: string, ids: PathIds): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    if (!(name in ids)) throw new Error(`no id for the path parameter ${name} in ${template}`);
    return encodeURIComponent(ids[name]);
  });
}

export interface Operation {
  readonly method: string;
  readonly path: string;
  readonly bodySchema?: string;
  /** The media types its request body may have. */
  readonly consumes: readonly string[];
  readonly query: ReadonlyArray<{ name: string; schema: Record<string, unknown> }>;
}

/** Every operation of the OpenAPI document the api serves, so routes added later are covered without edits here. */
export async function operationsOf(api: ApiHarness): Promise<{ operations: Operation[]; document: OpenApi }> {
  const document = (await api.http().get('/openapi.json').expect(200)).body as OpenApi;
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      bodySchema: operation.requestBody?.content?.['application/json']?.schema?.$ref?.split('/').at(-1),
      consumes: Object.keys(operation.requestBody?.content ?? {}),
      query: (operation.parameters ?? [])
        .filter((parameter) => parameter.in === 'query')
        .map((parameter) => ({ name: parameter.name, schema: parameter.schema ?? {} })),
    })),
  );
  return { operations, document };
}

export interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Array<{ name: string; in: string; schema?: Record<string, unknown> }>;
        requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
      }
    >
  >;
  components: {
    schemas: Record<string, { properties?: Record<string, Record<string, unknown>>; required?: string[] }>;
  };
}

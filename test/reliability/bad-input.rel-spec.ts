import type { EventStore } from '@app/event-store';
import fc from 'fast-check';
import type { Actor } from '../../apps/api/src/auth/actor';
import { ROLES } from '../../apps/api/src/auth/actor';
import { EVENT_STORE } from '../../apps/api/src/storage.tokens';
import { type ApiHarness, startApi } from '../support/api-harness';
import { ob3Wallet } from '../support/ob3-wallet';
import { listening } from './support/http';
import { recordFigures, StatusTally } from './support/results';
import {
  fillPath,
  ISSUER,
  WORLD_ENV,
  type OpenApi,
  type Operation,
  operationsOf,
  type PathIds,
  seedWorld,
} from './support/world';

/** Holds every role for the seeded issuer, so what refuses a request is its input, not access. */
const everyone: Actor = { sub: 'fuzzer', roles: [...ROLES], issuers: [ISSUER], learner: 'ada' };
const RUNS_PER_ROUTE = Number(process.env.TESSERA_FUZZ_RUNS ?? 40);

const INJECTIONS = [
  "'; DROP TABLE events; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(5)',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '${7*7}{{7*7}}',
  '../../../../etc/passwd',
];
const injection = fc.constantFrom(...INJECTIONS);
/** Text PostgreSQL cannot store, though JSON can carry it: lone surrogates and NUL. */
const unstorable = fc.constantFrom('\ud800', 'a\udc00b', '\udfff\ud800', 'nul\u0000byte');
const hugeString = fc.integer({ min: 10_000, max: 200_000 }).map((length) => 'x'.repeat(length));
const deep = fc
  .tuple(fc.integer({ min: 50, max: 3_000 }), fc.boolean())
  .map(([depth, arrays]) =>
    JSON.parse(arrays ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`),
  );
const anyValue = fc.oneof(fc.anything({ maxDepth: 3 }), injection, hugeString, deep, fc.string({ unit: 'binary' }));
/** JSON.stringify drops a key whose value is undefined: an unknown field must carry something. */
const definedValue = anyValue.filter((value) => value !== undefined);

/** A body as fast-check reports it on failure: its kind and its first 300 characters, not megabytes of nesting. */
const described = (kind: string, raw: string) => ({
  kind,
  raw,
  [fc.toStringMethod]: () => `${kind}: ${raw.slice(0, 300)}`,
});

/** A value certainly not of the schema's type (a string where a number goes, an object where a string goes, …). */
function wrongTypeFor(schema: Record<string, unknown>): fc.Arbitrary<unknown> {
  const type = schema.type ?? (schema.$ref || schema.allOf ? 'object' : undefined);
  const candidates: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.oneof(fc.integer(), fc.boolean(), fc.array(injection), fc.constant({ $gt: '' }), deep),
    number: fc.oneof(injection, fc.boolean(), fc.constant([1]), fc.constant({}), fc.constant('1e999')),
    integer: fc.oneof(injection, fc.boolean(), fc.double({ min: 0.1, max: 0.9 }), fc.constant('3')),
    boolean: fc.oneof(injection, fc.integer(), fc.constant('true'), fc.constant([true])),
    array: fc.oneof(injection, fc.integer(), fc.constant({ 0: 'a', length: 1 })),
    object: fc.oneof(injection, fc.integer(), fc.constant(true)),
  };
  return candidates[String(type)] ?? fc.oneof(injection, fc.integer());
}

/** One request body, wrong in at least one way that the contract makes a 4xx. */
function badBody(operation: Operation, document: OpenApi): fc.Arbitrary<ReturnType<typeof described>> {
  const schema = operation.bodySchema ? document.components.schemas[operation.bodySchema] : undefined;
  const properties = Object.entries(schema?.properties ?? {});
  const known = properties.map(([name]) => name);
  const json = (kind: string) => (body: unknown) => described(kind, JSON.stringify(body));
  const unknownKey = fc
    .oneof(fc.string({ minLength: 1 }), injection)
    .filter((key) => !known.includes(key) && key !== 'jwt' && key !== 'credential' && key !== '__proto__');
  const someKnown = fc.dictionary(fc.constantFrom(...(known.length ? known : ['x'])), anyValue, { maxKeys: 4 });

  const kinds: Array<fc.Arbitrary<ReturnType<typeof described>>> = [
    fc
      .oneof(fc.integer(), fc.string(), fc.boolean(), fc.array(anyValue, { maxLength: 3 }), injection)
      .map(json('not an object')),
    fc
      .tuple(someKnown, unknownKey, definedValue)
      .map(([body, key, value]) => json('unknown field')({ ...body, [key]: value })),
    fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), someKnown).map(([key, body]) =>
      described(
        'prototype keys',
        // Written as text: an object literal's __proto__ would set the prototype, not a key
        `{"${key}":{"polluted":true,"isAdmin":true},"constructor":{"prototype":{"polluted":true}}${Object.keys(body).length ? `,${JSON.stringify(body).slice(1, -1)}` : ''}}`,
      ),
    ),
    fc
      .tuple(someKnown, unstorable)
      .map(([body, text]) => json('invalid unicode')({ ...body, [known[0] ?? 'x']: text, note: text })),
    fc.tuple(someKnown, deep).map(([body, nested]) => json('deep nesting')({ ...body, nested })),
  ];
  if (properties.length)
    kinds.push(
      fc
        .constantFrom(...properties)
        .chain(([name, property]) => fc.tuple(someKnown, fc.constant(name), wrongTypeFor(property)))
        .map(([body, name, value]) => json('wrong type')({ ...body, [name]: value })),
    );
  if (schema?.required?.length)
    kinds.push(
      someKnown
        .map((body) => Object.fromEntries(Object.entries(body).filter(([name]) => name !== schema.required![0])))
        .map(json('missing required field')),
    );
  return fc.oneof(...kinds);
}

describe('bad input on every route', () => {
  let api: ApiHarness;
  let base: string;
  let store: EventStore;
  let token: string;
  /** The OB 3.0 API's resource routes take an OAuth access token of a learner's wallet, not Tessera's token. */
  let walletToken: string;
  /** The xAPI statements resource takes an xAPI client's HTTP Basic credentials: its query parameters are fuzzed with them. */
  let xapiBasic: string;
  let ids: PathIds;
  let operations: Operation[];
  let document: OpenApi;
  const tally = new StatusTally();
  const kinds: Record<string, number> = {};
  const eventCount = async () => (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length;

  const send = async (
    operation: Operation,
    raw: string | undefined,
    contentType = 'application/json',
    path?: string,
  ) => {
    const response = await fetch(`${base}${path ?? fillPath(operation.path, ids)}`, {
      method: operation.method,
      headers: {
        authorization: `Bearer ${operation.path.startsWith('/ims/') && !operation.path.includes('/oauth/') ? walletToken : token}`,
        ...(raw === undefined ? {} : { 'content-type': contentType }),
      },
      body: raw,
    });
    const text = await response.text();
    tally.add(response.status);
    return { status: response.status, type: response.headers.get('content-type') ?? '', text };
  };
  /**
   * A 4xx in the error form of the route's family: the standards' own where a standard names one (RFC 6749 / 7591
   * for OAuth, a plain message to the person on the consent form, Imsx_StatusInfo for the OB 3.0 / CLR 2.0 API),
   * RFC 9457 everywhere else.
   */
  const expectRefusal = (
    operation: Operation,
    answer: { status: number; type: string; text: string },
    context: string,
  ) => {
    const json = () => {
      try {
        return JSON.parse(answer.text) as Record<string, unknown>;
      } catch {
        return {};
      }
    };
    const inItsForm = ['/ims/ob/v3p0/oauth/register', '/ims/ob/v3p0/oauth/token'].includes(operation.path)
      ? answer.type.startsWith('application/json') && typeof json().error === 'string'
      : operation.path === '/ims/ob/v3p0/oauth/authorize'
        ? answer.type.startsWith('text/') && answer.text.length > 0
        : /^\/ims\/(ob\/v3p0|clr\/v2p0)\/(?!oauth\/)/.test(operation.path)
          ? answer.type.startsWith('application/json') && json().imsx_codeMajor === 'failure'
          : answer.type.startsWith('application/problem+json');
    if (answer.status < 400 || answer.status >= 500 || !inItsForm)
      throw new Error(`${context}: ${answer.status} ${answer.type} ${answer.text.slice(0, 300)}`);
  };

  beforeAll(async () => {
    api = await startApi(WORLD_ENV);
    base = await listening(api);
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    token = await api.token(everyone);
    walletToken = (await ob3Wallet(api).accessToken(token)).access_token;
    ids = (await seedWorld(api)).own;
    const client = await api
      .http()
      .post(`/issuers/${ids.issuerId}/xapi-clients`)
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Fuzzed LMS' })
      .expect(201);
    xapiBasic = `Basic ${Buffer.from(`${client.body.clientId}:${client.body.secret}`).toString('base64')}`;
    ({ operations, document } = await operationsOf(api));
  });
  afterAll(() => api?.close());

  it('answers fast-check bodies on every command route with 4xx problems only, appending nothing', async () => {
    const commands = operations.filter((operation) => ['POST', 'PUT', 'PATCH'].includes(operation.method));
    expect(commands.length).toBeGreaterThan(15);
    const before = await eventCount();
    // Every route is tried, and every route that fails is named, not just the first
    const failures: string[] = [];
    const refusedAfterValidation: Record<string, number> = {};
    for (const operation of commands) {
      const route = `${operation.method} ${operation.path}`;
      const result = await fc.check(
        fc.asyncProperty(badBody(operation, document), async ({ kind, raw }) => {
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          const answer = await send(operation, raw);
          expectRefusal(operation, answer, `${route} (${kind}) ${raw.slice(0, 200)}`);
          // A refusal after validation (the body passed as well-formed): worth a look, though still a 4xx
          if (answer.status !== 400) {
            const what = `${route} (${kind}) → ${answer.status}`;
            refusedAfterValidation[what] = (refusedAfterValidation[what] ?? 0) + 1;
          }
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
      if (result.failed)
        failures.push(String((result.errorInstance as Error | undefined)?.message ?? result.counterexample));
      // Over 1 MB → 413; not JSON → 415
      const huge = await send(operation, JSON.stringify({ padding: 'x'.repeat(1_100_000) }));
      if (huge.status !== 413) failures.push(`${route} (1.1 MB body): ${huge.status}`);
      const wrongTypes = ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'text/csv'];
      for (const type of wrongTypes.filter((wrong) => !operation.consumes.includes(wrong))) {
        const wrongType = await send(operation, 'id=1&name=x', type);
        if (wrongType.status !== 415) failures.push(`${route} (${type}): ${wrongType.status}`);
      }
      // A route's other own types (an OAuth form, a compact JWS as text) with nonsense in them are refused as that route refuses input
      for (const type of operation.consumes.filter((own) => own !== 'application/json'))
        expectRefusal(operation, await send(operation, 'id=1&name=x', type), `${route} (${type})`);
    }
    recordFigures('bad-input-bodies', {
      routes: commands.map((operation) => `${operation.method} ${operation.path}`),
      runsPerRoute: RUNS_PER_ROUTE,
      bodiesByKind: kinds,
      requests: tally.requests,
      responsesByClass: tally.byClass,
      responsesByStatus: tally.byStatus,
      eventsAppended: (await eventCount()) - before,
      refusedAfterValidation,
      failures,
    });
    expect(failures).toEqual([]);
    expect(await eventCount()).toBe(before);
    // Prototype keys were taken as data at most, never as the prototype
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('answers malformed query parameters on every GET route with 400, never 500', async () => {
    /** Parameters with a grammar (instants, positions, cursors, limits, numbers, enums): junk is a 400. */
    const strict = (name: string, schema: Record<string, unknown>) =>
      ['asOf', 'minPosition', 'cursor', 'limit', 'value', 'format'].includes(name) ||
      Array.isArray(schema.enum) ||
      schema.type === 'number' ||
      schema.type === 'integer';
    const JUNK = [
      'not-a-date',
      '-1',
      '0',
      '1e309',
      '99999999999999999999999',
      'NaN',
      '',
      '%00',
      '\u0000',
      "' OR 1=1 --",
      '2026-13-45T99:99:99Z',
      'AAAA',
      '[]',
      '{"a":1}',
      'x'.repeat(5000),
    ];
    const figures: Record<string, number> = {};
    const xapiGet = async (path: string) => {
      const response = await fetch(`${base}${path}`, {
        headers: { authorization: xapiBasic, 'x-experience-api-version': '2.0.0' },
      });
      tally.add(response.status);
      return { status: response.status, text: await response.text() };
    };
    const before = await eventCount();
    const queried = operations.filter((operation) => operation.method === 'GET' && operation.query.length);
    expect(queried.length).toBeGreaterThan(8);
    for (const operation of queried)
      for (const { name, schema } of operation.query)
        for (const junk of [...JUNK, ['1', '2']]) {
          const query = (Array.isArray(junk) ? junk : [junk])
            .map((value) => `${name}=${encodeURIComponent(value)}`)
            .join('&');
          const path = `${fillPath(operation.path, ids)}?${query}`;
          const answer = operation.path.startsWith('/xapi/')
            ? await xapiGet(path)
            : await send(operation, undefined, undefined, path);
          const context = `GET ${path.slice(0, 200)}`;
          if (answer.status >= 500) throw new Error(`${context}: ${answer.status} ${answer.text.slice(0, 300)}`);
          const isStrict = strict(name, schema) && !(name === 'format' && junk === '');
          if (
            isStrict &&
            junk !== '' &&
            answer.status !== 400 &&
            !(answer.status === 200 && isAcceptable(operation.path, name, junk))
          )
            throw new Error(`${context}: expected 400, got ${answer.status} ${answer.text.slice(0, 200)}`);
          figures[String(answer.status)] = (figures[String(answer.status)] ?? 0) + 1;
        }
    expect(await eventCount()).toBe(before);
    recordFigures('bad-input-queries', {
      routes: queried.map((operation) => `GET ${operation.path} ?${operation.query.map(({ name }) => name).join('&')}`),
      requests: Object.values(figures).reduce((sum, count) => sum + count, 0),
      responsesByStatus: figures,
    });
  });
});

/** Junk that happens to be a valid value of the parameter: a limit of 0 is not, but "0" as a minPosition is. */
function isAcceptable(path: string, name: string, junk: string | string[]): boolean {
  // xAPI's statement query: limit=0 asks for the server's maximum (xAPI 2.0 Part Three §4.1.6.3).
  if (path === '/xapi/statements') return name === 'limit' && junk === '0';
  return name === 'minPosition' && junk === '0';
}

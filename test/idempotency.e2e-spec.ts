import { loadConfig } from '@app/config';
import type { EventStore } from '@app/event-store';
import request from 'supertest';
import { createApiApp } from '../apps/api/src/api.app';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import type { PostgresEventStore, SqlClient } from '@app/event-store';
import { definition, issuer, startApi, TEST_JWT_SECRET, type ApiHarness } from './support/api-harness';
import { createThrowawayDatabase } from './support/postgres-server';

describe('Idempotency-Key on commands', () => {
  let api: ApiHarness;
  let store: EventStore;
  const admin: Actor = { sub: 'root', roles: ['admin'], issuers: [] };
  const issuerAdmin: Actor = { sub: 'tu-admin', roles: ['issuer-admin'], issuers: ['tu-dublin'] };
  const assessor: Actor = { sub: 'tu-assessor', roles: ['assessor'], issuers: ['tu-dublin'] };
  const otherAssessor: Actor = { sub: 'tu-assessor-2', roles: ['assessor'], issuers: ['tu-dublin'] };
  const tokens = new Map<Actor, string>();
  const count = async () => (await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })).length;
  const post = (http: () => ReturnType<ApiHarness['http']>, actor: Actor, path: string, body: object, key?: string) => {
    const call = http()
      .post(path)
      .set('Authorization', `Bearer ${tokens.get(actor)}`);
    return (key === undefined ? call : call.set('Idempotency-Key', key)).send(body);
  };
  const evidence = (description = 'Built the reporting queries') => ({
    kind: 'accomplishment',
    criterionIds: ['joins', 'aggregates'],
    description,
    observedAt: '2026-03-01T10:00:00Z',
  });

  /** Evidence and a passing assessment for the learner, ready for an award. */
  const passAssessment = async (learner: string) => {
    const submitted = await post(
      api.http,
      assessor,
      `/learners/${learner}/achievements/sql/evidence`,
      evidence(),
    ).expect(201);
    await post(api.http, assessor, `/learners/${learner}/achievements/sql/assessments`, {
      evidenceIds: [submitted.body.evidenceId],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: true },
      ],
    }).expect(201);
  };

  beforeAll(async () => {
    api = await startApi();
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const actor of [admin, issuerAdmin, assessor, otherAssessor]) tokens.set(actor, await api.token(actor));
    await post(api.http, admin, '/issuers', issuer()).expect(201);
    await post(api.http, issuerAdmin, '/achievements', { id: 'sql', issuerId: 'tu-dublin', ...definition() }).expect(
      201,
    );
  });
  afterAll(() => api?.close());

  it('answers a repeated key with the first response and appends nothing', async () => {
    const first = await post(
      api.http,
      assessor,
      '/learners/ada/achievements/sql/evidence',
      evidence(),
      'evidence-1',
    ).expect(201);
    const before = await count();
    const again = await post(
      api.http,
      assessor,
      '/learners/ada/achievements/sql/evidence',
      evidence(),
      'evidence-1',
    ).expect(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(await count()).toBe(before);
  });

  it('refuses the same key with a different body (422), appending nothing', async () => {
    await post(api.http, assessor, '/learners/ada/achievements/sql/evidence', evidence(), 'evidence-2').expect(201);
    const before = await count();
    const reused = await post(
      api.http,
      assessor,
      '/learners/ada/achievements/sql/evidence',
      evidence('Something else'),
      'evidence-2',
    ).expect(422);
    expect(reused.body).toMatchObject({ type: 'urn:tessera:problem:idempotency-key-reused', status: 422 });
    expect(await count()).toBe(before);
  });

  it('keeps keys per caller: the same key from another caller is another command', async () => {
    const mine = await post(
      api.http,
      assessor,
      '/learners/bob/achievements/sql/evidence',
      evidence(),
      'shared-key',
    ).expect(201);
    const theirs = await post(
      api.http,
      otherAssessor,
      '/learners/bob/achievements/sql/evidence',
      evidence(),
      'shared-key',
    ).expect(201);
    expect(theirs.body.evidenceId).not.toBe(mine.body.evidenceId);
  });

  it('turns 20 concurrent requests with one key into one append and 20 identical answers', async () => {
    await passAssessment('cy');
    const before = await count();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => post(api.http, assessor, '/learners/cy/achievements/sql/award', {}, 'cy-award')),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect([...new Set(answers.map((answer) => JSON.stringify(answer.body)))]).toHaveLength(1);
    expect(await count()).toBe(before + 1);
  });

  /** Each learner's ids of one kind, by the stream holding them: an id held by two streams is a shared id. */
  const streamsById = async (type: string, field: string) => {
    const holders = new Map<string, Set<string>>();
    for (const event of await store.readAll({
      maxCount: 1_000_000,
      filter: { eventTypes: [type] },
      visibility: 'committed',
    })) {
      const id = event.data[field] as string;
      holders.set(id, new Set([...(holders.get(id) ?? []), event.stream]));
    }
    return [...holders.values()].map((streams) => streams.size);
  };

  it('lets one of two requests racing with one key for two learners award (201), refuses the other (422), round after round', async () => {
    const ROUNDS = 20;
    const statuses: number[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const learners = [`race-a${round}`, `race-b${round}`];
      await Promise.all(learners.map(passAssessment));
      const before = await count();
      const answers = await Promise.all(
        learners.map((learner) =>
          post(api.http, assessor, `/learners/${learner}/achievements/sql/award`, {}, `award-race-${round}`),
        ),
      );
      statuses.push(answers.map((answer) => answer.status).sort());
      const refused = answers.find((answer) => answer.status === 422);
      expect(refused?.body).toMatchObject({ type: 'urn:tessera:problem:idempotency-key-reused', status: 422 });
      expect(await count()).toBe(before + 1);
    }
    expect(statuses).toEqual(Array(ROUNDS).fill([201, 422]));
    expect(new Set(await streamsById('AchievementAwarded', 'awardId'))).toEqual(new Set([1]));
  });

  it('lets one of three evidence submissions racing with one key for three learners land, round after round', async () => {
    const ROUNDS = 30;
    const statuses: number[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const before = await count();
      const answers = await Promise.all(
        ['x', 'y', 'z'].map((learner) =>
          post(
            api.http,
            assessor,
            `/learners/ev-${learner}${round}/achievements/sql/evidence`,
            evidence(),
            `evidence-race-${round}`,
          ),
        ),
      );
      statuses.push(answers.map((answer) => answer.status).sort());
      expect(await count()).toBe(before + 1);
    }
    expect(statuses).toEqual(Array(ROUNDS).fill([201, 422, 422]));
    expect(new Set(await streamsById('EvidenceSubmitted', 'evidenceId'))).toEqual(new Set([1]));
  });

  it('frees the key of a command that failed: the retry with the same key is decided afresh', async () => {
    const refused = await post(api.http, assessor, '/learners/fay/achievements/sql/award', {}, 'fay-award');
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    await passAssessment('fay');
    const awarded = await post(api.http, assessor, '/learners/fay/achievements/sql/award', {}, 'fay-award').expect(201);
    const replayed = await post(api.http, assessor, '/learners/fay/achievements/sql/award', {}, 'fay-award').expect(
      201,
    );
    expect(replayed.headers['idempotent-replayed']).toBe('true');
    expect(replayed.body).toEqual(awarded.body);
  });

  it('still answers the first result after a restart, even with the kept responses gone: the ledger knows the command', async () => {
    await passAssessment('dee');
    const award = await post(api.http, assessor, '/learners/dee/achievements/sql/award', {}, 'dee-award').expect(201);

    const restarted = await createApiApp(
      loadConfig({ DATABASE_URL: api.database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET }),
    );
    await restarted.init();
    try {
      const http = () => request(restarted.getHttpServer());
      const before = await count();
      const replayed = await post(http, assessor, '/learners/dee/achievements/sql/award', {}, 'dee-award').expect(201);
      expect(replayed.body).toEqual(award.body);
      // Forget the kept response: deciding again would say "already awarded", but the command's events are found instead.
      const { Client } = await import('pg');
      const client = new Client({ connectionString: api.database.url });
      await client.connect();
      await client.query("DELETE FROM tessera_idempotency WHERE key = 'dee-award'");
      await client.end();
      const fromLedger = await post(http, assessor, '/learners/dee/achievements/sql/award', {}, 'dee-award').expect(
        201,
      );
      expect(fromLedger.body).toEqual(award.body);
      expect(await count()).toBe(before);
      // Without the key it is a new command, refused by the domain.
      await post(http, assessor, '/learners/dee/achievements/sql/award', {}).expect(409);
    } finally {
      await restarted.close();
    }
  });
  it('costs a keyed record command the two statements of an unkeyed one: no claim before it, no answer after it', async () => {
    // Projections off, so that every statement counted is the request's own.
    const quiet = await createApiApp(
      loadConfig({ DATABASE_URL: api.database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET, TESSERA_PROJECTIONS: 'off' }),
    );
    await quiet.init();
    try {
      const http = () => request(quiet.getHttpServer());
      // The events' connection, under the store and the read side's client alike.
      const sql = quiet.get<symbol, PostgresEventStore>(EVENT_STORE).sql;
      const sent: string[] = [];
      const query = sql.query.bind(sql);
      sql.query = ((text: string, ...rest: never[]) => {
        sent.push(text);
        return query(text, ...rest);
      }) as SqlClient['query'];
      const counted = async (send: () => Promise<unknown>) => {
        sent.length = 0;
        await send();
        return [...sent];
      };
      // Warm: the achievement's fold is cached by the first command of this process.
      await post(http, assessor, '/learners/quiet-warm/achievements/sql/evidence', evidence()).expect(201);
      const unkeyed = await counted(() =>
        post(http, assessor, '/learners/quiet/achievements/sql/evidence', evidence()).expect(201),
      );
      const keyed = await counted(() =>
        post(http, assessor, '/learners/quiet/achievements/sql/evidence', evidence('keyed'), 'quiet-1').expect(201),
      );
      expect(unkeyed).toHaveLength(2);
      expect(keyed).toHaveLength(2);
      expect(keyed[0]).toMatch(/JOIN tessera_events.*LEFT JOIN tessera_idempotency/s);
      expect(keyed[1]).toMatch(/INSERT INTO tessera_idempotency/);
      const replay = await counted(async () => {
        const replayed = await post(
          http,
          assessor,
          '/learners/quiet/achievements/sql/evidence',
          evidence('keyed'),
          'quiet-1',
        ).expect(201);
        expect(replayed.headers['idempotent-replayed']).toBe('true');
      });
      expect(replay).toHaveLength(1);
      const reused = await counted(() =>
        post(http, assessor, '/learners/quiet/achievements/sql/evidence', evidence('other'), 'quiet-1').expect(422),
      );
      expect(reused).toHaveLength(1);
    } finally {
      await quiet.close();
    }
  });

  it('starts on a database whose idempotency table predates pending claims, and still replays its kept answers', async () => {
    const database = await createThrowawayDatabase();
    const { Client } = await import('pg');
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      // The table as it was before claims: status and body NOT NULL, a kept answer in it.
      await client.query(`CREATE TABLE tessera_idempotency (
        subject text NOT NULL, key text NOT NULL, request_hash text NOT NULL, status integer NOT NULL,
        body json NOT NULL, created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (subject, key))`);
      await client.query(
        `INSERT INTO tessera_idempotency (subject, key, request_hash, status, body)
         VALUES ($1, 'old-key', encode(sha256(convert_to($2, 'UTF8')), 'hex'), 201, '{"issuerId":"kept"}')`,
        [admin.sub, `POST /issuers\n${JSON.stringify(issuer({ id: 'old-issuer' }))}`],
      );
      const app = await createApiApp(loadConfig({ DATABASE_URL: database.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET }));
      await app.init();
      try {
        const http = () => request(app.getHttpServer());
        const replayed = await post(http, admin, '/issuers', issuer({ id: 'old-issuer' }), 'old-key').expect(201);
        expect(replayed.body).toEqual({ issuerId: 'kept' });
        expect(replayed.headers['idempotent-replayed']).toBe('true');
        await post(http, admin, '/issuers', issuer({ id: 'new-issuer' }), 'new-key').expect(201);
        const { rows } = await client.query(
          "SELECT status FROM tessera_idempotency WHERE key = 'new-key' AND body IS NOT NULL",
        );
        expect(rows).toEqual([{ status: 201 }]);
      } finally {
        await app.close();
      }
    } finally {
      await client.end();
      await database.drop();
    }
  });
});

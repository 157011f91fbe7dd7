import { request as httpRequest } from 'node:http';
import { loadConfig } from '@app/config';
import type { EventStore, RecordedEvent, SqlClient } from '@app/event-store';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/api.app';
import type { Actor } from '../../apps/api/src/auth/actor';
import { TokenVerifier } from '../../apps/api/src/auth/token-verifier';
import { EVENT_STORE, SQL_CLIENT } from '../../apps/api/src/storage.tokens';
import { type ApiHarness, definition, startApi, TEST_JWT_SECRET } from '../support/api-harness';
import { expectEqualToCleanRebuild } from '../support/read-models';
import { call, listening, postCommandId } from './support/http';
import { createPrivatePostgres, type PrivatePostgres } from './support/private-postgres';
import { recordFigures, StatusTally } from './support/results';

const assessor: Actor = { sub: 'fault-assessor', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] };
const admin: Actor = { sub: 'root', roles: ['admin'], issuers: [] };
const auditor: Actor = { sub: 'auditor', roles: ['auditor'], issuers: [] };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const evidence = (note: string) => ({
  kind: 'accomplishment',
  criterionIds: ['joins'],
  description: note,
  observedAt: '2026-03-01T10:00:00Z',
});
/** The command id of the evidence that the tests below send under `key` to `path`. */
const commandIdOf = (key: string, path: string) => postCommandId(assessor.sub, key, path, evidence(key));

/** Events per command id: the ledger's answer to "did this command happen, and how often". */
async function eventsByCommand(store: EventStore): Promise<Map<string, RecordedEvent[]>> {
  const byCommand = new Map<string, RecordedEvent[]>();
  for (const event of await store.readAll({ maxCount: 1_000_000, visibility: 'committed' })) {
    const id = String(event.metadata.commandId);
    byCommand.set(id, [...(byCommand.get(id) ?? []), event]);
  }
  return byCommand;
}

async function seedIssuer(base: string, tokens: { admin: string; assessor: string }): Promise<void> {
  const issuer = await call(base, 'POST', '/issuers', {
    token: tokens.admin,
    body: { id: 'tu-dublin', name: 'TU Dublin', url: 'https://tudublin.ie', country: 'IE', qualityAssurance: 'QQI' },
  });
  expect(issuer.status).toBe(201);
  const achievement = await call(base, 'POST', '/achievements', {
    token: tokens.assessor,
    body: { id: 'sql', issuerId: 'tu-dublin', ...definition() },
  });
  expect(achievement.status).toBe(201);
}

describe('faults: PostgreSQL stopped while the api serves writes', () => {
  let cluster: PrivatePostgres;
  let app: INestApplication;
  let base: string;
  const tokens = { admin: '', assessor: '', auditor: '' };

  beforeAll(async () => {
    cluster = await createPrivatePostgres();
    app = await createApiApp(
      loadConfig({ DATABASE_URL: cluster.url, TESSERA_JWT_SECRET: TEST_JWT_SECRET, TESSERA_RATE_LIMIT: '1000000' }),
    );
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    const verifier = new TokenVerifier(TEST_JWT_SECRET);
    tokens.admin = await verifier.sign(admin);
    tokens.assessor = await verifier.sign(assessor);
    tokens.auditor = await verifier.sign(auditor);
    await seedIssuer(base, tokens);
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await cluster?.destroy();
  });

  it('answers writes with 503 problems while it is down, half-writes nothing, and recovers without a restart', async () => {
    const WRITERS = 8;
    const REQUEST_TIMEOUT_MS = 10_000;
    type Sent = {
      key: string;
      path: string;
      sentAt: number;
      answeredAt: number;
      status: number;
      type: string;
      hung: boolean;
    };
    const sent: Sent[] = [];
    const phases = { stoppedAt: Infinity, restartingAt: Infinity, restartedAt: Infinity };
    let writing = true;

    const writer = async (index: number) => {
      for (let sequence = 0; writing; sequence++) {
        const key = `outage-${index}-${sequence}`;
        const path = `/learners/writer-${index}/achievements/sql/evidence`;
        const sentAt = Date.now();
        let status = 0;
        let type = '';
        let hung = false;
        try {
          const answer = await call(base, 'POST', path, {
            token: tokens.assessor,
            key,
            body: evidence(key),
            signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
          });
          status = answer.status;
          type = String(answer.body.type ?? answer.headers.get('content-type'));
        } catch {
          hung = true;
        }
        sent.push({ key, path, sentAt, answeredAt: Date.now(), status, type, hung });
        await sleep(20);
      }
    };

    const writers = Array.from({ length: WRITERS }, (_, index) => writer(index));
    await sleep(1_000);
    await cluster.stop();
    phases.stoppedAt = Date.now();
    await sleep(3_000);
    const health = await call(base, 'GET', '/health');
    // The server accepts connections a moment before pg_ctl returns: the outage ends when the start is asked for.
    phases.restartingAt = Date.now();
    await cluster.start();
    phases.restartedAt = Date.now();
    await sleep(3_000);
    writing = false;
    await Promise.all(writers);

    const tally = new StatusTally();
    for (const request of sent) tally.add(request.status);
    const during = sent.filter(
      (request) => request.sentAt >= phases.stoppedAt && request.answeredAt <= phases.restartingAt,
    );
    const firstAfter = sent
      .filter((request) => request.sentAt >= phases.restartedAt && request.status === 201)
      .sort((a, b) => a.answeredAt - b.answeredAt)[0];

    expect(sent.filter((request) => request.hung)).toEqual([]);
    expect(sent.filter((request) => request.status >= 500 && request.status !== 503)).toEqual([]);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((request) => request.status !== 503 || !/store-unavailable/.test(request.type))).toEqual([]);
    expect(health.status).toBe(503);
    expect(firstAfter).toBeDefined();

    // Nothing half-written: each command is in the ledger once or not at all; a retry with its key makes it once
    const store = app.get<symbol, EventStore>(EVENT_STORE);
    const before = await eventsByCommand(store);
    const failed = sent.filter((request) => request.status !== 201);
    const appendedThough503 = failed.filter((request) => before.has(commandIdOf(request.key, request.path))).length;
    for (const request of sent.filter((request) => request.status === 201))
      expect(before.get(commandIdOf(request.key, request.path))).toHaveLength(1);
    for (const request of failed) {
      const retry = await call(base, 'POST', request.path, {
        token: tokens.assessor,
        key: request.key,
        body: evidence(request.key),
      });
      expect(retry.status).toBe(201);
    }
    const after = await eventsByCommand(store);
    const notOnce = sent.filter((request) => after.get(commandIdOf(request.key, request.path))?.length !== 1);
    expect(notOnce).toEqual([]);

    const audit = await call(base, 'GET', '/audit/verify', { token: tokens.auditor });
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ ok: true, broken: [] });
    const sql = app.get<symbol, SqlClient>(SQL_CLIENT);
    const catchUpMs = await expectEqualToCleanRebuild(store, sql, 30_000);

    recordFigures('postgres-outage', {
      writers: WRITERS,
      requests: tally.requests,
      responsesByClass: tally.byClass,
      responsesByStatus: tally.byStatus,
      requestsDuringOutage: during.length,
      outageMs: phases.restartedAt - phases.stoppedAt,
      hung: 0,
      healthDuringOutage: health.status,
      timeToRecoverMs: firstAfter.answeredAt - phases.restartedAt,
      commandsAnswered503ButAppended: appendedThough503,
      retriedWithSameKey: failed.length,
      eventsLost: 0,
      eventsDuplicated: notOnce.length,
      auditChainOk: audit.body.ok,
      projectionCatchUpAfterRecoveryMs: catchUpMs,
      readModelsEqualRebuild: true,
    });
  });
});

describe('faults: a client that disconnects mid-request', () => {
  let api: ApiHarness;
  let base: string;
  let token: string;

  beforeAll(async () => {
    api = await startApi();
    base = await listening(api);
    token = await api.token(assessor);
    await seedIssuer(base, { admin: await api.token(admin), assessor: token });
  });
  afterAll(() => api?.close());

  it('leaves each command applied once or not at all, and a retry with its key makes it exactly once', async () => {
    const COMMANDS = 40;
    const { port } = new URL(base);
    const abortAfterSending = (key: string, afterMs: number) =>
      new Promise<void>((resolve) => {
        const body = JSON.stringify(evidence(key));
        const request = httpRequest({
          host: '127.0.0.1',
          port: Number(port),
          method: 'POST',
          path: `/learners/${key}/achievements/sql/evidence`,
          headers: {
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        });
        request.on('error', () => resolve());
        request.on('response', (response) => {
          response.resume();
          response.on('end', () => resolve());
        });
        request.end(body, () => setTimeout(() => request.destroy(), afterMs));
        request.on('close', () => resolve());
      });
    const keys = Array.from({ length: COMMANDS }, (_, index) => `gone-${index}`);
    // From "at once" to "after the api has most likely answered": the abort lands at every stage of the command
    await Promise.all(keys.map((key, index) => abortAfterSending(key, index % 20)));
    await sleep(1_000);

    const store = api.app.get<symbol, EventStore>(EVENT_STORE);
    const before = await eventsByCommand(store);
    const happened = keys.filter((key) => before.has(commandIdOf(key, `/learners/${key}/achievements/sql/evidence`)));
    expect(
      keys.filter(
        (key) => (before.get(commandIdOf(key, `/learners/${key}/achievements/sql/evidence`))?.length ?? 1) !== 1,
      ),
    ).toEqual([]);

    const retries = await Promise.all(
      keys.map((key) =>
        call(base, 'POST', `/learners/${key}/achievements/sql/evidence`, { token, key, body: evidence(key) }),
      ),
    );
    expect(retries.map((retry) => retry.status)).toEqual(Array(COMMANDS).fill(201));
    const after = await eventsByCommand(store);
    expect(
      keys.filter((key) => after.get(commandIdOf(key, `/learners/${key}/achievements/sql/evidence`))?.length !== 1),
    ).toEqual([]);
    recordFigures('client-disconnect', {
      commands: COMMANDS,
      appliedBeforeRetry: happened.length,
      notAppliedBeforeRetry: COMMANDS - happened.length,
      replayedOnRetry: retries.filter((retry) => retry.headers.get('idempotent-replayed') === 'true').length,
      eventsDuplicated: 0,
      eventsLost: 0,
    });
  });
});

import type { EventStore, RecordedEvent, SqlClient } from '@app/event-store';
import type { Actor } from '../../apps/api/src/auth/actor';
import { EVENT_STORE, SQL_CLIENT } from '../../apps/api/src/storage.tokens';
import { type ApiHarness, definition, startApi } from '../support/api-harness';
import { expectEqualToCleanRebuild } from '../support/read-models';
import { type Answer, call, listening, postCommandId } from './support/http';
import { recordFigures, StatusTally } from './support/results';

const CLIENTS = 200;
/** How often a client repeats a command the api answered 409 concurrency-conflict (the api retried 5 times itself). */
const CLIENT_RETRIES = 15;
const assessor: Actor = { sub: 'load-assessor', roles: ['assessor', 'issuer-admin'], issuers: ['tu-dublin'] };
const admin: Actor = { sub: 'root', roles: ['admin'], issuers: [] };

interface Success {
  readonly key: string;
  readonly commandId: string;
  readonly position: string;
}

/**
 * 200 clients over real connections at once: half on one learner's record (every command contends for the same
 * stream), half on a record each; each submits evidence, assesses it and asks for the award.
 */
describe('load: 200 concurrent clients', () => {
  let api: ApiHarness;
  let base: string;
  let store: EventStore;
  let sql: SqlClient;
  let token: string;
  const allEvents = () => store.readAll({ maxCount: 1_000_000, visibility: 'committed' });

  beforeAll(async () => {
    api = await startApi();
    base = await listening(api);
    store = api.app.get<symbol, EventStore>(EVENT_STORE);
    sql = api.app.get<symbol, SqlClient>(SQL_CLIENT);
    token = await api.token(assessor);
    const issuer = await call(base, 'POST', '/issuers', {
      token: await api.token(admin),
      body: { id: 'tu-dublin', name: 'TU Dublin', url: 'https://tudublin.ie', country: 'IE', qualityAssurance: 'QQI' },
    });
    expect(issuer.status).toBe(201);
    const achievement = await call(base, 'POST', '/achievements', {
      token,
      body: { id: 'sql', issuerId: 'tu-dublin', ...definition() },
    });
    expect(achievement.status).toBe(201);
  });
  afterAll(() => api?.close());

  it('loses and duplicates nothing, answers no 5xx, keeps revisions contiguous, and its read models equal a rebuild', async () => {
    const tally = new StatusTally();
    const successes: Success[] = [];
    const codes: Record<string, number> = {};
    let clientRetries = 0;
    let gaveUp = 0;

    /** A command under its own Idempotency-Key, repeated after a concurrency conflict with a growing, jittered pause. */
    const command = async (path: string, key: string, body: object = {}): Promise<Answer> => {
      for (let attempt = 1; ; attempt++) {
        const answer = await call(base, 'POST', path, { token, body, key });
        tally.add(answer.status);
        if (answer.status >= 400) {
          const code = String(answer.body.code ?? answer.body.type);
          codes[code] = (codes[code] ?? 0) + 1;
        }
        if (answer.status < 300)
          successes.push({
            key,
            commandId: postCommandId(assessor.sub, key, path, body),
            position: String(answer.body.position),
          });
        if (answer.status !== 409 || answer.body.code !== 'concurrency-conflict') return answer;
        if (attempt > CLIENT_RETRIES) {
          gaveUp++;
          return answer;
        }
        clientRetries++;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * attempt));
      }
    };

    const client = async (index: number) => {
      const learner = index < CLIENTS / 2 ? 'shared' : `solo-${index}`;
      const record = `/learners/${learner}/achievements/sql`;
      const evidence = await command(`${record}/evidence`, `load-${index}-evidence`, {
        kind: 'accomplishment',
        criterionIds: ['joins', 'aggregates'],
        description: `Work of client ${index}`,
        observedAt: '2026-03-01T10:00:00Z',
      });
      if (evidence.status !== 201) return;
      const assessment = await command(`${record}/assessments`, `load-${index}-assessment`, {
        evidenceIds: [evidence.body.evidenceId],
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met: index % 3 !== 0 },
        ],
      });
      if (assessment.status !== 201) return;
      await command(`${record}/award`, `load-${index}-award`);
    };

    const started = Date.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, index) => client(index)));
    const elapsedMs = Date.now() - started;

    // Every answer: 2xx, or 409 (a domain conflict, or a concurrency conflict the client then retried)
    expect(tally.count('5xx')).toBe(0);
    expect(tally.count('no response')).toBe(0);
    // already-awarded: the shared record's award went to the first; no-passing-assessment: a third of the assessments fail
    for (const code of Object.keys(codes))
      expect(['concurrency-conflict', 'already-awarded', 'no-passing-assessment']).toContain(code);
    expect(gaveUp).toBe(0);

    const events = await allEvents();
    // Revisions 0, 1, 2, … in each stream, in the order of global positions
    const revisions = new Map<string, bigint[]>();
    for (const event of events) revisions.set(event.stream, [...(revisions.get(event.stream) ?? []), event.revision]);
    const gaps = [...revisions].filter(([, list]) => list.some((revision, index) => revision !== BigInt(index)));
    expect(gaps).toEqual([]);

    // Each 2xx answer's command is in the ledger exactly once; no refused command left anything behind
    const byCommand = new Map<string, RecordedEvent[]>();
    for (const event of events) {
      const id = String(event.metadata.commandId);
      byCommand.set(id, [...(byCommand.get(id) ?? []), event]);
    }
    const lost = successes.filter(({ commandId }) => !byCommand.has(commandId));
    const duplicated = successes.filter(({ commandId }) => {
      const types = (byCommand.get(commandId) ?? []).map((event) => event.type);
      return new Set(types).size !== types.length;
    });
    const misplaced = successes.filter(
      ({ commandId, position }) => byCommand.get(commandId)?.at(-1)?.position.toString() !== position,
    );
    const answered = new Set(successes.map(({ commandId }) => commandId));
    const unanswered = events.filter(
      (event) =>
        event.stream.startsWith('record-') &&
        (event.metadata.actor as { sub?: string } | undefined)?.sub === assessor.sub &&
        !answered.has(String(event.metadata.commandId)),
    );
    expect(lost).toEqual([]);
    expect(duplicated).toEqual([]);
    expect(misplaced).toEqual([]);
    expect(unanswered).toEqual([]);
    // The shared record holds one award; each distinct one whose assessment passed holds its own
    const awarded = successes.filter(({ key }) => key.endsWith('-award')).length;
    const soloPassing = Array.from({ length: CLIENTS / 2 }, (_, index) => index + CLIENTS / 2).filter(
      (i) => i % 3 !== 0,
    );
    expect(awarded).toBe(1 + soloPassing.length);

    // The read models, caught up, equal a rebuild from the ledger
    const catchUpMs = await expectEqualToCleanRebuild(store, sql, 60_000);

    recordFigures('load', {
      clients: CLIENTS,
      requests: tally.requests,
      responsesByClass: tally.byClass,
      responsesByStatus: tally.byStatus,
      problemCodes: codes,
      clientRetriesAfterConcurrencyConflict: clientRetries,
      clientsGaveUp: gaveUp,
      commandsSucceeded: successes.length,
      eventsInLedger: events.length,
      eventsLost: lost.length,
      eventsDuplicated: duplicated.length,
      eventsWithoutA2xx: unanswered.length,
      streamsWithRevisionGaps: gaps.length,
      elapsedMs,
      requestsPerSecond: Math.round((tally.requests / elapsedMs) * 1000),
      projectionCatchUpAfterLoadMs: catchUpMs,
      readModelsEqualRebuild: true,
    });
  });

  it('answers the same Idempotency-Key sent 20 times at once with one append and 20 identical answers', async () => {
    const key = 'same-key-twenty-times';
    const path = '/learners/idem/achievements/sql/evidence';
    const body = {
      kind: 'accomplishment',
      criterionIds: ['joins'],
      description: 'Sent twenty times',
      observedAt: '2026-03-01T10:00:00Z',
    };
    const before = (await allEvents()).length;
    const answers = await Promise.all(Array.from({ length: 20 }, () => call(base, 'POST', path, { token, key, body })));
    const events = await allEvents();
    const appended = events.filter(
      (event) => event.metadata.commandId === postCommandId(assessor.sub, key, path, body),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(appended).toHaveLength(1);
    expect(events.length - before).toBe(1);
    recordFigures('idempotency', {
      concurrentRequests: 20,
      statuses: [...new Set(answers.map((answer) => answer.status))],
      distinctBodies: new Set(answers.map((answer) => answer.text)).size,
      replayedHeader: answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true').length,
      eventsAppended: events.length - before,
    });
  });
});

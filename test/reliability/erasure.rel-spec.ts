import { createHash } from 'node:crypto';
import { deriveId } from '@app/application';
import { learnerStream } from '@app/domain';
import type { EventStore, SqlClient } from '@app/event-store';
import { decodeJwt } from 'jose';
import type { Actor } from '../../apps/api/src/auth/actor';
import { EVENT_STORE, SQL_CLIENT } from '../../apps/api/src/storage.tokens';
import { type ApiHarness, startApi } from '../support/api-harness';
import { type Answer, call, listening } from './support/http';
import { recordFigures } from './support/results';
import { LEARNER, seedWorld, WORLD_ENV } from './support/world';

const registrar: Actor = { sub: 'erasure-registrar', roles: ['registrar'], issuers: ['tu-dublin'] };
const auditor: Actor = { sub: 'erasure-auditor', roles: ['auditor'], issuers: ['tu-dublin'] };
const NAME = 'Augusta Ada Lovelace';
const EMAIL = 'Augusta.Lovelace@Example.edu';

/** Everything the api printed while the test ran: its logs are one more place personal data could linger. */
function captureOutput(): { text: () => string; stop: () => void } {
  const chunks: string[] = [];
  const originals = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
  const tap =
    (original: typeof originals.out) =>
    (chunk: unknown, ...rest: unknown[]): boolean => {
      chunks.push(String(chunk));
      return (original as (...args: unknown[]) => boolean)(chunk, ...rest);
    };
  process.stdout.write = tap(originals.out) as typeof process.stdout.write;
  process.stderr.write = tap(originals.err) as typeof process.stderr.write;
  return {
    text: () => chunks.join(''),
    stop: () => {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
    },
  };
}

/**
 * What a keyed profile PUT could leave that a guessed name and email can be tested against: the SHA-256 of the request
 * (as the key was once kept under), the command id derived from the key with or without it, and the first event's id.
 */
function fingerprintsOf(subject: string, key: string, body: object): string[] {
  const hash = createHash('sha256')
    .update(`PUT /learners/${LEARNER}/profile\n${JSON.stringify(body)}`)
    .digest('hex');
  const commandIds = [deriveId('command', subject, key), deriveId('command', subject, key, hash)];
  return [hash, ...commandIds, ...commandIds.map((commandId) => deriveId(commandId, learnerStream(LEARNER), '0'))];
}

/**
 * After `DELETE /learners/:id/profile`, the learner's name and email, and the salted identity hash credentials
 * carried, and the fingerprints of the keyed request that gave them, appear nowhere Tessera keeps or prints anything: events (data and metadata), every table of the database,
 * credentials served (JSON, and the JWT's payload), and the api's log output. The audit chain still verifies.
 */
describe('erasure leaves no personal data readable', () => {
  let api: ApiHarness;
  let base: string;
  let output: ReturnType<typeof captureOutput>;
  const tokens = { registrar: '', auditor: '' };

  beforeAll(async () => {
    output = captureOutput();
    // The api logs at its production levels (under Jest, NODE_ENV=test keeps only errors and warnings)
    const testEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      api = await startApi(WORLD_ENV);
    } finally {
      process.env.NODE_ENV = testEnv;
    }
    base = await listening(api);
    tokens.registrar = await api.token(registrar);
    tokens.auditor = await api.token(auditor);
  });
  afterAll(async () => {
    output?.stop();
    await api?.close();
  });

  it('scrubs events, every table, credentials and logs, and the audit chain still verifies', async () => {
    const world = (await seedWorld(api)).own;
    const profile = (body: object, key?: string) =>
      call(base, 'PUT', `/learners/${LEARNER}/profile`, { token: tokens.registrar, body, key });
    expect((await profile({ name: NAME, email: EMAIL }, 'profile-with-key')).status).toBe(200);
    // A refused update carrying personal data too, so a problem document or a log line could hold it
    expect((await profile({ name: NAME, email: `${NAME} <${EMAIL}>` })).status).toBe(400);

    const credentialJson = await call(base, 'GET', `/awards/${world.awardId}/credential`);
    const credentialJwt = await call(base, 'GET', `/awards/${world.awardId}/credential?format=jwt`);
    expect(credentialJson.status).toBe(200);
    const identity = JSON.stringify(credentialJson.body).match(/"identityHash":"([^"]+)".*?"salt":"([^"]+)"/);
    expect(identity).not.toBeNull(); // while the profile exists, credentials name the learner by a salted hash
    const [, identityHash, salt] = identity!;
    const personal = [
      NAME,
      EMAIL,
      EMAIL.toLowerCase(),
      `${LEARNER} Example`,
      `${LEARNER}@example.edu`,
      identityHash,
      salt,
      ...fingerprintsOf(registrar.sub, 'profile-with-key', { name: NAME, email: EMAIL }),
    ];
    const clrBefore = await call(base, 'GET', `/learners/${LEARNER}/clr?issuer=${world.issuerId}`, {
      token: tokens.registrar,
    });

    const erased = await call(base, 'DELETE', `/learners/${LEARNER}/profile`, { token: tokens.registrar });
    expect(erased.status).toBe(200);

    const store = api.app.get<symbol, EventStore>(EVENT_STORE);
    const sql = api.app.get<symbol, SqlClient>(SQL_CLIENT);
    const found: string[] = [];
    const look = (where: string, text: string) => {
      for (const value of personal)
        if (text.toLowerCase().includes(value.toLowerCase())) found.push(`${where}: ${value}`);
    };

    const events = await store.readAll({ maxCount: 1_000_000, visibility: 'committed' });
    look(
      'events',
      JSON.stringify(events, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
    );

    const tables = await sql.query<{ schema: string; name: string }>(
      `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
       WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'`,
    );
    expect(tables.length).toBeGreaterThan(5);
    for (const { schema, name } of tables) {
      const rows = await sql.query<{ row: string }>(`SELECT t::text AS row FROM "${schema}"."${name}" t`);
      look(`table ${schema}.${name}`, rows.map(({ row }) => row).join('\n'));
    }

    const answers: Array<[string, Answer]> = [
      ['credential json', await call(base, 'GET', `/awards/${world.awardId}/credential`)],
      ['credential jwt', await call(base, 'GET', `/awards/${world.awardId}/credential?format=jwt`)],
      [
        'clr',
        await call(base, 'GET', `/learners/${LEARNER}/clr?issuer=${world.issuerId}`, { token: tokens.registrar }),
      ],
      [
        'clr jwt',
        await call(base, 'GET', `/learners/${LEARNER}/clr?issuer=${world.issuerId}&format=jwt`, {
          token: tokens.registrar,
        }),
      ],
      ['qualification', await call(base, 'GET', `/qualifications/${world.qualificationId}/credential`)],
      ['transcript', await call(base, 'GET', `/learners/${LEARNER}/transcript`, { token: tokens.registrar })],
      ['history', await call(base, 'GET', `/learners/${LEARNER}/history`, { token: tokens.auditor })],
      ['profile', await call(base, 'GET', `/learners/${LEARNER}/profile`, { token: tokens.registrar })],
    ];
    for (const [what, answer] of answers) {
      look(what, answer.text);
      const jwt = answer.text.trim().replace(/^"|"$/g, '');
      if (/^[\w-]+\.[\w-]+\.[\w-]*$/.test(jwt)) look(`${what} payload`, JSON.stringify(decodeJwt(jwt)));
    }
    expect(credentialJwt.status).toBe(200);
    const audit = await call(base, 'GET', '/audit/verify', { token: tokens.auditor });
    look('api output', output.text());

    recordFigures('erasure', {
      personalValuesSearched: personal.length,
      eventsScanned: events.length,
      tablesScanned: tables.map(({ schema, name }) => `${schema}.${name}`),
      answersScanned: answers.map(([what, answer]) => `${what} (${answer.status})`),
      clrBeforeErasure: clrBefore.status,
      logBytesScanned: output.text().length,
      personalDataFound: found,
      auditChainOk: audit.body.ok,
    });
    expect(answers.map(([, answer]) => answer.status)).toEqual([200, 200, 200, 200, 200, 200, 200, 404]);
    expect(output.text().length).toBeGreaterThan(0);
    expect(found).toEqual([]);
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ ok: true, broken: [] });
  });
});

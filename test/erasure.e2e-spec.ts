import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { deriveId } from '@app/application';
import { learnerStream } from '@app/domain';
import type { EventStore } from '@app/event-store';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { type ApiHarness, startApi } from './support/api-harness';

describe('learner personal data and its erasure', () => {
  let api: ApiHarness;
  const registrar: Actor = { sub: 'registrar', roles: ['registrar'], issuers: ['tu-dublin'] };
  const ada: Actor = { sub: 'ada-login', roles: ['learner'], issuers: [], learner: 'ada' };
  const bob: Actor = { sub: 'bob-login', roles: ['learner'], issuers: [], learner: 'bob' };
  const tokens = new Map<Actor, string>();
  const as = (actor: Actor) => ({ Authorization: `Bearer ${tokens.get(actor)}` });
  const ledgerText = async () =>
    JSON.stringify(
      await api.app.get<symbol, EventStore>(EVENT_STORE).readAll({ maxCount: 1_000_000, visibility: 'committed' }),
      (_key, value) => (typeof value === 'bigint' ? value.toString() : value),
    );

  beforeAll(async () => {
    api = await startApi();
    for (const actor of [registrar, ada, bob]) tokens.set(actor, await api.token(actor));
  });
  afterAll(() => api?.close());

  it('keeps name and email out of the ledger, lets only the registrar and the learner see them, and erases them', async () => {
    await api
      .http()
      .put('/learners/ada/profile')
      .set(as(registrar))
      .send({ name: 'Ada Lovelace', email: 'ada@example.edu' })
      .expect(200);
    await api
      .http()
      .put('/learners/ada/profile')
      .set(as(ada))
      .send({ name: 'Ada King', email: 'ada.king@example.edu' })
      .expect(200);
    await api
      .http()
      .put('/learners/ada/profile')
      .set(as(bob))
      .send({ name: 'Not Bob', email: 'x@example.edu' })
      .expect(403);
    await api
      .http()
      .put('/learners/ada/profile')
      .set(as(registrar))
      .send({ name: 'Ada', email: 'not-an-email' })
      .expect(400);

    expect((await api.http().get('/learners/ada/profile').set(as(ada)).expect(200)).body).toEqual({
      learnerId: 'ada',
      name: 'Ada King',
      email: 'ada.king@example.edu',
    });
    await api.http().get('/learners/ada/profile').set(as(bob)).expect(403);
    const before = await ledgerText();
    expect(before).toContain('LearnerProfileRecorded');
    for (const personal of ['Ada Lovelace', 'ada@example.edu', 'Ada King', 'ada.king@example.edu'])
      expect(before).not.toContain(personal);

    const erased = await api.http().delete('/learners/ada/profile').set(as(registrar)).expect(200);
    expect(erased.body).toMatchObject({ learnerId: 'ada', erased: true });
    const gone = await api.http().get('/learners/ada/profile').set(as(registrar)).expect(404);
    expect(gone.body.detail).toMatch(/erased/);
    await api.http().delete('/learners/ada/profile').set(as(registrar)).expect(404);

    const after = await ledgerText();
    expect(after).toContain('LearnerProfileErased');
    for (const personal of ['Ada Lovelace', 'ada@example.edu', 'Ada King', 'ada.king@example.edu'])
      expect(after).not.toContain(personal);
    const { Client } = await import('pg');
    const client = new Client({ connectionString: api.database.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT count(*)::int AS n FROM tessera_learner_profiles WHERE learner_id = 'ada'",
    );
    await client.end();
    expect(rows[0].n).toBe(0);
  });
  it('leaves no fingerprint of the personal data after erasure: no hash of a keyed request, no id derived from one', async () => {
    const cyd: Actor = { sub: 'cyd-login', roles: ['learner'], issuers: [], learner: 'cyd' };
    tokens.set(cyd, await api.token(cyd));
    const path = '/learners/cyd/profile';
    const given: Array<[Actor, string, { name: string; email: string }]> = [
      [registrar, 'cyd-profile-1', { name: 'Cyd Ferris', email: 'cyd.ferris@example.edu' }],
      [cyd, 'cyd-profile-2', { name: 'Cydney Ferris', email: 'cydney@example.org' }],
    ];
    for (const [actor, key, body] of given)
      await api.http().put(path).set(as(actor)).set('Idempotency-Key', key).send(body).expect(200);
    await api.http().delete(path).set(as(registrar)).set('Idempotency-Key', 'cyd-erase').expect(200);

    // Every form a guessed name and email could be tested against: the request hash the key was kept under, the command
    // ids derived from the key (with and without that hash), and the profile events' ids derived from those.
    const forms = given.flatMap(([actor, key, body]) => {
      const bodies = [body, { email: body.email, name: body.name }].map((variant) => JSON.stringify(variant));
      const hashes = bodies.flatMap((json) =>
        [`PUT ${path}\n${json}`, `PUT ${path}${json}`, json].map((text) =>
          createHash('sha256').update(text).digest('hex'),
        ),
      );
      const commandIds = [
        deriveId('command', actor.sub, key),
        ...hashes.map((hash) => deriveId('command', actor.sub, key, hash)),
      ];
      const eventIds = commandIds.map((commandId) => deriveId(commandId, learnerStream('cyd'), '0'));
      return [
        body.name,
        body.email,
        createHash('sha256').update(body.email).digest('hex'),
        ...hashes,
        ...commandIds,
        ...eventIds,
      ];
    });
    const dump = execFileSync('pg_dump', ['--data-only', '--no-owner', api.database.url], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    }).toLowerCase();
    // The dump is the database: it holds the learner's profile events and the keys the requests were kept under.
    expect(dump).toContain('learnerprofileerased');
    expect(dump).toContain('cyd-profile-1');
    expect(forms.length).toBe(2 * (3 + 6 + 7 + 7));
    expect(forms.filter((form) => dump.includes(form.toLowerCase()))).toEqual([]);

    // A keyed PUT from before the erasure, retried after it, can no longer be told from another request: refused,
    // never replayed nor applied again, so a late retry cannot bring the data back.
    const [actor, key, body] = given[0];
    const retried = await api.http().put(path).set(as(actor)).set('Idempotency-Key', key).send(body).expect(422);
    expect(retried.body.type).toBe('urn:tessera:problem:idempotency-key-reused');
    await api.http().get(path).set(as(registrar)).expect(404);
  });
});

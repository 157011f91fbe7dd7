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
});

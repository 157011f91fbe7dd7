import { type ImportKind, RecordImporter, StreamCommands } from '@app/application';
import type { EventStore } from '@app/event-store';
import type { Actor } from '../apps/api/src/auth/actor';
import { EVENT_STORE } from '../apps/api/src/storage.tokens';
import { certificatePathway, definition, issuer, startApi, type ApiHarness } from './support/api-harness';

/**
 * Records moved from another system: evidence, assessments and awards carry when they happened, which lies before
 * they are recorded. `?asOf=` reads the ledger as it knew things then (by recording time); `?effectiveAt=` reads what
 * the learner had achieved by then, by the dates things happened.
 */
describe('historical records over HTTP', () => {
  let api: ApiHarness;
  const tokens: Record<string, string> = {};
  const actors: Record<string, Actor> = {
    admin: { sub: 'root', roles: ['admin'], issuers: [] },
    staff: { sub: 'tu-staff', roles: ['issuer-admin', 'assessor'], issuers: ['tu-dublin'] },
    registrar: { sub: 'registry', roles: ['registrar'], issuers: ['tu-dublin'] },
    auditor: { sub: 'audit-office', roles: ['auditor'], issuers: ['tu-dublin'] },
  };
  const post = (who: string, path: string, body: object = {}) =>
    api.http().post(path).set('Authorization', `Bearer ${tokens[who]}`).send(body);
  const transcript = async (learnerId: string, query: Record<string, string>) =>
    (
      await api
        .http()
        .get(`/learners/${learnerId}/transcript?${new URLSearchParams(query)}`)
        .set('Authorization', `Bearer ${tokens.registrar}`)
        .expect(200)
    ).body as {
      asOf?: string;
      effectiveAt?: string;
      awards: Array<{ awardId: string; status: string; issuedAt: string; validUntil?: string }>;
      creditTotals: Array<{ framework: string; value: number }>;
    };
  const get = (path: string, query: Record<string, string> = {}, who = 'registrar') =>
    api
      .http()
      .get(`${path}?${new URLSearchParams(query)}`)
      .set('Authorization', `Bearer ${tokens[who]}`);
  const progress = async (query: Record<string, string>) =>
    (await get('/learners/grace/pathways/cert-sql/progress', query).expect(200)).body as {
      asOf?: string;
      effectiveAt?: string;
      satisfied: boolean;
      countedAwards: string[];
      missing: Array<{ type: string; achievementId?: string }>;
    };
  const record = (learnerId: string, path: string, body: object) =>
    post('staff', `/learners/${learnerId}/achievements/sql/${path}`, body);

  let recordedAt: string;
  /** After grace's evidence was recorded, before her assessment and award were. */
  let evidenceOnly: string;
  let awardId: string;
  let position: string;
  beforeAll(async () => {
    api = await startApi();
    for (const [name, actor] of Object.entries(actors)) tokens[name] = await api.token(actor);
    await post('admin', '/issuers', issuer()).expect(201);
    await post('staff', '/achievements', {
      id: 'sql',
      issuerId: 'tu-dublin',
      ...definition({ validity: 'P1Y' }),
    }).expect(201);
    await post(
      'staff',
      '/pathways',
      certificatePathway({ rule: { achievement: 'sql' }, conferral: 'registrar' }),
    ).expect(201);
    recordedAt = new Date().toISOString();
    const evidence = await record('grace', 'evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins', 'aggregates'],
      description: 'Capstone work, 2023',
      observedAt: '2023-02-01T10:00:00Z',
    }).expect(201);
    evidenceOnly = new Date().toISOString();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await record('grace', 'assessments', {
      evidenceIds: [evidence.body.evidenceId],
      results: [
        { criterionId: 'joins', met: true },
        { criterionId: 'aggregates', met: true },
      ],
      assessedAt: '2023-02-20T10:00:00Z',
    }).expect(201);
    const awarded = await record('grace', 'award', { awardedAt: '2023-03-01T10:00:00Z' }).expect(201);
    ({ awardId, position } = awarded.body);
    // Validity runs from when it was awarded, not from when it was recorded.
    expect(awarded.body).toMatchObject({
      issuedAt: '2023-03-01T10:00:00.000Z',
      validUntil: '2024-03-01T10:00:00.000Z',
    });
  });
  afterAll(() => api?.close());

  it('reads what had happened by an effective date: the award valid in 2023, expired now, absent before', async () => {
    const during = await transcript('grace', { effectiveAt: '2023-06-30T00:00:00Z', minPosition: position });
    expect(during.effectiveAt).toBe('2023-06-30T00:00:00.000Z');
    expect(during.awards.map((award) => [award.awardId, award.status])).toEqual([[awardId, 'valid']]);
    expect(during.creditTotals.find((total) => total.framework === 'ECTS')?.value).toBe(2);
    expect((await transcript('grace', { effectiveAt: '2023-02-28T00:00:00Z' })).awards).toEqual([]);
    const today = await transcript('grace', {});
    expect(today.awards.map((award) => award.status)).toEqual(['expired']);
    expect(today.creditTotals).toEqual([]);
  });

  it('keeps ?asOf= by recording time: before the records were moved in, the ledger knew nothing of them', async () => {
    const before = await transcript('grace', { asOf: new Date(Date.parse(recordedAt) - 60_000).toISOString() });
    expect(before.awards).toEqual([]);
    // Both: as the ledger knew it a minute from now, what had happened by mid-2023.
    const both = await transcript('grace', {
      asOf: new Date(Date.now() + 60_000).toISOString(),
      effectiveAt: '2023-06-30T00:00:00Z',
    });
    expect(both.asOf).toBeDefined();
    expect(both.awards.map((award) => award.status)).toEqual(['valid']);
  });

  it('refuses dates out of the order of the record, and dates in the future, appending nothing', async () => {
    const evidence = await record('ada', 'evidence', {
      kind: 'accomplishment',
      criterionIds: ['joins', 'aggregates'],
      description: 'Capstone work',
      observedAt: '2024-05-01T10:00:00Z',
    }).expect(201);
    const assess = (assessedAt: string) =>
      record('ada', 'assessments', {
        evidenceIds: [evidence.body.evidenceId],
        results: [
          { criterionId: 'joins', met: true },
          { criterionId: 'aggregates', met: true },
        ],
        assessedAt,
      });
    expect((await assess('2024-04-01T10:00:00Z').expect(422)).body.code).toBe('assessed-before-evidence');
    expect((await assess('2999-01-01T00:00:00Z').expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'assessedAt', code: 'instant-in-future' }),
    ]);
    const assessed = await assess('2024-05-10T10:00:00Z').expect(201);
    expect((await record('ada', 'award', { awardedAt: '2024-05-09T10:00:00Z' }).expect(422)).body.code).toBe(
      'awarded-before-assessment',
    );
    expect((await record('ada', 'award', { awardedAt: 'last tuesday' }).expect(400)).body.errors).toEqual([
      expect.objectContaining({ field: 'awardedAt' }),
    ]);
    const refusedNothing = await transcript('ada', {
      effectiveAt: '2025-01-01T00:00:00Z',
      minPosition: assessed.body.position,
    });
    expect(refusedNothing.awards).toEqual([]);
  });

  it('reads pathway progress at an effective date through the transcript’s fold: met in 2023, not before, not now', async () => {
    const during = await progress({ effectiveAt: '2023-06-30T00:00:00Z' });
    expect(during).toMatchObject({ effectiveAt: '2023-06-30T00:00:00.000Z', satisfied: true, missing: [] });
    expect(during.countedAwards).toEqual([awardId]);
    const before = await progress({ effectiveAt: '2023-02-28T00:00:00Z' });
    expect(before.satisfied).toBe(false);
    expect(before.missing).toEqual([expect.objectContaining({ type: 'achievement', achievementId: 'sql' })]);
    // Now the award has expired (a year from when it was made): the rule is not met today.
    const today = await progress({});
    expect(today.effectiveAt).toBeUndefined();
    expect(today.satisfied).toBe(false);
    // The same answer as the transcript at that date gives: the award it counts is the one valid there.
    const transcriptThen = await transcript('grace', { effectiveAt: '2023-06-30T00:00:00Z' });
    expect(transcriptThen.awards.filter((award) => award.status === 'valid').map((award) => award.awardId)).toEqual(
      during.countedAwards,
    );
  });

  it('takes ?asOf= and ?effectiveAt= together on progress: the ledger as recorded then, at the date things happened', async () => {
    // Recorded then: only the evidence, so nothing had been awarded by mid-2023 as far as the ledger knew.
    const then = await progress({ asOf: evidenceOnly, effectiveAt: '2023-06-30T00:00:00Z' });
    expect(then).toMatchObject({ asOf: evidenceOnly, effectiveAt: '2023-06-30T00:00:00.000Z', satisfied: false });
    expect(then.countedAwards).toEqual([]);
    const later = await progress({
      asOf: new Date(Date.now() + 60_000).toISOString(),
      effectiveAt: '2023-06-30T00:00:00Z',
    });
    expect(later).toMatchObject({ satisfied: true, countedAwards: [awardId] });
    // A minute before the records were moved in, not even the pathway was defined.
    const before = new Date(Date.parse(recordedAt) - 60_000).toISOString();
    const unknown = await get('/learners/grace/pathways/cert-sql/progress', {
      asOf: before,
      effectiveAt: '2023-06-30T00:00:00Z',
    }).expect(404);
    expect(unknown.body.type).toBe('urn:tessera:problem:unknown-pathway');
  });

  it('issues the CLR of what had been achieved by an effective date, and none where nothing valid was held', async () => {
    const clr = (await get('/learners/grace/clr', { effectiveAt: '2023-06-30T00:00:00Z' }).expect(200)).body as {
      id: string;
      description: string;
      credentialSubject: { verifiableCredential: Array<{ id: string }> };
    };
    expect(clr.id).toContain(`effectiveAt=${encodeURIComponent('2023-06-30T00:00:00.000Z')}`);
    expect(clr.description).toContain('by 2023-06-30T00:00:00.000Z');
    expect(clr.credentialSubject.verifiableCredential.map((credential) => credential.id)).toEqual([
      expect.stringContaining(awardId),
    ]);
    // Today the award has expired, and before it was made there was nothing: 404 empty-record both.
    for (const query of [{} as Record<string, string>, { effectiveAt: '2023-02-28T00:00:00Z' }])
      expect((await get('/learners/grace/clr', query).expect(404)).body.type).toBe('urn:tessera:problem:empty-record');
    // With ?asOf= before the records were moved in, the ledger knew of no award then.
    await get('/learners/grace/clr', {
      asOf: new Date(Date.parse(recordedAt) - 60_000).toISOString(),
      effectiveAt: '2023-06-30T00:00:00Z',
    }).expect(404);
  });

  it('answers a clear 400 problem for an effectiveAt that is no instant, on the transcript, progress and the CLR', async () => {
    for (const path of [
      '/learners/grace/transcript',
      '/learners/grace/pathways/cert-sql/progress',
      '/learners/grace/clr',
    ]) {
      const refused = await get(path, { effectiveAt: 'yesterday' }).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(refused.body.errors)).toContain('effectiveAt must be an ISO 8601 instant');
      const both = await get(path, { asOf: 'now', effectiveAt: '2023-13-01' }).expect(400);
      expect(JSON.stringify(both.body.errors)).toContain('asOf must be an ISO 8601 instant');
      expect(JSON.stringify(both.body.errors)).toContain('effectiveAt must be an ISO 8601 instant');
    }
  });

  // "The transcript as of this event" is as of its position, not its instant: a bulk import (`tessera import`) appends
  // a batch of awards in one append, so they share one timestamp; ?asOf= that instant shows them all, ?asOfPosition=
  // the ledger just after each one.
  const auditorGet = (path: string, query: Record<string, string> = {}) => get(path, query, 'auditor');
  type History = {
    events: Array<{ type: string; position: string; recordedAt: string; data: { achievementId?: string } }>;
  };
  const batched = ['sql', 'modelling', 'ethics', 'viz'];
  /** Each kind's CSV columns, and its row for one of mary's achievements (as `tessera import` reads them). */
  const csv: Record<ImportKind, [string, (id: string) => string[]]> = {
    evidence: [
      'evidenceRef,achievementId,kind,criterionIds,description,observedAt',
      (id) => [`ev-${id}`, id, 'accomplishment', 'joins;aggregates', `Work for ${id}`, '2025-01-10T10:00:00Z'],
    ],
    assessments: [
      'assessmentRef,achievementId,evidenceRefs,met,assessedAt',
      (id) => [`as-${id}`, id, `ev-${id}`, 'joins;aggregates', '2025-01-20T10:00:00Z'],
    ],
    awards: [
      'awardRef,achievementId,assessmentRef,awardedAt',
      (id) => [`aw-${id}`, id, `as-${id}`, '2025-02-01T10:00:00Z'],
    ],
  };
  const rowOf = (kind: ImportKind, id: string): Record<string, string> => {
    const [columns, values] = csv[kind];
    return Object.fromEntries(columns.split(',').map((column, index) => [column, values(id)[index]]));
  };
  beforeAll(async () => {
    const store = api.app.get<symbol, EventStore>(EVENT_STORE);
    for (const id of batched.slice(1))
      await post('staff', '/achievements', { id, issuerId: 'tu-dublin', ...definition({ title: id }) }).expect(201);
    for (const kind of ['evidence', 'assessments', 'awards'] as const) {
      // One batch of rows, appended in one append.
      const importer = new RecordImporter(store, new StreamCommands(store), {
        kind,
        actorSub: 'cli:registry',
        now: new Date().toISOString(),
        correlationId: `batch-${kind}`,
      });
      const rows = batched.map((id, index) => ({ line: index + 2, fields: { learnerId: 'mary', ...rowOf(kind, id) } }));
      expect((await importer.importBatch(rows)).map((result) => result.status)).toEqual(rows.map(() => 'appended'));
    }
  });

  it('shows the ledger just after each of four awards that share one timestamp', async () => {
    const history = (await auditorGet('/learners/mary/history').expect(200)).body as History;
    const awards = history.events.filter((event) => event.type === 'AchievementAwarded');
    expect(awards).toHaveLength(4);
    // One batch append: one instant for all four, four positions.
    expect(new Set(awards.map((event) => event.recordedAt)).size).toBe(1);
    expect(new Set(awards.map((event) => event.position)).size).toBe(4);

    // By instant, the four are one: as of it, all are there.
    const byInstant = (await auditorGet('/learners/mary/transcript', { asOf: awards[0].recordedAt }).expect(200))
      .body as { awards: unknown[] };
    expect(byInstant.awards).toHaveLength(4);
    // By position, each award is its own step.
    for (const [index, event] of awards.entries()) {
      const transcript = (await auditorGet('/learners/mary/transcript', { asOfPosition: event.position }).expect(200))
        .body as { asOfPosition: string; asOf?: string; awards: Array<{ achievementId: string }> };
      expect(transcript.asOfPosition).toBe(event.position);
      expect(transcript.asOf).toBeUndefined();
      expect(transcript.awards).toHaveLength(index + 1);
      // In the order of the batch's positions.
      expect(transcript.awards.map((award) => award.achievementId)).toEqual(
        awards.slice(0, index + 1).map((award) => award.data.achievementId),
      );
    }
    // Before the first award: the assessments only, no award.
    const before = (BigInt(awards[0].position) - 1n).toString();
    expect((await auditorGet('/learners/mary/transcript', { asOfPosition: before }).expect(200)).body.awards).toEqual(
      [],
    );
  });

  it('reads a position with ?effectiveAt= too, through the same fold', async () => {
    const history = (await auditorGet('/learners/mary/history').expect(200)).body as History;
    const second = history.events.filter((event) => event.type === 'AchievementAwarded')[1];
    const during = (
      await auditorGet('/learners/mary/transcript', {
        asOfPosition: second.position,
        effectiveAt: '2025-06-01T00:00:00Z',
      }).expect(200)
    ).body as { effectiveAt: string; awards: unknown[] };
    expect(during.effectiveAt).toBe('2025-06-01T00:00:00.000Z');
    expect(during.awards).toHaveLength(2);
    const earlier = await auditorGet('/learners/mary/transcript', {
      asOfPosition: second.position,
      effectiveAt: '2025-01-31T00:00:00Z',
    }).expect(200);
    expect(earlier.body.awards).toEqual([]);
  });

  it('refuses a malformed position, and one given with ?asOf=, as 400 problems', async () => {
    for (const asOfPosition of ['-1', 'latest', '1.5']) {
      const refused = await auditorGet('/learners/mary/transcript', { asOfPosition }).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(JSON.stringify(refused.body.errors)).toContain('asOfPosition must be a global position');
    }
    const both = await auditorGet('/learners/mary/transcript', {
      asOfPosition: '1',
      asOf: new Date().toISOString(),
    }).expect(400);
    expect(both.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(both.body)).toContain('give asOf or asOfPosition, not both');
  });
});

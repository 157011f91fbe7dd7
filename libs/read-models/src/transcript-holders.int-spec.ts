import { pgliteSqlClient, pgSqlClient, type RecordedEvent, type SqlClient } from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { migrateReadSide } from './typeorm/read-side';
import { learnersHoldingAny, loadTranscriptStates, transcriptProjection } from './transcript.projection';

/** The impact route's read: learners holding any of some achievements, paged by learner id, on both databases. */
describe.each(['PostgreSQL', 'PGlite'])('learners holding any of some achievements, on %s', (kind) => {
  let database: ThrowawayDatabase | undefined;
  let sql: SqlClient;
  let position = 0n;

  const awarded = (learnerId: string, achievementId: string, awardId: string): RecordedEvent => {
    position += 1n;
    return {
      id: `event-${position}`,
      stream: `record-${learnerId}~${achievementId}`,
      revision: 0n,
      position,
      type: 'AchievementAwarded',
      recordedAt: new Date('2026-03-01T10:00:00Z'),
      data: {
        schemaVersion: 1,
        learnerId,
        achievementId,
        issuerId: 'tu-dublin',
        awardId,
        version: 1,
        assessmentId: `assessment-${awardId}`,
        issuedAt: '2026-03-01T10:00:00Z',
        credits: [{ framework: 'ECTS', value: 5 }],
        level: { framework: 'EQF', level: 6 },
      },
      metadata: {},
    } as RecordedEvent;
  };

  beforeAll(async () => {
    if (kind === 'PostgreSQL') {
      database = await createThrowawayDatabase();
      sql = pgSqlClient(database.url);
    } else sql = await pgliteSqlClient();
    await migrateReadSide(sql);
    // ann holds a twice and b; bob b; cid z only; dee a; eve c
    await transcriptProjection.apply(
      [
        awarded('ann', 'a', 'ann-a-1'),
        awarded('ann', 'a', 'ann-a-2'),
        awarded('ann', 'b', 'ann-b'),
        awarded('bob', 'b', 'bob-b'),
        awarded('cid', 'z', 'cid-z'),
        awarded('dee', 'a', 'dee-a'),
        awarded('eve', 'c', 'eve-c'),
      ],
      sql.query,
    );
  });
  afterAll(async () => {
    await sql.close();
    await database?.drop();
  });

  it('finds each holder once, in id order, leaving out learners who hold none of them', async () => {
    expect(await learnersHoldingAny(sql.query, ['a', 'b'], { limit: 10 })).toEqual(['ann', 'bob', 'dee']);
    expect(await learnersHoldingAny(sql.query, ['c', 'nothing'], { limit: 10 })).toEqual(['eve']);
    expect(await learnersHoldingAny(sql.query, [], { limit: 10 })).toEqual([]);
  });

  it('pages strictly after a learner, at most limit at a time', async () => {
    const pages: string[][] = [];
    let after: string | undefined;
    for (;;) {
      const page = await learnersHoldingAny(sql.query, ['a', 'b'], { after, limit: 1 });
      if (page.length === 0) break;
      pages.push(page);
      after = page[page.length - 1];
    }
    expect(pages).toEqual([['ann'], ['bob'], ['dee']]);
    expect(await learnersHoldingAny(sql.query, ['a', 'b'], { after: 'ann', limit: 2 })).toEqual(['bob', 'dee']);
  });

  it('lists every learner with a transcript when no achievements bound it', async () => {
    expect(await learnersHoldingAny(sql.query, undefined, { limit: 10 })).toEqual(['ann', 'bob', 'cid', 'dee', 'eve']);
    expect(await learnersHoldingAny(sql.query, undefined, { after: 'cid', limit: 1 })).toEqual(['dee']);
  });

  it('loads the folded transcripts of the learners named', async () => {
    const states = await loadTranscriptStates(sql.query, ['dee', 'ann', 'nobody']);
    expect(states.map((state) => [state.learnerId, state.awards.map((award) => award.awardId)])).toEqual([
      ['ann', ['ann-a-1', 'ann-a-2', 'ann-b']],
      ['dee', ['dee-a']],
    ]);
  });
});

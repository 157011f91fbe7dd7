import { randomUUID } from 'node:crypto';
import { migrateReadSide } from './typeorm/read-side';
import { PostgresEventStore, pgliteSqlClient, pgSqlClient } from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { loadCheckpoint } from './checkpoints';
import { learnerHoldings, learnerIssuersProjection } from './learner-issuers.projection';
import { ProjectionRunner } from './projection-runner';

/** Who holds whom, on both SQL backends: the read model tenancy reads (issue 13). */
describe.each([
  ['PostgreSQL', 'pg'],
  ['embedded PGlite', 'pglite'],
] as const)('learner-issuers projection on %s', (_name, backend) => {
  let database: ThrowawayDatabase | undefined;
  let store: PostgresEventStore;

  beforeAll(async () => {
    if (backend === 'pg') database = await createThrowawayDatabase();
    const sql = database ? pgSqlClient(database.url) : await pgliteSqlClient();
    store = await PostgresEventStore.open(sql, { pollIntervalMs: 10 });
    await migrateReadSide(sql);
  });
  afterAll(async () => {
    await store.close();
    await database?.drop();
  });

  const append = (stream: string, type: string, data: Record<string, unknown>) =>
    store.appendToStream(stream, [{ id: randomUUID(), type, data: { schemaVersion: 1, ...data } }]);

  async function project(): Promise<void> {
    const [last] = (await store.readAll({ maxCount: 100_000, visibility: 'committed' })).slice(-1);
    const runner = new ProjectionRunner(store, store.sql, [learnerIssuersProjection], { batchSize: 2 });
    await runner.start();
    try {
      for (const deadline = Date.now() + 15_000; ;) {
        const checkpoint = await loadCheckpoint(store.sql.query, learnerIssuersProjection.name);
        if (checkpoint !== undefined && checkpoint >= last.position) return;
        if (Date.now() > deadline) throw new Error(`learner-issuers did not reach ${last.position}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    } finally {
      await runner.stop();
    }
  }

  it('holds each record, qualification and registered profile stream under the issuer of its definition', async () => {
    await append('achievement-sql', 'AchievementDefined', { achievementId: 'sql', issuerId: 'tu-dublin' });
    await append('achievement-ethics', 'AchievementDefined', { achievementId: 'ethics', issuerId: 'uni-porto' });
    await append('achievement-sql', 'AchievementRevised', { achievementId: 'sql', issuerId: 'tu-dublin' });
    await append('pathway-cert', 'PathwayDefined', { pathwayId: 'cert', issuerId: 'tu-dublin' });
    // evidence alone is a record; a second event of a stream adds nothing
    await append('record-ada~sql', 'EvidenceSubmitted', { learnerId: 'ada', achievementId: 'sql' });
    await append('record-ada~sql', 'AssessmentRecorded', { learnerId: 'ada', achievementId: 'sql' });
    await append('record-ada~ethics', 'AchievementAwarded', {
      learnerId: 'ada',
      achievementId: 'ethics',
      issuerId: 'uni-porto',
    });
    await append('qualification-ada~cert', 'QualificationConferred', {
      learnerId: 'ada',
      pathwayId: 'cert',
      issuerId: 'tu-dublin',
    });
    await append('record-bob~ethics', 'EvidenceSubmitted', { learnerId: 'bob', achievementId: 'ethics' });
    await append('learner-dee', 'LearnerProfileRecorded', { learnerId: 'dee', issuerId: 'tu-dublin' });
    // a profile the learner gave themself names no issuer: it is nobody's
    await append('learner-eve', 'LearnerProfileRecorded', { learnerId: 'eve' });
    await project();

    expect(await learnerHoldings(store.sql.query, 'ada')).toEqual([
      { stream: 'qualification-ada~cert', issuerId: 'tu-dublin' },
      { stream: 'record-ada~ethics', issuerId: 'uni-porto' },
      { stream: 'record-ada~sql', issuerId: 'tu-dublin' },
    ]);
    expect(await learnerHoldings(store.sql.query, 'ada', ['tu-dublin'])).toEqual([
      { stream: 'qualification-ada~cert', issuerId: 'tu-dublin' },
      { stream: 'record-ada~sql', issuerId: 'tu-dublin' },
    ]);
    expect(await learnerHoldings(store.sql.query, 'bob', ['tu-dublin'])).toEqual([]);
    expect(await learnerHoldings(store.sql.query, 'bob', ['uni-porto', 'elsewhere'])).toEqual([
      { stream: 'record-bob~ethics', issuerId: 'uni-porto' },
    ]);
    expect(await learnerHoldings(store.sql.query, 'dee')).toEqual([{ stream: 'learner-dee', issuerId: 'tu-dublin' }]);
    expect(await learnerHoldings(store.sql.query, 'eve')).toEqual([]);
    expect(await learnerHoldings(store.sql.query, 'ada', [])).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { migrateReadSide } from './typeorm/read-side';
import { foldAchievementAnalytics, summariseAchievement, summariseIssuer } from '@app/domain';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import {
  achievementAnalytics,
  analyticsProjection,
  issuerAnalytics,
  loadAchievementAnalyticsState,
} from './analytics.projection';
import { loadCheckpoint } from './checkpoints';
import { ProjectionRunner } from './projection-runner';

describe('analytics projection on PostgreSQL', () => {
  let database: ThrowawayDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    database = await createThrowawayDatabase();
    store = await PostgresEventStore.open(pgSqlClient(database.url), { pollIntervalMs: 20 });
    await migrateReadSide(store.sql);
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const append = (stream: string, type: string, data: Record<string, unknown>) =>
    store.appendToStream(stream, [{ id: randomUUID(), type, data: { schemaVersion: 1, ...data } }]);
  const defined = (achievementId: string, issuerId: string) =>
    append(`achievement-${achievementId}`, 'AchievementDefined', { achievementId, issuerId, version: 1 });
  const evidence = (learnerId: string, achievementId: string, observedAt: string, kind = 'accomplishment') =>
    append(`record-${learnerId}~${achievementId}`, 'EvidenceSubmitted', {
      learnerId,
      achievementId,
      evidenceId: randomUUID(),
      kind,
      observedAt,
    });
  const assessed = (learnerId: string, achievementId: string, outcome: string) =>
    append(`record-${learnerId}~${achievementId}`, 'AssessmentRecorded', { learnerId, achievementId, outcome });
  const awarded = (learnerId: string, achievementId: string, issuedAt: string) =>
    append(`record-${learnerId}~${achievementId}`, 'AchievementAwarded', {
      learnerId,
      achievementId,
      issuerId: 'tu-dublin',
      awardId: `${learnerId}-${achievementId}`,
      issuedAt,
    });

  async function runUntil(position: bigint, batchSize: number): Promise<void> {
    const runner = new ProjectionRunner(store, store.sql, [analyticsProjection], { batchSize });
    await runner.start();
    const deadline = Date.now() + 15_000;
    try {
      for (;;) {
        const checkpoint = await loadCheckpoint(store.sql.query, analyticsProjection.name);
        if (checkpoint !== undefined && checkpoint >= position) return;
        if (Date.now() > deadline) throw new Error(`analytics did not reach ${position} (at ${checkpoint})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await runner.stop();
    }
  }

  it('keeps per achievement exactly what the pure fold gives, across batches and a restart; sums an issuer', async () => {
    await defined('sql', 'tu-dublin');
    await defined('model', 'tu-dublin');
    await defined('art', 'other');
    await evidence('ada', 'sql', '2026-03-01T00:00:00.000Z');
    await assessed('ada', 'sql', 'not-yet');
    await assessed('ada', 'sql', 'passed');
    await awarded('ada', 'sql', '2026-03-11T00:00:00.000Z');
    const first = (await evidence('bob', 'sql', '2026-03-01T00:00:00.000Z', 'challenge')).position;
    await runUntil(first, 3);

    await assessed('bob', 'sql', 'passed');
    await awarded('bob', 'sql', '2026-03-21T00:00:00.000Z');
    await append('record-bob~sql', 'AwardRevoked', { learnerId: 'bob', achievementId: 'sql', awardId: 'bob-sql' });
    await evidence('ada', 'model', '2026-03-01T00:00:00.000Z');
    await assessed('ada', 'model', 'passed');
    const last = (await awarded('ada', 'model', '2026-03-05T00:00:00.000Z')).position;
    await runUntil(last, 2);

    const all = await store.readAll();
    for (const id of ['sql', 'model', 'art'])
      expect(await loadAchievementAnalyticsState(store.sql.query, id)).toEqual(foldAchievementAnalytics(id, all));
    expect(await achievementAnalytics(store.sql.query, 'sql')).toEqual(
      summariseAchievement(foldAchievementAnalytics('sql', all)),
    );
    expect(await achievementAnalytics(store.sql.query, 'sql')).toMatchObject({
      issuerId: 'tu-dublin',
      evidence: { total: 2, accomplishment: 1, challenge: 1 },
      assessments: { total: 3, passed: 2, notYet: 1, passRate: 0.6667 },
      awards: 2,
      revocations: 1,
      medianDaysToAward: 15,
      learners: 2,
    });
    const issuer = await issuerAnalytics(store.sql.query, 'tu-dublin');
    expect(issuer).toEqual(
      summariseIssuer('tu-dublin', [foldAchievementAnalytics('model', all), foldAchievementAnalytics('sql', all)]),
    );
    expect(issuer).toMatchObject({ achievementIds: ['model', 'sql'], awards: 3, medianDaysToAward: 10, learners: 2 });
    expect(await issuerAnalytics(store.sql.query, 'other')).toMatchObject({ achievementIds: ['art'], awards: 0 });
    expect(await achievementAnalytics(store.sql.query, 'nothing')).toBeUndefined();
    expect(await issuerAnalytics(store.sql.query, 'nobody')).toBeUndefined();
  });
});

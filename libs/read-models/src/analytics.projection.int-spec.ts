import { randomUUID } from 'node:crypto';
import { migrateReadSide } from './typeorm/read-side';
import {
  type AchievementAnalyticsState,
  achievementStream,
  foldAchievementAnalytics,
  initialAchievementAnalytics,
  recordStream,
  summariseAchievement,
  summariseIssuer,
} from '@app/domain';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  achievementRevised,
  PREREQUISITE_ID,
} from '../../domain/src/achievement/testing/achievement.fixtures';
import {
  achievementAwarded,
  assessmentNotYet,
  assessmentRecorded,
  awardReinstated,
  awardRevoked,
  awardSuspended,
  evidenceSubmitted,
  LEARNER_ID,
} from '../../domain/src/record/testing/record.fixtures';
import { ISSUER_ID } from '../../domain/src/shared/testing/actors';
import { PostgresEventStore, pgSqlClient } from '@app/event-store';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import {
  achievementAnalytics,
  analyticsProjection,
  issuerAnalytics,
  loadAchievementAnalyticsState,
} from './analytics.projection';
import { loadCheckpoint, loadVersion } from './checkpoints';
import { ProjectionRunner } from './projection-runner';
import { expectRead, expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';

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

  it('rebuilds rows written by the fold of version 1 (one jsonb per achievement) into the rows of version 2', async () => {
    // What the migration to version 2 leaves: the new tables empty, the checkpoint version 1's, at its last event.
    await store.sql.query('DELETE FROM tessera_analytics_achievements');
    await store.sql.query('DELETE FROM tessera_analytics_learners');
    await store.sql.query("UPDATE tessera_checkpoints SET version = 1 WHERE projection = 'analytics'");
    const runner = new ProjectionRunner(store, store.sql, [analyticsProjection]);
    runner.start();
    try {
      for (const deadline = Date.now() + 15_000; (await loadVersion(store.sql.query, 'analytics')) !== 2;) {
        if (Date.now() > deadline) throw new Error('analytics was not rebuilt by version 2');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await runner.stop();
    }
    const all = await store.readAll();
    for (const id of ['sql', 'model', 'art'])
      expect(await loadAchievementAnalyticsState(store.sql.query, id)).toEqual(foldAchievementAnalytics(id, all));
  });
});

describe.each(SPEC_BACKENDS)('analytics projection specification on %s', (_name, backend) => {
  const given = projectionSpec(analyticsProjection, backend);
  const BOB = '0b0b0b0b-5b4e-4c1d-9a8f-0e6d5c4b3a21';
  const ada = (...events: Array<{ type: string; data: object }>) =>
    inStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), ...events);
  const bob = (...events: Array<{ type: string; data: object }>) =>
    inStream(
      recordStream(BOB, ACHIEVEMENT_ID),
      ...events.map((event) => ({ ...event, data: { ...event.data, learnerId: BOB } })),
    );
  /** What an achievement's row keeps: its state without the learners, who have rows of their own. */
  const counters = (changes: Partial<AchievementAnalyticsState>) => {
    const initial: Partial<AchievementAnalyticsState> = initialAchievementAnalytics(
      changes.achievementId ?? ACHIEVEMENT_ID,
    );
    delete initial.learners;
    return { ...initial, issuerId: ISSUER_ID, ...changes };
  };
  const ACHIEVEMENT_ROWS = 'SELECT achievement_id, issuer_id, counters FROM tessera_analytics_achievements ORDER BY 1';
  const LEARNER_ROWS = 'SELECT achievement_id, learner_id, entry FROM tessera_analytics_learners ORDER BY 1, 2';

  it('counts once per event across runs; a revoked award and a second award add no second duration', () =>
    given(
      inStream(achievementStream(ACHIEVEMENT_ID), achievementDefined()),
      ada(evidenceSubmitted(), assessmentNotYet()),
    )
      .when([
        ...inStream(achievementStream(ACHIEVEMENT_ID), achievementRevised(2)),
        ...ada(
          assessmentRecorded(),
          achievementAwarded(),
          awardRevoked(),
          evidenceSubmitted({ evidenceId: 'ev-2', observedAt: '2026-06-01T00:00:00.000Z' }),
          achievementAwarded({ awardId: 'aw-2', issuedAt: '2026-07-01T00:00:00.000Z' }),
        ),
        ...bob(evidenceSubmitted({ evidenceId: 'ev-b', kind: 'challenge', observedAt: '2026-03-05T00:00:00.000Z' })),
      ])
      .then(
        expectRows(ACHIEVEMENT_ROWS).toEqual([
          {
            achievement_id: ACHIEVEMENT_ID,
            issuer_id: ISSUER_ID,
            counters: counters({
              evidence: { accomplishment: 2, challenge: 1 },
              assessments: { passed: 1, notYet: 1 },
              awards: 2,
              revocations: 1,
            }),
          },
        ]),
        expectRows(LEARNER_ROWS).toEqual([
          // 2026-03-01T15:00 (first evidence, from the first run) to 2026-03-10T14:00 (the first award)
          { achievement_id: ACHIEVEMENT_ID, learner_id: BOB, entry: { firstEvidenceAt: '2026-03-05T00:00:00.000Z' } },
          { achievement_id: ACHIEVEMENT_ID, learner_id: LEARNER_ID, entry: { awarded: true, daysToAward: 8.958333 } },
        ]),
        expectRead('achievementAnalytics', (query) => achievementAnalytics(query, ACHIEVEMENT_ID)).toEqual({
          achievementId: ACHIEVEMENT_ID,
          issuerId: ISSUER_ID,
          evidence: { total: 3, accomplishment: 2, challenge: 1 },
          assessments: { total: 2, passed: 1, notYet: 1, passRate: 0.5 },
          awards: 2,
          suspensions: 0,
          revocations: 1,
          reinstatements: 0,
          medianDaysToAward: 8.96,
          learners: 2,
        }),
      ));

  it('keeps each achievement to itself event by event, takes an issuer from its award, and sums an issuer', () =>
    given(inStream(achievementStream(ACHIEVEMENT_ID), achievementDefined()))
      .when(
        [
          ...ada(evidenceSubmitted(), assessmentRecorded(), achievementAwarded(), awardSuspended(), awardReinstated()),
          ...inStream(
            recordStream(LEARNER_ID, PREREQUISITE_ID),
            evidenceSubmitted({ achievementId: PREREQUISITE_ID, observedAt: '2026-03-06T14:00:00.000Z' }),
            achievementAwarded({ achievementId: PREREQUISITE_ID, awardId: 'aw-p' }),
          ),
        ],
        { batchSize: 1 },
      )
      .then(
        expectRows(ACHIEVEMENT_ROWS).toEqual([
          {
            achievement_id: PREREQUISITE_ID,
            issuer_id: ISSUER_ID,
            counters: counters({
              achievementId: PREREQUISITE_ID,
              evidence: { accomplishment: 1, challenge: 0 },
              awards: 1,
            }),
          },
          {
            achievement_id: ACHIEVEMENT_ID,
            issuer_id: ISSUER_ID,
            counters: counters({
              evidence: { accomplishment: 1, challenge: 0 },
              assessments: { passed: 1, notYet: 0 },
              awards: 1,
              suspensions: 1,
              reinstatements: 1,
            }),
          },
        ]),
        expectRows(LEARNER_ROWS).toEqual([
          { achievement_id: PREREQUISITE_ID, learner_id: LEARNER_ID, entry: { awarded: true, daysToAward: 4 } },
          { achievement_id: ACHIEVEMENT_ID, learner_id: LEARNER_ID, entry: { awarded: true, daysToAward: 8.958333 } },
        ]),
        expectRead('issuerAnalytics', (query) => issuerAnalytics(query, ISSUER_ID)).toEqual({
          issuerId: ISSUER_ID,
          achievementIds: [PREREQUISITE_ID, ACHIEVEMENT_ID],
          evidence: { total: 2, accomplishment: 2, challenge: 0 },
          assessments: { total: 1, passed: 1, notYet: 0, passRate: 1 },
          awards: 2,
          suspensions: 1,
          revocations: 0,
          reinstatements: 1,
          medianDaysToAward: 6.48,
          learners: 1,
        }),
      ));
});

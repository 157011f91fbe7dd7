import { randomUUID } from 'node:crypto';
import { transcriptOf } from '@app/application';
import { achievementStream, issuerStream, recordStream } from '@app/domain';
import { PostgresEventStore, pgliteSqlClient, pgSqlClient } from '@app/event-store';
import { LearnerChanges, migrateReadSide, ProjectionRunner, PROJECTIONS, rebuildProjections } from '@app/read-models';
import {
  achievementDefined,
  ACHIEVEMENT_ID,
} from '../../../../libs/domain/src/achievement/testing/achievement.fixtures';
import { issuerRegistered } from '../../../../libs/domain/src/issuer/testing/issuer.fixtures';
import {
  achievementAwarded,
  assessmentRecorded,
  awardReinstated,
  awardSuspended,
  evidenceSubmitted,
  LEARNER_ID,
} from '../../../../libs/domain/src/record/testing/record.fixtures';
import { ISSUER_ID } from '../../../../libs/domain/src/shared/testing/actors';
import { countedTranscriptReads } from '../../../../test/support/counted-transcript-reads';
import { eventually } from '../../../../test/support/failing-projection';
import { createThrowawayDatabase } from '../../../../test/support/postgres-server';
import { caughtUp } from '../../../../test/support/read-models';
import type { Actor } from './actor';

/** A registrar's live transcript read is one of the hot read paths: guarded by a count of its statements. */
describe('a live transcript read by staff', () => {
  it('costs two statements: the transcript with its position, the holdings with theirs', async () => {
    const store = await PostgresEventStore.open(await pgliteSqlClient(), { pollIntervalMs: 10 });
    try {
      await migrateReadSide(store.sql);
      await appendTo(store, issuerStream(ISSUER_ID), [issuerRegistered()]);
      await appendTo(store, achievementStream(ACHIEVEMENT_ID), [achievementDefined()]);
      await appendTo(store, recordStream(LEARNER_ID, ACHIEVEMENT_ID), [
        evidenceSubmitted(),
        assessmentRecorded(),
        achievementAwarded(),
      ]);
      await rebuildProjections(store, store.sql, PROJECTIONS);

      const { sql, read, viewOf } = countedTranscriptReads(store, store.sql);
      const view = viewOf(LEARNER_ID);
      // The first read also reads the achievement version's title once (kept per store after)
      const first = await transcriptOf(read, LEARNER_ID, { view });
      expect(first.awards.map((award) => award.achievementId)).toEqual([ACHIEVEMENT_ID]);
      sql.reset();
      const again = await transcriptOf(read, LEARNER_ID, { view });
      expect(again.awards).toHaveLength(1);
      expect(sql.sent).toHaveLength(2);
    } finally {
      await store.close();
    }
  });
});

const appendTo = (store: PostgresEventStore, stream: string, events: Array<{ type: string; data: object }>) =>
  store.appendToStream(
    stream,
    events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data as never })),
  );

/**
 * The api's caches of the transcript row and the holdings (learner-changes.ts), with the projections running live in
 * this process: they hear which learners each batch changed through LISTEN/NOTIFY, on PGlite as on PostgreSQL.
 */
describe.each(['pglite', 'postgres'] as const)('a cached live transcript read on %s', (kind) => {
  let store: PostgresEventStore;
  let drop: () => Promise<void> = async () => undefined;

  beforeEach(async () => {
    if (kind === 'pglite') store = await PostgresEventStore.open(await pgliteSqlClient(), { pollIntervalMs: 10 });
    else {
      const database = await createThrowawayDatabase();
      drop = database.drop;
      store = await PostgresEventStore.open(pgSqlClient(database.url), { pollIntervalMs: 10 });
    }
    await migrateReadSide(store.sql);
    await appendTo(store, issuerStream(ISSUER_ID), [issuerRegistered()]);
    await appendTo(store, achievementStream(ACHIEVEMENT_ID), [achievementDefined()]);
    await appendTo(store, recordStream(LEARNER_ID, ACHIEVEMENT_ID), [
      evidenceSubmitted(),
      assessmentRecorded(),
      achievementAwarded(),
    ]);
  });

  afterEach(async () => {
    await store.close();
    await drop();
  });

  it('costs no statement when repeated, and is read afresh once an event for the learner is projected', async () => {
    const runner = new ProjectionRunner(store, store.sql, PROJECTIONS, { quietMs: 1 });
    const changes = new LearnerChanges(store.sql);
    runner.start();
    changes.start();
    try {
      await caughtUp(store, store.sql);
      await eventually('listening', async () => changes.hearing);
      const { sql, read, viewOf } = countedTranscriptReads(store, store.sql, changes);
      const view = viewOf(LEARNER_ID);
      const first = await transcriptOf(read, LEARNER_ID, { view });
      expect(first.awards.map((award) => award.status)).toEqual(['valid']);

      sql.reset();
      expect(await transcriptOf(read, LEARNER_ID, { view })).toEqual(first);
      expect(sql.sent).toEqual([]);

      // A registrar of another issuer reaches nothing of the learner, from the same cache.
      const stranger: Actor = { sub: 'elsewhere', roles: ['registrar'], issuers: ['another-issuer'] };
      await expect(transcriptOf(read, LEARNER_ID, { view: viewOf(LEARNER_ID, stranger) })).rejects.toMatchObject({
        code: 'unknown-learner',
      });
      expect(sql.sent).toEqual([]);

      // An event for the learner: once the projections have it, what was kept is forgotten.
      await appendTo(store, recordStream(LEARNER_ID, ACHIEVEMENT_ID), [awardSuspended()]);
      await caughtUp(store, store.sql);
      await eventually('the change heard', async () => {
        const now = await transcriptOf(read, LEARNER_ID, { view });
        return now.awards[0].status === 'suspended';
      });
      // Each projection's batch is heard (each forgets the learner): then it is kept again.
      await eventually('the change kept', async () => {
        sql.reset();
        const now = await transcriptOf(read, LEARNER_ID, { view });
        return now.awards[0].status === 'suspended' && sql.sent.length === 0;
      });

      // A read that asks for a position its kept answer is short of waits for it and reads afresh.
      const { position } = await appendTo(store, recordStream(LEARNER_ID, ACHIEVEMENT_ID), [awardReinstated()]);
      const fresh = await transcriptOf(read, LEARNER_ID, { view, minPosition: position.toString() });
      expect(fresh.awards.map((award) => award.status)).toEqual(['valid']);
    } finally {
      await changes.stop();
      await runner.stop();
    }
  });

  it('answers what it kept until an award it shows valid expires, then answers it expired', async () => {
    const other = 'b81d3e20-6c5f-4d2e-8b90-1f7e6d5c4b32';
    const validUntil = new Date(Date.now() + 1500).toISOString();
    const record = { learnerId: other, awardId: 'aw-soon' };
    await appendTo(store, recordStream(other, ACHIEVEMENT_ID), [
      evidenceSubmitted({ learnerId: other }),
      assessmentRecorded({ learnerId: other }),
      achievementAwarded({ ...record, validUntil }),
    ]);
    const runner = new ProjectionRunner(store, store.sql, PROJECTIONS, { quietMs: 1 });
    const changes = new LearnerChanges(store.sql);
    runner.start();
    changes.start();
    try {
      await caughtUp(store, store.sql);
      await eventually('listening', async () => changes.hearing);
      const { sql, read, viewOf } = countedTranscriptReads(store, store.sql, changes);
      const view = viewOf(other);
      const first = await transcriptOf(read, other, { view });
      expect(first.awards.map((award) => award.status)).toEqual(['valid']);
      expect(first.creditTotals.find((total) => total.framework === 'ECTS')?.value).toBe(2);
      sql.reset();
      expect(await transcriptOf(read, other, { view })).toBe(first);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(validUntil) - Date.now() + 10));
      const later = await transcriptOf(read, other, { view });
      expect(later.awards.map((award) => award.status)).toEqual(['expired']);
      expect(later.creditTotals).toEqual([]);
      // Nothing changed in the read models: only the instant did.
      expect(sql.sent).toEqual([]);
    } finally {
      await changes.stop();
      await runner.stop();
    }
  });
});

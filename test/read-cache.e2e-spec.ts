import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { transcriptOf } from '@app/application';
import { achievementStream, issuerStream, recordStream } from '@app/domain';
import { type OpenedEventStore } from '@app/event-store';
import { LEARNER_CHANGES_CHANNEL, LearnerChanges, openStorage } from '@app/read-models';
import { achievementDefined, ACHIEVEMENT_ID } from '../libs/domain/src/achievement/testing/achievement.fixtures';
import { issuerRegistered } from '../libs/domain/src/issuer/testing/issuer.fixtures';
import {
  achievementAwarded,
  assessmentRecorded,
  awardReinstated,
  awardSuspended,
  evidenceSubmitted,
  LEARNER_ID,
} from '../libs/domain/src/record/testing/record.fixtures';
import { ISSUER_ID } from '../libs/domain/src/shared/testing/actors';
import { childEnv } from './support/child-env';
import { countedTranscriptReads } from './support/counted-transcript-reads';
import { eventually } from './support/failing-projection';
import { createThrowawayDatabase, type ThrowawayDatabase } from './support/postgres-server';
import { caughtUp } from './support/read-models';

const projectorMain = join(__dirname, '..', 'dist', 'apps', 'projector', 'src', 'main.js');

/**
 * The api's kept transcript rows and holdings when another process projects (TESSERA_PROJECTIONS=off and a projector):
 * the projector's batches notify at commit, this process hears it by LISTEN on PostgreSQL, and keeps nothing while it
 * does not hear.
 */
describe('kept transcript reads with a projector in another process', () => {
  let database: ThrowawayDatabase;
  let storage: OpenedEventStore;
  let projector: ChildProcess | undefined;

  beforeAll(async () => {
    if (!existsSync(projectorMain))
      throw new Error('dist/ is missing: run `npm run build` (npm ci runs it) before the tests');
    database = await createThrowawayDatabase();
    storage = await openStorage({ database: { kind: 'postgres', url: database.url } });
  });
  afterAll(async () => {
    projector?.kill('SIGKILL');
    await storage?.close();
    await database?.drop();
  });

  const appendTo = (stream: string, events: Array<{ type: string; data: object }>) =>
    storage.store.appendToStream(
      stream,
      events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data as never })),
    );

  it('read once, then from memory until the projector changes the learner; nothing kept while not listening', async () => {
    await appendTo(issuerStream(ISSUER_ID), [issuerRegistered()]);
    await appendTo(achievementStream(ACHIEVEMENT_ID), [achievementDefined()]);
    await appendTo(recordStream(LEARNER_ID, ACHIEVEMENT_ID), [
      evidenceSubmitted(),
      assessmentRecorded(),
      achievementAwarded(),
    ]);
    projector = spawn(process.execPath, [projectorMain], {
      env: childEnv({ DATABASE_URL: database.url, TESSERA_JWT_SECRET: 'read-cache-secret-'.repeat(3) }),
      stdio: 'ignore',
    });
    const changes = new LearnerChanges(storage.sql, { retryMs: 1500 });
    changes.start();
    try {
      await eventually('listening', async () => changes.hearing);
      await caughtUp(storage.store, storage.sql);
      const { sql, read, viewOf } = countedTranscriptReads(storage.store, storage.sql, changes);
      const view = viewOf(LEARNER_ID);
      const status = async () => (await transcriptOf(read, LEARNER_ID, { view })).awards.map((award) => award.status);

      expect(await status()).toEqual(['valid']);
      sql.reset();
      expect(await status()).toEqual(['valid']);
      expect(sql.sent).toEqual([]);

      // The projector, not this process, applies the suspension: heard here at its commit.
      await appendTo(recordStream(LEARNER_ID, ACHIEVEMENT_ID), [awardSuspended()]);
      await eventually('the suspension heard', async () => (await status())[0] === 'suspended');
      // Both projections' batches are heard (each forgets the learner): then it is kept again.
      await eventually('the suspension kept', async () => {
        sql.reset();
        return (await status())[0] === 'suspended' && sql.sent.length === 0;
      });

      // The listening connection is cut: nothing is kept until this process listens again.
      await storage.sql.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
        [`LISTEN ${LEARNER_CHANGES_CHANNEL}`],
      );
      await eventually('the connection lost', async () => !changes.hearing);
      // Changed while nobody listens: what was kept must not be answered afterwards.
      await appendTo(recordStream(LEARNER_ID, ACHIEVEMENT_ID), [awardReinstated()]);
      await caughtUp(storage.store, storage.sql);
      sql.reset();
      expect(await status()).toEqual(['valid']);
      expect(await status()).toEqual(['valid']);
      if (!changes.hearing) expect(sql.sent.length).toBeGreaterThanOrEqual(4);

      await eventually('listening again', async () => changes.hearing);
      expect(await status()).toEqual(['valid']);
      await eventually('kept again', async () => {
        sql.reset();
        return (await status())[0] === 'valid' && sql.sent.length === 0;
      });
    } finally {
      await changes.stop();
    }
  });
});

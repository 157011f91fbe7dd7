import { randomUUID } from 'node:crypto';
import { transcriptOf, type ReadSide } from '@app/application';
import { achievementStream, issuerStream, recordStream } from '@app/domain';
import { PostgresEventStore, pgliteSqlClient } from '@app/event-store';
import { migrateReadSide, PROJECTIONS, rebuildProjections } from '@app/read-models';
import {
  achievementDefined,
  ACHIEVEMENT_ID,
} from '../../../../libs/domain/src/achievement/testing/achievement.fixtures';
import { issuerRegistered } from '../../../../libs/domain/src/issuer/testing/issuer.fixtures';
import {
  achievementAwarded,
  assessmentRecorded,
  evidenceSubmitted,
  LEARNER_ID,
} from '../../../../libs/domain/src/record/testing/record.fixtures';
import { ISSUER_ID } from '../../../../libs/domain/src/shared/testing/actors';
import { countingSqlClient } from '../../../../test/support/counting-sql-client';
import { ReadYourWrites } from '../queries/read-your-writes';
import type { Actor } from './actor';
import { LearnerAccess } from './learner-access';

/** A registrar's live transcript read is one of the hot read paths: guarded by a count of its statements. */
describe('a live transcript read by staff', () => {
  it('costs two statements: the transcript with its position, the holdings with theirs', async () => {
    const store = await PostgresEventStore.open(await pgliteSqlClient(), { pollIntervalMs: 10 });
    try {
      await migrateReadSide(store.sql);
      const appendAll = async (stream: string, events: Array<{ type: string; data: object }>) =>
        store.appendToStream(
          stream,
          events.map((event) => ({ id: randomUUID(), type: event.type, data: event.data as never })),
        );
      await appendAll(issuerStream(ISSUER_ID), [issuerRegistered()]);
      await appendAll(achievementStream(ACHIEVEMENT_ID), [achievementDefined()]);
      await appendAll(recordStream(LEARNER_ID, ACHIEVEMENT_ID), [
        evidenceSubmitted(),
        assessmentRecorded(),
        achievementAwarded(),
      ]);
      await rebuildProjections(store, store.sql, PROJECTIONS);

      const sql = countingSqlClient(store.sql);
      const readYourWrites = new ReadYourWrites(sql);
      const read: ReadSide = {
        store,
        readModels: { query: sql.query, waitFor: (projection, at) => readYourWrites.waitFor(projection, at) },
      };
      const registrar: Actor = { sub: 'registry', roles: ['registrar'], issuers: [ISSUER_ID] };
      const view = new LearnerAccess(readYourWrites, sql).viewFor(registrar, LEARNER_ID, ['registrar']);
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

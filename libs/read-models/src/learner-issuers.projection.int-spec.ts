import { randomUUID } from 'node:crypto';
import { migrateReadSide } from './typeorm/read-side';
import { achievementStream, pathwayStream, qualificationStream, recordStream } from '@app/domain';
import { PostgresEventStore, pgliteSqlClient, pgSqlClient } from '@app/event-store';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  achievementRevised,
  PREREQUISITE_ID,
} from '../../domain/src/achievement/testing/achievement.fixtures';
import { PATHWAY_ID, pathwayDefined } from '../../domain/src/pathway/testing/pathway.fixtures';
import { qualificationConferred } from '../../domain/src/qualification/testing/qualification.fixtures';
import { achievementAwarded, evidenceSubmitted, LEARNER_ID } from '../../domain/src/record/testing/record.fixtures';
import { ISSUER_ID, OTHER_ISSUER_ID } from '../../domain/src/shared/testing/actors';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../../../test/support/postgres-server';
import { loadCheckpoint } from './checkpoints';
import { learnerHoldings, learnerIssuersProjection } from './learner-issuers.projection';
import { ProjectionRunner } from './projection-runner';
import { expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';

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

describe.each(SPEC_BACKENDS)('learner-issuers projection specification on %s', (_name, backend) => {
  const given = projectionSpec(learnerIssuersProjection, backend);

  it('places a learner stream under the issuer its definition named in an earlier run, once however many events', () =>
    given(
      inStream(achievementStream(ACHIEVEMENT_ID), achievementDefined()),
      inStream(
        achievementStream(PREREQUISITE_ID),
        achievementDefined({}, { achievementId: PREREQUISITE_ID, issuerId: OTHER_ISSUER_ID }),
      ),
      inStream(pathwayStream(PATHWAY_ID), pathwayDefined()),
    )
      .when(
        [
          ...inStream(achievementStream(ACHIEVEMENT_ID), achievementRevised(2)),
          ...inStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), evidenceSubmitted(), achievementAwarded()),
          ...inStream(recordStream(LEARNER_ID, PREREQUISITE_ID), evidenceSubmitted({ achievementId: PREREQUISITE_ID })),
          ...inStream(qualificationStream(LEARNER_ID, PATHWAY_ID), qualificationConferred()),
        ],
        { batchSize: 1 },
      )
      .then(
        expectRows('SELECT stream_name, issuer_id FROM tessera_definition_issuers ORDER BY stream_name').toEqual([
          { stream_name: achievementStream(PREREQUISITE_ID), issuer_id: OTHER_ISSUER_ID },
          { stream_name: achievementStream(ACHIEVEMENT_ID), issuer_id: ISSUER_ID },
          { stream_name: pathwayStream(PATHWAY_ID), issuer_id: ISSUER_ID },
        ]),
        expectRows(
          'SELECT learner_id, stream_name, issuer_id FROM tessera_learner_streams ORDER BY stream_name',
        ).toEqual([
          { learner_id: LEARNER_ID, stream_name: qualificationStream(LEARNER_ID, PATHWAY_ID), issuer_id: ISSUER_ID },
          {
            learner_id: LEARNER_ID,
            stream_name: recordStream(LEARNER_ID, PREREQUISITE_ID),
            issuer_id: OTHER_ISSUER_ID,
          },
          { learner_id: LEARNER_ID, stream_name: recordStream(LEARNER_ID, ACHIEVEMENT_ID), issuer_id: ISSUER_ID },
        ]),
      ));
});

import { randomUUID } from 'node:crypto';
import { achievementStream, issuerStream, pathwayStream, qualificationStream, recordStream } from '@app/domain';
import { PostgresEventStore, pgliteSqlClient } from '@app/event-store';
import { issuerRegistered } from '../../domain/src/issuer/testing/issuer.fixtures';
import { RECORDED_AT, recognitionRecorded } from '../../domain/src/issuer/testing/recognition.fixtures';
import { ISSUER_ID, OTHER_ISSUER_ID } from '../../domain/src/shared/testing/actors';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  PREREQUISITE_ID,
  prerequisiteDefined,
} from '../../domain/src/achievement/testing/achievement.fixtures';
import { definition, PATHWAY_ID, pathwayDefined } from '../../domain/src/pathway/testing/pathway.fixtures';
import { achievementAwarded, awardRevoked, LEARNER_ID } from '../../domain/src/record/testing/record.fixtures';
import {
  expectRows,
  inStream,
  prepareSchema,
  projectionSpec,
  SPEC_BACKENDS,
} from '../../read-models/src/testing/projection-spec';
import { conferralProcessManager } from './conferral.process-manager';
import { StreamCommands } from './stream-commands';

/** The conferral reactor's effects are events: the specification reads them from the store's table. */
const QUALIFICATION_TYPES =
  "SELECT type FROM tessera_events WHERE stream_name LIKE 'qualification-%' ORDER BY position";

describe.each(SPEC_BACKENDS)('conferral process manager specification on %s', (_name, backend) => {
  const given = projectionSpec(
    (store) => conferralProcessManager(new StreamCommands(store), { store, query: store.sql.query }),
    backend,
  );
  const definitions = [
    ...inStream(achievementStream(ACHIEVEMENT_ID), achievementDefined()),
    ...inStream(achievementStream(PREREQUISITE_ID), prerequisiteDefined()),
    ...inStream(
      pathwayStream(PATHWAY_ID),
      pathwayDefined({ rule: { allOf: [{ achievement: PREREQUISITE_ID }, { achievement: ACHIEVEMENT_ID }] } }),
    ),
  ];
  const awards = [
    ...inStream(
      recordStream(LEARNER_ID, PREREQUISITE_ID),
      achievementAwarded({ achievementId: PREREQUISITE_ID, awardId: 'aw-p' }),
    ),
    ...inStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), achievementAwarded()),
  ];
  const QUALIFICATION_EVENTS = `SELECT stream_name, type, data->>'pathwayId' AS pathway FROM tessera_events
    WHERE stream_name LIKE 'qualification-%' ORDER BY position`;
  const qualification = qualificationStream(LEARNER_ID, PATHWAY_ID);

  it('confers an automatic pathway once its last achievement is awarded, once however often it is triggered', () =>
    given(definitions, awards.slice(0, 1))
      .when(awards.slice(1))
      .then(
        expectRows(QUALIFICATION_EVENTS).toEqual([
          { stream_name: qualification, type: 'QualificationConferred', pathway: PATHWAY_ID },
        ]),
      ));

  it('invalidates the qualification when an award of its basis is revoked', () =>
    given(definitions, awards)
      .when(inStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), awardRevoked()))
      .then(
        expectRows(QUALIFICATION_EVENTS).toEqual([
          { stream_name: qualification, type: 'QualificationConferred', pathway: PATHWAY_ID },
          { stream_name: qualification, type: 'QualificationBasisInvalidated', pathway: PATHWAY_ID },
        ]),
      ));

  it('confers nothing for a pathway a registrar confers by hand', () =>
    given(
      definitions.slice(0, 2),
      inStream(pathwayStream(PATHWAY_ID), pathwayDefined({ ...definition(), conferral: 'registrar' })),
    )
      .when(awards)
      .then(expectRows(QUALIFICATION_EVENTS).toEqual([])));
});

describe('conferral process manager: a trigger handled late', () => {
  it('decides a recognition on the ledger as it stood when it was recorded, not on a conferral that came after it', async () => {
    const store = await PostgresEventStore.open(await pgliteSqlClient(), { pollIntervalMs: 10 });
    try {
      await prepareSchema(store.sql);
      const history = [
        ...inStream(issuerStream(OTHER_ISSUER_ID), issuerRegistered({ issuerId: OTHER_ISSUER_ID, name: 'Porto' })),
        ...inStream(
          achievementStream('porto-stats'),
          achievementDefined({}, { achievementId: 'porto-stats', issuerId: OTHER_ISSUER_ID }),
        ),
        ...inStream(achievementStream(ACHIEVEMENT_ID), achievementDefined()),
        // Porto's award, made within the recognition's window (from February) before the recognition was recorded
        ...inStream(
          recordStream(LEARNER_ID, 'porto-stats'),
          achievementAwarded({ achievementId: 'porto-stats', issuerId: OTHER_ISSUER_ID, awardId: 'aw-porto' }),
        ),
        ...inStream(issuerStream(ISSUER_ID), issuerRegistered(), recognitionRecorded()),
        ...inStream(
          pathwayStream(PATHWAY_ID),
          pathwayDefined({ rule: { allOf: [{ achievement: 'porto-stats' }, { achievement: ACHIEVEMENT_ID }] } }),
        ),
        // The award completing the pathway, made (10 March) after the recognition was recorded (1 March)
        ...inStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), achievementAwarded()),
      ];
      for (const event of history)
        await store.appendToStream(event.stream, [{ id: randomUUID(), type: event.type, data: event.data as never }]);
      // The recognition as recorded on 1 March, delivered in one batch with the award that came after it
      const batch = (await store.readAll({ maxCount: 100, visibility: 'committed' })).map((event) =>
        event.type === 'RecognitionRecorded' ? { ...event, recordedAt: new Date(RECORDED_AT) } : event,
      );
      await conferralProcessManager(new StreamCommands(store), { store, query: store.sql.query }).react(batch);
      // Handled after the award, on the whole ledger, the recognition's earlier instant would find the award not yet
      // made and invalidate the qualification that the award had just conferred.
      expect(await store.sql.query(QUALIFICATION_TYPES)).toEqual([{ type: 'QualificationConferred' }]);
    } finally {
      await store.close();
    }
  });
});

import { achievementStream, pathwayStream, qualificationStream, recordStream } from '@app/domain';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  PREREQUISITE_ID,
  prerequisiteDefined,
} from '../../domain/src/achievement/testing/achievement.fixtures';
import { definition, PATHWAY_ID, pathwayDefined } from '../../domain/src/pathway/testing/pathway.fixtures';
import { achievementAwarded, awardRevoked, LEARNER_ID } from '../../domain/src/record/testing/record.fixtures';
import { expectRows, inStream, projectionSpec, SPEC_BACKENDS } from '../../read-models/src/testing/projection-spec';
import { conferralProcessManager } from './conferral.process-manager';
import { StreamCommands } from './stream-commands';

/** The conferral reactor's effects are events: the specification reads them from the store's table. */
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

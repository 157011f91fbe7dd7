import { achievementStream, foldAchievement } from '@app/domain';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  achievementRetired,
  achievementRevised,
  PREREQUISITE_ID,
  prerequisiteDefined,
} from '../../domain/src/achievement/testing/achievement.fixtures';
import { ISSUER_ID, OTHER_ISSUER_ID } from '../../domain/src/shared/testing/actors';
import { achievementCatalogueProjection, listAchievements } from './achievement-catalogue.projection';
import { expectRead, expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';

describe.each(SPEC_BACKENDS)('achievement catalogue projection specification on %s', (_name, backend) => {
  const given = projectionSpec(achievementCatalogueProjection, backend);
  const testing = (...events: Parameters<typeof inStream>[1][]) =>
    inStream(achievementStream(ACHIEVEMENT_ID), ...events);
  const ROWS = `SELECT id, issuer_id, status, category, title,
    jsonb_path_query_array(state, '$.versions[*].version') AS versions FROM tessera_achievement_catalogue ORDER BY id`;

  it('searches by the latest version: a second version and a retirement, each kept whole in the state', () => {
    const revised = achievementRevised(2, { title: 'Testing Python programs', kind: 'knowledge' });
    return given(testing(achievementDefined()), inStream(achievementStream(PREREQUISITE_ID), prerequisiteDefined()))
      .when(testing(revised, achievementRetired()))
      .then(
        expectRows(ROWS).toEqual([
          {
            id: PREREQUISITE_ID,
            issuer_id: ISSUER_ID,
            status: 'published',
            category: 'skill',
            title: 'Python programming fundamentals',
            versions: [1],
          },
          {
            id: ACHIEVEMENT_ID,
            issuer_id: ISSUER_ID,
            status: 'retired',
            category: 'knowledge',
            title: 'Testing Python programs',
            versions: [1, 2],
          },
        ]),
        expectRead('listAchievements retired', (query) => listAchievements(query, { status: 'retired' })).toEqual([
          foldAchievement([achievementDefined(), revised, achievementRetired()]),
        ]),
      );
  });

  it('keeps a definition under its own issuer, event by event, and nothing for a revision of no definition', () =>
    given()
      .when(
        [
          ...inStream(achievementStream('orphan'), achievementRevised(2, {}, { achievementId: 'orphan' })),
          ...testing(achievementDefined({}, { issuerId: OTHER_ISSUER_ID }), achievementRevised(2, { title: 'Later' })),
        ],
        { batchSize: 1 },
      )
      .then(
        expectRows(ROWS).toEqual([
          {
            id: ACHIEVEMENT_ID,
            issuer_id: OTHER_ISSUER_ID,
            status: 'published',
            category: 'skill',
            title: 'Later',
            versions: [1, 2],
          },
        ]),
      ));
});

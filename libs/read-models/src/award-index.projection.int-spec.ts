import { recordStream } from '@app/domain';
import { ACHIEVEMENT_ID, PREREQUISITE_ID } from '../../domain/src/achievement/testing/achievement.fixtures';
import {
  achievementAwarded,
  awardRevoked,
  evidenceSubmitted,
  LEARNER_ID,
  VALID_UNTIL,
} from '../../domain/src/record/testing/record.fixtures';
import { awardIndexProjection, awardsExpiredBetween, findAward } from './award-index.projection';
import { expectRead, expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';

describe.each(SPEC_BACKENDS)('award index projection specification on %s', (_name, backend) => {
  const given = projectionSpec(awardIndexProjection, backend);

  it('places every award in its record stream, a re-award and one that never expires beside a revoked one', () =>
    given(inStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), evidenceSubmitted(), achievementAwarded(), awardRevoked()))
      .when([
        ...inStream(
          recordStream(LEARNER_ID, ACHIEVEMENT_ID),
          achievementAwarded({ awardId: 'aw-2', validUntil: undefined }),
        ),
        ...inStream(
          recordStream(LEARNER_ID, PREREQUISITE_ID),
          achievementAwarded({ awardId: 'aw-p', achievementId: PREREQUISITE_ID }),
        ),
      ])
      .then(
        expectRows(
          `SELECT award_id, learner_id, achievement_id, to_char(valid_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI') AS until
           FROM tessera_award_index ORDER BY award_id`,
        ).toEqual([
          { award_id: 'aw-1', learner_id: LEARNER_ID, achievement_id: ACHIEVEMENT_ID, until: '2028-03-10T14:00' },
          { award_id: 'aw-2', learner_id: LEARNER_ID, achievement_id: ACHIEVEMENT_ID, until: null },
          { award_id: 'aw-p', learner_id: LEARNER_ID, achievement_id: PREREQUISITE_ID, until: '2028-03-10T14:00' },
        ]),
        expectRead('findAward aw-2', (query) => findAward(query, 'aw-2')).toEqual({
          awardId: 'aw-2',
          learnerId: LEARNER_ID,
          achievementId: ACHIEVEMENT_ID,
        }),
        expectRead('awards expiring by then', (query) =>
          awardsExpiredBetween(query, new Date(0), new Date(VALID_UNTIL)),
        ).toEqual([
          { awardId: 'aw-1', learnerId: LEARNER_ID, achievementId: ACHIEVEMENT_ID, validUntil: VALID_UNTIL },
          { awardId: 'aw-p', learnerId: LEARNER_ID, achievementId: PREREQUISITE_ID, validUntil: VALID_UNTIL },
        ]),
      ));
});

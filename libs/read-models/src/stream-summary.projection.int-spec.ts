import { achievementStream, recordStream } from '@app/domain';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  achievementRevised,
} from '../../domain/src/achievement/testing/achievement.fixtures';
import {
  achievementAwarded,
  assessmentRecorded,
  evidenceSubmitted,
  LEARNER_ID,
} from '../../domain/src/record/testing/record.fixtures';
import { listStreamSummaries, streamSummaryProjection } from './stream-summary.projection';
import { expectRead, expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';

describe.each(SPEC_BACKENDS)('stream summary projection specification on %s', (_name, backend) => {
  const given = projectionSpec(streamSummaryProjection, backend);
  const RECORD = recordStream(LEARNER_ID, ACHIEVEMENT_ID);
  const ACHIEVEMENT = achievementStream(ACHIEVEMENT_ID);

  it('counts each stream’s events once across runs and keeps its last revision and type', () =>
    given(inStream(ACHIEVEMENT, achievementDefined()), inStream(RECORD, evidenceSubmitted()))
      .when([
        ...inStream(RECORD, assessmentRecorded(), achievementAwarded()),
        ...inStream(ACHIEVEMENT, achievementRevised(2)),
      ])
      .then(
        expectRows(
          `SELECT stream_name, category, event_count, last_revision::int AS last_revision, last_event_type
           FROM tessera_stream_summary ORDER BY stream_name`,
        ).toEqual([
          {
            stream_name: ACHIEVEMENT,
            category: 'achievement',
            event_count: 2,
            last_revision: 1,
            last_event_type: 'AchievementRevised',
          },
          {
            stream_name: RECORD,
            category: 'record',
            event_count: 3,
            last_revision: 2,
            last_event_type: 'AchievementAwarded',
          },
        ]),
        expectRead('listStreamSummaries of records', async (query) =>
          (await listStreamSummaries(query, 'record')).map((summary) => [summary.stream, summary.eventCount]),
        ).toEqual([[RECORD, 3]]),
      ));
});

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
import {
  listStreamSummaries,
  STREAMS_UNDER_PREFIXES,
  streamsUnderPrefixes,
  streamSummaryProjection,
} from './stream-summary.projection';
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

describe.each(SPEC_BACKENDS)('the streams under a learner’s prefixes, on %s', (_name, backend) => {
  const given = projectionSpec(streamSummaryProjection, backend);
  const streams = ['record-ada~sql', 'record-ada~stats', 'record-adam~sql', 'qualification-ada~cert', 'record-ad_a~x'];

  it('answers exactly the streams under each prefix, each prefix read as a range of the name index', () =>
    given(...streams.map((stream) => inStream(stream, evidenceSubmitted())))
      .when([])
      .then(
        expectRead(
          'streamsUnderPrefixes',
          async (query) =>
            (await streamsUnderPrefixes(query, ['record-ada~', 'qualification-ada~', 'record-ad_'])).streams,
        ).toEqual(['qualification-ada~cert', 'record-ad_a~x', 'record-ada~sql', 'record-ada~stats']),
        // With sequential scans priced out, a plan that cannot use the index still shows one: a per-read scan of
        // every stream (the pattern of a parameterised LIKE is not known when it is planned).
        expectRead('the plan, with sequential scans disabled', async (query) => {
          await query('SET enable_seqscan = off');
          const [{ 'QUERY PLAN': plan }] = await query<{ 'QUERY PLAN': unknown }>(
            `EXPLAIN (FORMAT JSON) ${STREAMS_UNDER_PREFIXES}`,
            [JSON.stringify(['record-ada~']), streamSummaryProjection.name],
          );
          await query('RESET enable_seqscan');
          const text = JSON.stringify(plan);
          return { seqScanOfSummary: /"Seq Scan"[^}]*"tessera_stream_summary"/.test(text) };
        }).toEqual({ seqScanOfSummary: false }),
      ));
});

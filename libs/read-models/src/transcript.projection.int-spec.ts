import { foldTranscript, qualificationStream, recordStream } from '@app/domain';
import { ACHIEVEMENT_ID, PREREQUISITE_ID } from '../../domain/src/achievement/testing/achievement.fixtures';
import { PATHWAY_ID } from '../../domain/src/pathway/testing/pathway.fixtures';
import {
  QUALIFICATION_ID,
  qualificationConferred,
  qualificationRevoked,
} from '../../domain/src/qualification/testing/qualification.fixtures';
import {
  achievementAwarded,
  assessmentRecorded,
  awardReinstated,
  awardRevoked,
  awardSuspended,
  evidenceSubmitted,
  LEARNER_ID,
  priorLearningRecognised,
} from '../../domain/src/record/testing/record.fixtures';
import { ISSUER_ID } from '../../domain/src/shared/testing/actors';
import { expectRead, expectRows, inStream, projectionSpec, SPEC_BACKENDS } from './testing/projection-spec';
import { findQualificationHolder, loadTranscriptState, transcriptProjection } from './transcript.projection';

describe.each(SPEC_BACKENDS)('transcript projection specification on %s', (_name, backend) => {
  const given = projectionSpec(transcriptProjection, backend);
  const testing = recordStream(LEARNER_ID, ACHIEVEMENT_ID);
  const basics = recordStream(LEARNER_ID, PREREQUISITE_ID);
  const qualification = qualificationStream(LEARNER_ID, PATHWAY_ID);
  const givenEvents = [
    ...inStream(testing, evidenceSubmitted(), assessmentRecorded(), achievementAwarded()),
    ...inStream(basics, achievementAwarded({ achievementId: PREREQUISITE_ID, awardId: 'aw-p', validUntil: undefined })),
  ];
  const whenEvents = [
    ...inStream(testing, awardSuspended(), awardReinstated(), awardRevoked(), achievementAwarded({ awardId: 'aw-2' })),
    ...inStream(basics, priorLearningRecognised({ achievementId: PREREQUISITE_ID })),
    ...inStream(qualification, qualificationConferred(), qualificationRevoked()),
  ];

  it('keeps the fold the as-of replay makes, and a searchable row per award with its standing', () =>
    given(givenEvents)
      .when(whenEvents, { batchSize: 2 })
      .then(
        expectRows(
          `SELECT award_id, learner_id, issuer_id, achievement_id, version, standing, status,
             valid_until IS NOT NULL AS expires
           FROM tessera_transcript_awards ORDER BY learner_id, award_id`,
        ).toEqual([
          {
            award_id: 'aw-1',
            learner_id: LEARNER_ID,
            issuer_id: ISSUER_ID,
            achievement_id: ACHIEVEMENT_ID,
            version: 1,
            standing: 'revoked',
            status: 'revoked',
            expires: true,
          },
          {
            award_id: 'aw-2',
            learner_id: LEARNER_ID,
            issuer_id: ISSUER_ID,
            achievement_id: ACHIEVEMENT_ID,
            version: 1,
            standing: 'active',
            status: 'valid',
            expires: true,
          },
          {
            award_id: 'aw-p',
            learner_id: LEARNER_ID,
            issuer_id: ISSUER_ID,
            achievement_id: PREREQUISITE_ID,
            version: 1,
            standing: 'active',
            status: 'valid',
            expires: false,
          },
        ]),
        expectRows("SELECT learner_id, jsonb_array_length(state->'awards') AS awards FROM tessera_transcripts").toEqual(
          [{ learner_id: LEARNER_ID, awards: 3 }],
        ),
        expectRead('loadTranscriptState', (query) => loadTranscriptState(query, LEARNER_ID)).toEqual(
          foldTranscript(LEARNER_ID, [...givenEvents, ...whenEvents]),
        ),
        expectRead('findQualificationHolder', (query) => findQualificationHolder(query, QUALIFICATION_ID)).toEqual(
          LEARNER_ID,
        ),
      ));
});

/**
 * Every event of the lib is plain JSON with a schema version: checked by the compiler (each event's data must be
 * assignable to JsonObject, the store port's shape) and at run time on one example of each type.
 */
import type { AchievementEvent } from './achievement/achievement.events';
import { ACHIEVEMENT_EVENT_TYPES } from './achievement/achievement.events';
import { achievementDefined, achievementRetired, achievementRevised } from './achievement/testing/achievement.fixtures';
import type { IssuerEvent } from './issuer/issuer.events';
import { ISSUER_EVENT_TYPES } from './issuer/issuer.events';
import {
  issuerCredentialsResigned,
  issuerKeyCompromised,
  issuerKeyRotated,
  issuerRegistered,
} from './issuer/testing/issuer.fixtures';
import { recognitionRecorded, recognitionWithdrawn } from './issuer/testing/recognition.fixtures';
import type { RecordEvent } from './record/record.events';
import { RECORD_EVENT_TYPES } from './record/record.events';
import * as record from './record/testing/record.fixtures';
import type { JsonObject } from './shared/json';
import { expectPlainJson } from './shared/testing/given-when-then';

type AssertJson<T extends { data: JsonObject & { schemaVersion: number } }> = T;
export type EveryEventIsJson = AssertJson<IssuerEvent | AchievementEvent | RecordEvent>;

const examples = [
  issuerRegistered(),
  issuerKeyRotated({ previousKeyId: 'k0' }),
  issuerKeyCompromised(),
  issuerCredentialsResigned(),
  recognitionRecorded({ until: '2027-01-01T00:00:00.000Z', agreement: 'A-1', note: 'n' }),
  recognitionWithdrawn({ reason: 'ended' }),
  achievementDefined(),
  achievementRevised(2),
  achievementRetired({ reason: 'superseded' }),
  record.evidenceSubmitted({ artifact: { url: 'https://x.org/a', sha256: 'a'.repeat(64) } }),
  record.evidenceWithdrawn(),
  record.assessmentRecorded(),
  record.achievementAwarded(),
  record.awardSuspended(),
  record.awardReinstated(),
  record.awardRevoked(),
  record.priorLearningRecognised(),
];

describe('events', () => {
  it('has an example of every event type', () => {
    expect(examples.map((event) => event.type).sort()).toEqual(
      [...ISSUER_EVENT_TYPES, ...ACHIEVEMENT_EVENT_TYPES, ...RECORD_EVENT_TYPES].sort(),
    );
  });

  it.each(examples.map((event) => [event.type, event]))('%s is plain JSON with a schema version', (_, event) => {
    expectPlainJson(event);
    expect(event.data.schemaVersion).toBe(1);
  });
});

import { parseQualificationStream, parseRecordStream, qualificationStream } from '../shared/streams';
import { expectPlainJson } from '../shared/testing/given-when-then';
import { foldQualifications } from './qualification.decider';
import { isQualificationEvent, QUALIFICATION_EVENT_TYPES } from './qualification.events';
import { activeQualification, findQualification } from './qualification.state';
import {
  AWARD_IDS,
  basis,
  CONFERRED_AT,
  ENDED_AT,
  LEARNER_ID,
  PATHWAY_ID,
  QUALIFICATION_ID,
  qualificationBasisInvalidated,
  qualificationConferred,
  qualificationRevoked,
} from './testing/qualification.fixtures';

const entry = {
  learnerId: LEARNER_ID,
  pathwayId: PATHWAY_ID,
  qualificationId: QUALIFICATION_ID,
  issuerId: 'tu-dublin',
  version: 1,
  basis: basis(),
  credits: [{ framework: 'ECTS', value: 12 }],
  level: { framework: 'EQF', level: 5 },
  awardTitle: 'Certificate in Python Development',
  awardType: 'Certificate',
  conferral: 'automatic',
  conferredAt: CONFERRED_AT,
  conferredBy: 'tessera:conferral',
};

describe('qualifications state', () => {
  it('starts with none', () => {
    const none = foldQualifications([]);
    expect(none).toEqual({ qualifications: [] });
    expect(activeQualification(none)).toBeUndefined();
  });

  it('holds a conferred qualification in force', () => {
    const state = foldQualifications([qualificationConferred()]);
    expect(state).toEqual({ qualifications: [{ ...entry, status: 'conferred' }] });
    expect(activeQualification(state)?.qualificationId).toBe(QUALIFICATION_ID);
    expect(findQualification(state, QUALIFICATION_ID)?.status).toBe('conferred');
    expect(findQualification(state, 'q-9')).toBeUndefined();
  });

  it('keeps an invalidated qualification, with why, when and what was lost', () => {
    const state = foldQualifications([qualificationConferred(), qualificationBasisInvalidated()]);
    expect(state.qualifications).toEqual([
      {
        ...entry,
        status: 'invalidated',
        reason: 'The award aw-python-testing was revoked',
        lostAwardIds: [AWARD_IDS[1]],
        endedAt: ENDED_AT,
      },
    ]);
    expect(activeQualification(state)).toBeUndefined();
  });

  it('keeps a revoked qualification', () => {
    const state = foldQualifications([qualificationConferred(), qualificationRevoked()]);
    expect(state.qualifications).toEqual([
      { ...entry, status: 'revoked', reason: 'Academic misconduct', endedAt: ENDED_AT },
    ]);
    expect(activeQualification(state)).toBeUndefined();
  });

  it('holds a later conferral in force after an ended one', () => {
    const state = foldQualifications([
      qualificationConferred(),
      qualificationBasisInvalidated(),
      qualificationConferred({ qualificationId: 'q-2', version: 2 }),
    ]);
    expect(state.qualifications.map((item) => [item.qualificationId, item.status])).toEqual([
      [QUALIFICATION_ID, 'invalidated'],
      ['q-2', 'conferred'],
    ]);
    expect(activeQualification(state)?.version).toBe(2);
  });

  it('does not end a qualification twice, nor one it does not hold', () => {
    const invalidated = foldQualifications([qualificationConferred(), qualificationBasisInvalidated()]);
    expect(
      foldQualifications([qualificationConferred(), qualificationBasisInvalidated(), qualificationRevoked()]),
    ).toEqual(invalidated);
    expect(foldQualifications([qualificationRevoked()])).toEqual({ qualifications: [] });
  });
});

describe('qualification events', () => {
  it.each([qualificationConferred(), qualificationBasisInvalidated(), qualificationRevoked()])(
    '$type is plain JSON with schema version 1',
    (event) => {
      expectPlainJson(event);
      expect(event.data.schemaVersion).toBe(1);
      expect(isQualificationEvent(event)).toBe(true);
    },
  );

  it('knows its event types', () => {
    expect(QUALIFICATION_EVENT_TYPES).toEqual([
      'QualificationConferred',
      'QualificationBasisInvalidated',
      'QualificationRevoked',
    ]);
    expect(isQualificationEvent({ type: 'AchievementAwarded' })).toBe(false);
  });
});

describe('qualification streams', () => {
  const UUID = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';

  it('are named qualification-{learnerId}~{pathwayId}', () => {
    expect(qualificationStream(LEARNER_ID, PATHWAY_ID)).toBe(`qualification-${LEARNER_ID}~${PATHWAY_ID}`);
  });

  it('split one way only, whatever hyphens the ids hold', () => {
    for (const [learnerId, pathwayId] of [
      [LEARNER_ID, UUID],
      ['a-b', 'c-d'],
      ['urn:learner:42', 'python.developer_v2'],
    ])
      expect(parseQualificationStream(qualificationStream(learnerId, pathwayId))).toEqual({ learnerId, pathwayId });
  });

  it('are not parsed from other streams, nor parsed as records', () => {
    for (const name of [
      'pathway-python-developer',
      'record-a~b',
      'qualification-a',
      'qualification-a~b~c',
      'qualification-~b',
    ])
      expect(parseQualificationStream(name)).toBeUndefined();
    expect(parseRecordStream(qualificationStream('a', 'b'))).toBeUndefined();
  });

  it('refuse malformed ids and stay under 200 characters', () => {
    expect(() => qualificationStream('a~b', 'c')).toThrow(expect.objectContaining({ code: 'invalid-id' }));
    expect(() => qualificationStream('a', '')).toThrow(expect.objectContaining({ code: 'invalid-id' }));
    expect(qualificationStream('a'.repeat(64), 'b'.repeat(64)).length).toBeLessThanOrEqual(200);
  });
});

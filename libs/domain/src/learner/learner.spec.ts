import { assessor, registrar } from '../shared/testing/actors';
import { decideLearnerProfile, evolveLearnerProfile, initialLearnerProfile, type LearnerCommand } from './learner';

const now = '2026-03-01T10:00:00.000Z';

describe('learner profile', () => {
  const record: LearnerCommand = {
    type: 'RecordLearnerProfile',
    data: { learnerId: 'ada', fields: ['name', 'email'] },
    metadata: { now, actor: registrar },
  };
  const erase: LearnerCommand = {
    type: 'EraseLearnerProfile',
    data: { learnerId: 'ada' },
    metadata: { now, actor: registrar },
  };

  it('records that a profile was given, naming the fields and never their values', () => {
    expect(decideLearnerProfile(record, initialLearnerProfile())).toEqual([
      {
        type: 'LearnerProfileRecorded',
        data: {
          schemaVersion: 1,
          learnerId: 'ada',
          fields: ['email', 'name'],
          recordedAt: now,
          recordedBy: registrar.sub,
        },
      },
    ]);
  });

  it('erases a present profile, and refuses to erase one that is absent or already erased', () => {
    const present = decideLearnerProfile(record, initialLearnerProfile()).reduce(
      evolveLearnerProfile,
      initialLearnerProfile(),
    );
    const [erased] = decideLearnerProfile(erase, present);
    expect(erased).toEqual({
      type: 'LearnerProfileErased',
      data: { schemaVersion: 1, learnerId: 'ada', erasedAt: now, erasedBy: registrar.sub },
    });
    expect(() => decideLearnerProfile(erase, initialLearnerProfile())).toThrow(
      expect.objectContaining({ code: 'unknown-profile' }),
    );
    expect(() => decideLearnerProfile(erase, evolveLearnerProfile(present, erased))).toThrow(
      expect.objectContaining({ code: 'unknown-profile' }),
    );
  });

  it('refuses an assessor', () => {
    expect(() =>
      decideLearnerProfile({ ...record, metadata: { now, actor: assessor } }, initialLearnerProfile()),
    ).toThrow(expect.objectContaining({ code: 'role-required' }));
  });
});

import { assessor, ISSUER_ID, OTHER_ISSUER_ID, registrar } from '../shared/testing/actors';
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

  it('records which issuer registered it, and keeps each registering issuer once, through erasure', () => {
    const byIssuer: LearnerCommand = { ...record, data: { ...record.data, issuerId: ISSUER_ID } };
    const [recorded] = decideLearnerProfile(byIssuer, initialLearnerProfile());
    expect(recorded.data).toMatchObject({ issuerId: ISSUER_ID });
    const state = [recorded, recorded, ...decideLearnerProfile(erase, { status: 'present', registeredBy: [] })].reduce(
      evolveLearnerProfile,
      initialLearnerProfile(),
    );
    expect(state).toEqual({ status: 'erased', registeredBy: [ISSUER_ID] });
  });

  it('refuses a registrar naming an issuer their token does not hold', () => {
    const elsewhere: LearnerCommand = { ...record, data: { ...record.data, issuerId: OTHER_ISSUER_ID } };
    expect(() => decideLearnerProfile(elsewhere, initialLearnerProfile())).toThrow(
      expect.objectContaining({ code: 'not-your-issuer' }),
    );
  });

  it('refuses an assessor', () => {
    expect(() =>
      decideLearnerProfile({ ...record, metadata: { now, actor: assessor } }, initialLearnerProfile()),
    ).toThrow(expect.objectContaining({ code: 'role-required' }));
  });
});

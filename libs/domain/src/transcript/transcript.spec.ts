import {
  creditTotals,
  evolveTranscript,
  foldTranscript,
  initialTranscript,
  scopeTranscript,
  type TranscriptEventInput,
  transcriptAt,
  transcriptEffectiveAt,
  transcriptLearnerOf,
} from './transcript';

const base = { schemaVersion: 1, learnerId: 'ada' };

const awarded = (
  awardId: string,
  achievementId: string,
  overrides: Record<string, unknown> = {},
): TranscriptEventInput => ({
  type: 'AchievementAwarded',
  stream: `record-ada~${achievementId}`,
  data: {
    ...base,
    achievementId,
    issuerId: 'tu-dublin',
    version: 1,
    awardId,
    assessmentId: `${awardId}-assessment`,
    issuedAt: '2026-03-01T10:00:00.000Z',
    credits: [{ framework: 'ECTS', value: 5 }],
    level: { framework: 'EQF', level: 6 },
    notionalHours: 150,
    awardedBy: 'staff',
    ...overrides,
  },
});
const status = (type: string, awardId: string, achievementId: string, at: string): TranscriptEventInput => ({
  type,
  data: { ...base, achievementId, awardId, reason: 'because', by: 'staff', at },
});
const conferred = (qualificationId: string): TranscriptEventInput => ({
  type: 'QualificationConferred',
  data: {
    ...base,
    pathwayId: 'cert',
    qualificationId,
    issuerId: 'tu-dublin',
    version: 1,
    basis: { awardIds: ['a1'], pathwayQualificationIds: [] },
    credits: [{ framework: 'ECTS', value: 10 }],
    level: { framework: 'EQF', level: 6 },
    awardTitle: 'Certificate in Data',
    awardType: 'Certificate',
    conferral: 'automatic',
    conferredAt: '2026-03-02T00:00:00.000Z',
    conferredBy: 'tessera:conferral',
  },
});

const catalogue = (achievementId: string, version: number) =>
  achievementId === 'sql' ? { title: `SQL v${version}`, kind: 'skill' as const } : undefined;

describe('transcript fold', () => {
  it('starts empty and ignores other learners, evidence and unknown events', () => {
    const state = foldTranscript('ada', [
      { type: 'EvidenceSubmitted', data: { ...base, achievementId: 'sql', evidenceId: 'e1' } },
      { ...awarded('b1', 'sql'), data: { ...awarded('b1', 'sql').data, learnerId: 'bob' } },
      { type: 'IssuerRegistered', data: { schemaVersion: 1, issuerId: 'x' } },
    ]);
    expect(state).toEqual(initialTranscript('ada'));
    expect(transcriptAt(state, '2026-04-01T00:00:00.000Z')).toEqual({
      learnerId: 'ada',
      awards: [],
      qualifications: [],
      creditTotals: [],
      priorLearning: [],
    });
    expect(transcriptLearnerOf(awarded('a1', 'sql'))).toBe('ada');
    expect(transcriptLearnerOf({ type: 'IssuerRegistered', data: {} })).toBeUndefined();
  });

  it('shows an award valid with its credits, title and kind from the catalogue', () => {
    const state = foldTranscript('ada', [awarded('a1', 'sql', { version: 2 })]);
    const transcript = transcriptAt(state, '2026-04-01T00:00:00.000Z', { catalogue });
    expect(transcript.awards).toEqual([
      {
        awardId: 'a1',
        achievementId: 'sql',
        issuerId: 'tu-dublin',
        version: 2,
        title: 'SQL v2',
        kind: 'skill',
        status: 'valid',
        issuedAt: '2026-03-01T10:00:00.000Z',
        credits: [{ framework: 'ECTS', value: 5 }],
        level: { framework: 'EQF', level: 6 },
      },
    ]);
    expect(transcript.creditTotals).toEqual([
      { framework: 'ECTS', value: 5, basis: 'official', stated: 5, converted: 0 },
    ]);
    // Without the catalogue, the title falls back to the achievement id
    expect(transcriptAt(state, '2026-04-01T00:00:00.000Z').awards[0]).toMatchObject({ title: 'sql' });
    expect(transcriptAt(state, '2026-04-01T00:00:00.000Z').awards[0]).not.toHaveProperty('kind');
  });

  it('follows suspension, reinstatement and revocation; only valid awards count', () => {
    const events = [
      awarded('a1', 'sql'),
      awarded('a2', 'model', { credits: [{ framework: 'CATS', value: 10 }] }),
      status('AwardSuspended', 'a1', 'sql', '2026-03-05T00:00:00.000Z'),
    ];
    const at = '2026-04-01T00:00:00.000Z';
    const suspended = transcriptAt(foldTranscript('ada', events), at);
    expect(suspended.awards.map((award) => award.status)).toEqual(['suspended', 'valid']);
    expect(suspended.creditTotals).toEqual([
      { framework: 'ECTS', value: 5, basis: 'official', stated: 0, converted: 1 },
      { framework: 'CATS', value: 10, basis: 'official', stated: 10, converted: 0 },
    ]);
    const reinstated = foldTranscript('ada', [...events, status('AwardReinstated', 'a1', 'sql', at)]);
    expect(transcriptAt(reinstated, at).awards.map((award) => award.status)).toEqual(['valid', 'valid']);
    expect(transcriptAt(reinstated, at).creditTotals).toEqual([
      { framework: 'ECTS', value: 10, basis: 'official', stated: 5, converted: 1 },
      { framework: 'CATS', value: 20, basis: 'official', stated: 10, converted: 1 },
    ]);
    const revoked = evolveTranscript(reinstated, status('AwardRevoked', 'a1', 'sql', at));
    expect(transcriptAt(revoked, at).awards.map((award) => award.status)).toEqual(['revoked', 'valid']);
    // Revocation is final: a later reinstatement event for another award changes nothing here
    expect(transcriptAt(revoked, at).creditTotals[0]).toMatchObject({ framework: 'ECTS', value: 5 });
  });

  it('shows an award revoked later as valid before its revocation (replaying the events up to then)', () => {
    const before = [awarded('a1', 'sql')];
    const after = [...before, status('AwardRevoked', 'a1', 'sql', '2026-05-01T00:00:00.000Z')];
    const asOf = '2026-04-01T00:00:00.000Z';
    expect(transcriptAt(foldTranscript('ada', before), asOf, { asOf }).awards[0].status).toBe('valid');
    expect(transcriptAt(foldTranscript('ada', before), asOf, { asOf }).asOf).toBe(asOf);
    expect(transcriptAt(foldTranscript('ada', after), '2026-05-02T00:00:00.000Z').awards[0].status).toBe('revoked');
  });

  it('answers what the learner had achieved by an effective date, as the ledger knows it now', () => {
    // Moved from another system: awarded in 2024, recorded (and revoked) in 2026, all in one replay of today's ledger.
    const state = foldTranscript('ada', [
      awarded('old', 'sql', { issuedAt: '2024-05-01T00:00:00.000Z' }),
      awarded('new', 'python', { issuedAt: '2026-03-01T10:00:00.000Z' }),
      status('AwardSuspended', 'old', 'sql', '2025-01-01T00:00:00.000Z'),
      status('AwardReinstated', 'old', 'sql', '2025-02-01T00:00:00.000Z'),
      status('AwardRevoked', 'old', 'sql', '2026-04-01T00:00:00.000Z'),
      { ...conferred('q1'), data: { ...conferred('q1').data, conferredAt: '2024-06-01T00:00:00.000Z' } },
      {
        type: 'QualificationRevoked',
        data: {
          ...base,
          qualificationId: 'q1',
          pathwayId: 'cert',
          reason: 'basis revoked',
          by: 'staff',
          at: '2026-04-01T00:00:00.000Z',
        },
      },
    ]);
    const at = (effectiveAt: string) => {
      const transcript = transcriptEffectiveAt(state, effectiveAt, { catalogue });
      return {
        effectiveAt: transcript.effectiveAt,
        awards: transcript.awards.map((award) => [award.awardId, award.status]),
        qualifications: transcript.qualifications.map((entry) => [entry.qualificationId, entry.status]),
        ects: transcript.creditTotals.find((total) => total.framework === 'ECTS')?.value ?? 0,
      };
    };
    expect(at('2024-01-01T00:00:00.000Z')).toEqual({
      effectiveAt: '2024-01-01T00:00:00.000Z',
      awards: [],
      qualifications: [],
      ects: 0,
    });
    expect(at('2024-12-31T00:00:00.000Z')).toMatchObject({
      awards: [['old', 'valid']],
      qualifications: [['q1', 'conferred']],
      ects: 5,
    });
    expect(at('2025-01-15T00:00:00.000Z')).toMatchObject({ awards: [['old', 'suspended']], ects: 0 });
    expect(at('2026-03-15T00:00:00.000Z')).toMatchObject({
      awards: [
        ['old', 'valid'],
        ['new', 'valid'],
      ],
      ects: 10,
    });
    expect(at('2026-05-01T00:00:00.000Z')).toMatchObject({
      awards: [
        ['old', 'revoked'],
        ['new', 'valid'],
      ],
      qualifications: [['q1', 'revoked']],
      ects: 5,
    });
    // Today's view is the same fold read at now.
    expect(transcriptEffectiveAt(state, '2026-05-01T00:00:00.000Z').awards).toEqual(
      transcriptAt(state, '2026-05-01T00:00:00.000Z').awards,
    );
  });

  it('shows an award expired from validUntil on (the instant included), valid before', () => {
    const state = foldTranscript('ada', [awarded('a1', 'sql', { validUntil: '2026-06-01T00:00:00.000Z' })]);
    expect(transcriptAt(state, '2026-05-31T23:59:59.999Z').awards[0]).toMatchObject({
      status: 'valid',
      validUntil: '2026-06-01T00:00:00.000Z',
    });
    expect(transcriptAt(state, '2026-06-01T00:00:00.000Z').awards[0].status).toBe('expired');
    expect(transcriptAt(state, '2026-06-01T00:00:00.000Z').creditTotals).toEqual([]);
  });

  it('lists qualifications with their status and title, and prior learning without counting it', () => {
    const state = foldTranscript('ada', [
      conferred('q1'),
      {
        type: 'QualificationBasisInvalidated',
        data: {
          ...base,
          pathwayId: 'cert',
          qualificationId: 'q1',
          reason: 'lost',
          lostAwardIds: ['a1'],
          at: 'x',
          by: 'y',
        },
      },
      conferred('q2'),
      {
        type: 'PriorLearningRecognised',
        data: {
          ...base,
          achievementId: 'sql',
          recognitionId: 'r1',
          issuer: 'Elsewhere U',
          title: 'Databases',
          credits: [{ framework: 'ECTS', value: 5 }],
          evidence: { description: 'transcript' },
          recognisedBy: 'registrar',
          recognisedAt: '2026-03-03T00:00:00.000Z',
        },
      },
    ]);
    const transcript = transcriptAt(state, '2026-04-01T00:00:00.000Z');
    expect(transcript.qualifications).toEqual([
      expect.objectContaining({
        qualificationId: 'q1',
        pathwayId: 'cert',
        title: 'Certificate in Data',
        status: 'invalidated',
        conferredAt: '2026-03-02T00:00:00.000Z',
      }),
      expect.objectContaining({ qualificationId: 'q2', status: 'conferred' }),
    ]);
    expect(transcript.priorLearning).toEqual([expect.objectContaining({ recognitionId: 'r1', title: 'Databases' })]);
    expect(transcript.creditTotals).toEqual([]);
  });

  it("scopes a transcript to one issuer's achievements and pathways, prior learning by the achievement it counts towards", () => {
    const prior = (recognitionId: string, achievementId: string): TranscriptEventInput => ({
      type: 'PriorLearningRecognised',
      data: {
        ...base,
        achievementId,
        recognitionId,
        issuer: 'Elsewhere U',
        title: 'Databases',
        credits: [],
        evidence: { description: 'transcript' },
        recognisedBy: 'registrar',
        recognisedAt: '2026-03-03T00:00:00.000Z',
      },
    });
    const state = foldTranscript('ada', [
      awarded('a1', 'sql'),
      awarded('a2', 'ethics', { issuerId: 'uni-porto' }),
      conferred('q1'),
      prior('r1', 'sql'),
      prior('r2', 'ethics'),
    ]);
    const scoped = scopeTranscript(state, { achievementIds: new Set(['ethics']), pathwayIds: new Set() });
    expect(scoped.awards.map((award) => award.awardId)).toEqual(['a2']);
    expect(scoped.qualifications).toEqual([]);
    expect(scoped.priorLearning.map((entry) => entry.recognitionId)).toEqual(['r2']);
    const own = scopeTranscript(state, { achievementIds: new Set(['sql']), pathwayIds: new Set(['cert']) });
    expect(own).toEqual({ ...state, awards: [state.awards[0]], priorLearning: [state.priorLearning[0]] });
  });

  it('is idempotent on a replayed award or conferral', () => {
    const once = foldTranscript('ada', [awarded('a1', 'sql'), conferred('q1')]);
    expect(
      foldTranscript('ada', [awarded('a1', 'sql'), conferred('q1'), awarded('a1', 'sql'), conferred('q1')]),
    ).toEqual(once);
  });

  it('totals credit per framework present and in ECTS, flagging conventions', () => {
    expect(
      creditTotals([
        { credits: [{ framework: 'US-SCH', value: 3 }] },
        { credits: [{ framework: 'ECTS', value: 2 }] },
        { credits: [{ framework: 'SCQF', value: 15 }] },
      ]),
    ).toEqual([
      // US-SCH → ECTS is a convention (×2); SCQF → ECTS a convention (×0.5)
      { framework: 'ECTS', value: 15.5, basis: 'convention', stated: 2, converted: 2 },
      { framework: 'SCQF', value: 31, basis: 'convention', stated: 15, converted: 2 },
      { framework: 'US-SCH', value: 7.75, basis: 'convention', stated: 3, converted: 2 },
    ]);
    // An award stating both ECTS and CATS counts once in each, as stated
    expect(
      creditTotals([
        {
          credits: [
            { framework: 'ECTS', value: 2 },
            { framework: 'CATS', value: 4 },
          ],
        },
      ]),
    ).toEqual([
      { framework: 'ECTS', value: 2, basis: 'official', stated: 2, converted: 0 },
      { framework: 'CATS', value: 4, basis: 'official', stated: 4, converted: 0 },
    ]);
  });
});

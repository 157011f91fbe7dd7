import type { AchievementAwarded, AchievementDefinition, PathwayDefinition } from '@app/domain';
import {
  buildAwardEdc,
  buildQualificationEdc,
  type ConferredQualification,
  type CredentialIssuer,
  type EdcAward,
  type RuleTitles,
} from './index';
import { commissionAnnexISample, edcShaclValidator } from './testing/edc-shacl';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk the JSON freely
type Loose = Record<string, any>;

const PUBLIC_URL = 'https://credentials.example.edu';
const validate = edcShaclValidator();

const issuer: CredentialIssuer = {
  issuerId: 'tu-dublin',
  name: 'TU Dublin',
  url: 'https://tudublin.ie',
  country: 'IE',
  qualityAssurance: 'QQI institutional review',
};

/** Every optional element a definition can carry. */
const full: AchievementDefinition = {
  title: 'Querying relational data',
  kind: 'skill',
  statement: 'I can query a relational database with SQL',
  description: 'Joins, aggregates and query plans.',
  learningOutcomes: ['Write joins and aggregates', 'Read a query plan'],
  criteria: [
    { id: 'joins', description: 'Writes a correct multi-table join', required: true },
    { id: 'plans', description: 'Explains a query plan', required: false },
  ],
  notionalHours: 60,
  level: { framework: 'EQF', level: 6 },
  credits: [
    { framework: 'ECTS', value: 2 },
    { framework: 'CATS', value: 4 },
  ],
  assessmentType: 'practical demonstration',
  supervision: { supervised: true, identityVerified: false },
  participation: 'blended',
  validity: 'P2Y',
  prerequisites: ['sql-basics'],
  url: 'https://tudublin.ie/micro/sql',
};

/** Only the mandatory ones: no credits, a national level, no supervision, prerequisites or further information. */
const bare: AchievementDefinition = {
  title: 'Data modelling',
  kind: 'knowledge',
  statement: 'I understand entity-relationship modelling',
  learningOutcomes: ['Draw an ER diagram'],
  criteria: [{ id: 'er', description: 'Draws a correct ER diagram', required: true }],
  notionalHours: 12.5,
  level: { framework: 'SCQF', level: 9 },
  credits: [],
  assessmentType: 'portfolio',
  participation: 'onsite',
  prerequisites: [],
};

const awarded = (definition: AchievementDefinition, awardId: string): AchievementAwarded['data'] => ({
  schemaVersion: 1,
  learnerId: 'ada',
  achievementId: awardId.replace('award-', ''),
  issuerId: 'tu-dublin',
  version: 1,
  awardId,
  assessmentId: `assessment-${awardId}`,
  issuedAt: '2026-03-02T10:00:00.000Z',
  ...(definition.validity === undefined ? {} : { validUntil: '2028-03-02T10:00:00.000Z' }),
  credits: definition.credits,
  level: definition.level,
  notionalHours: definition.notionalHours,
  awardedBy: 'tu-staff',
});

const fullAward: EdcAward = {
  award: awarded(full, 'award-sql'),
  definition: full,
  issuer,
  assessment: {
    schemaVersion: 1,
    learnerId: 'ada',
    achievementId: 'sql',
    version: 1,
    assessmentId: 'assessment-award-sql',
    assessor: 'tu-staff',
    evidenceIds: [],
    results: [
      { criterionId: 'joins', met: true },
      { criterionId: 'plans', met: false },
    ],
    outcome: 'passed',
    assessedAt: '2026-03-01T09:00:00.000Z',
  },
};
const bareAward: EdcAward = { award: awarded(bare, 'award-model'), definition: bare, issuer };

const certificate: PathwayDefinition = {
  title: 'Certificate in Data Foundations',
  award: {
    title: 'Certificate in Data Foundations',
    type: 'Certificate',
    level: { framework: 'EQF', level: 6 },
    credits: [{ framework: 'ECTS', value: 10 }],
  },
  rule: { allOf: [{ achievement: 'sql' }, { achievement: 'model' }] },
  conferral: 'automatic',
  onBasisLost: 'invalidate',
};
const titles: RuleTitles = { achievement: () => undefined, pathway: () => undefined };

const qualification = (basis: Partial<ConferredQualification['basis']> = {}): ConferredQualification => ({
  learnerId: 'ada',
  pathwayId: 'cert',
  qualificationId: 'q-1',
  issuerId: 'tu-dublin',
  version: 1,
  basis: { awardIds: ['award-sql', 'award-model'], recognitionIds: [], pathwayQualificationIds: [], ...basis },
  credits: [{ framework: 'ECTS', value: 12 }],
  level: { framework: 'EQF', level: 6 },
  awardTitle: 'Certificate in Data Foundations',
  awardType: 'Certificate',
  conferral: 'automatic',
  conferredAt: '2026-04-01T12:00:00.000Z',
  conferredBy: 'tessera:conferral',
});

const awardEdc = (part: EdcAward, learnerName?: string) =>
  buildAwardEdc({ publicUrl: PUBLIC_URL, ...part, ...(learnerName === undefined ? {} : { learnerName }) }) as Loose;

const qualificationEdc = (learnerName?: string, q = qualification(), parts = [fullAward, bareAward]) =>
  buildQualificationEdc({
    publicUrl: PUBLIC_URL,
    qualification: q,
    definition: certificate,
    issuer,
    titles,
    parts,
    ...(learnerName === undefined ? {} : { learnerName }),
  }) as Loose;

describe('the SHACL validation of EDCs', () => {
  it('accepts the Commission’s own signed Annex I sample (the validator setup is sound)', async () => {
    expect(await validate(commissionAnnexISample())).toEqual({ conforms: true, violations: [] });
  });

  it('refuses the sample without its date of issuing, and a credential missing a mandatory element', async () => {
    const undated = commissionAnnexISample();
    delete undated.issued;
    const outcome = await validate(undated);
    expect(outcome.conforms).toBe(false);
    expect(outcome.violations).toEqual([expect.stringContaining('https://www.w3.org/2018/credentials#issued')]);

    const untitled = awardEdc(fullAward, 'Ada Lovelace');
    delete untitled.credentialSubject.hasClaim.title;
    expect((await validate(untitled)).violations).toEqual([
      expect.stringMatching(/#achievement · http:\/\/purl\.org\/dc\/terms\/title: /),
    ]);
  });

  it('refuses, rather than drops, a term the EDC context does not define', async () => {
    await expect(validate({ ...awardEdc(bareAward), notInTheProfile: true })).rejects.toThrow();
  });
});

describe('buildAwardEdc', () => {
  it.each([
    ['every optional element, a named learner', awardEdc(fullAward, 'Ada Lovelace')],
    ['the mandatory elements only, a named learner', awardEdc(bareAward, 'Ada Lovelace')],
    ['every optional element, an erased learner', awardEdc(fullAward)],
    ['the mandatory elements only, an erased learner', awardEdc(bareAward)],
  ])('conforms to the EDC shapes: %s', async (_case, edc) => {
    expect(await validate(edc)).toEqual({ conforms: true, violations: [] });
  });

  const edc = awardEdc(fullAward, 'Ada Lovelace');
  const claim = edc.credentialSubject.hasClaim;
  const spec = claim.specifiedBy;

  it('carries every mandatory Annex I element', () => {
    expect(edc.type).toEqual(['VerifiableCredential', 'EuropeanDigitalCredential']);
    expect(edc.id).toBe(`${PUBLIC_URL}/awards/award-sql/credential?format=edc`);
    // identification of the learner
    expect(edc.credentialSubject).toMatchObject({
      type: 'Person',
      id: 'urn:tessera:learner:ada',
      fullName: { en: 'Ada Lovelace' },
    });
    // title
    expect(claim.title).toEqual({ en: 'Querying relational data' });
    // awarding body and its country
    expect(claim.awardedBy.awardingBody).toMatchObject({
      id: `${PUBLIC_URL}/issuers/tu-dublin`,
      type: 'Organisation',
      legalName: { en: 'TU Dublin' },
      location: { address: { countryCode: { id: 'http://publications.europa.eu/resource/authority/country/IRL' } } },
    });
    expect(edc.issuer).toEqual(claim.awardedBy.awardingBody);
    // date of issuing
    expect(edc).toMatchObject({ issued: '2026-03-02T10:00:00.000Z', validFrom: '2026-03-02T10:00:00.000Z' });
    expect(claim.awardedBy.awardingDate).toBe('2026-03-02T10:00:00.000Z');
    // learning outcomes
    expect(spec.learningOutcome.map((outcome: Loose) => outcome.title.en)).toEqual(full.learningOutcomes);
    // notional workload, ECTS first
    expect(spec.volumeOfLearning).toBe('PT60H');
    expect(spec.creditPoint[0]).toMatchObject({
      type: 'CreditPoint',
      point: '2',
      framework: { id: 'http://data.europa.eu/snb/education-credit/6fcec5c5af' },
    });
    // level (EQF)
    expect(spec.eqfLevel).toMatchObject({ id: 'http://data.europa.eu/snb/eqf/6', type: 'Concept' });
    // type of assessment
    expect(claim.provenBy.specifiedBy.title).toEqual({ en: 'practical demonstration' });
    // form of participation
    expect(spec.mode.id).toBe('http://data.europa.eu/snb/learning-assessment/e92d221e4d');
    // type of quality assurance
    expect(edc.issuer.additionalNote[0].noteLiteral.en).toBe('Type of quality assurance: QQI institutional review');
  });

  it('carries the optional elements the definition has: grade, supervision, prerequisites, further information', () => {
    expect(claim.provenBy.grade.noteLiteral.en).toMatch(/^Pass: 1 of 2 rubric criteria met/);
    expect(claim.provenBy.additionalNote[0].noteLiteral.en).toBe(
      'Supervision: supervised; identity not verified during assessment.',
    );
    expect(spec.entryRequirement.noteLiteral.en).toContain('sql-basics');
    expect(spec.homepage.contentURL).toBe('https://tudublin.ie/micro/sql');
    expect(spec.creditPoint[1]).toMatchObject({ point: '4', framework: { id: 'urn:tessera:credit-framework:CATS' } });
    expect(edc.expirationDate).toBe('2028-03-02T10:00:00.000Z');
  });

  it('references a national level to the EQF, and says what it was', () => {
    const bareSpec = awardEdc(bareAward).credentialSubject.hasClaim.specifiedBy;
    expect(bareSpec.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/6');
    expect(bareSpec.additionalNote[0].noteLiteral.en).toBe('Level: SCQF level 9, referenced to EQF level 6.');
    expect(bareSpec.mode.id).toBe('http://data.europa.eu/snb/learning-assessment/9191af2ed9');
    expect(bareSpec.creditPoint).toBeUndefined();
    expect(bareSpec.volumeOfLearning).toBe('PT12H30M');
  });

  it('names no one once the learner is erased, in the data or in the display image', () => {
    const anonymous = awardEdc(fullAward);
    expect(anonymous.credentialSubject).toEqual({
      id: 'urn:tessera:learner:ada',
      type: 'Person',
      hasClaim: expect.any(Object),
    });
    const image = (edcOf: Loose) =>
      Buffer.from(edcOf.displayParameter.individualDisplay.displayDetail.image.content, 'base64').toString('utf8');
    expect(image(edc)).toContain('awarded to Ada Lovelace');
    expect(JSON.stringify(anonymous)).not.toContain('Ada');
    expect(image(anonymous)).not.toContain('Ada');
  });
});

describe('buildQualificationEdc', () => {
  it.each([
    ['two award parts, a named learner', qualificationEdc('Ada Lovelace')],
    ['an erased learner', qualificationEdc()],
    [
      'a national level and credit, one award part',
      qualificationEdc(
        'Ada Lovelace',
        { ...qualification(), level: { framework: 'SCQF', level: 7 }, credits: [{ framework: 'SCQF', value: 20 }] },
        [bareAward],
      ),
    ],
    [
      'a basis of a nested qualification and a recognition, no award part',
      qualificationEdc(
        undefined,
        qualification({ awardIds: [], recognitionIds: ['r-1'], pathwayQualificationIds: ['q-0'] }),
        [],
      ),
    ],
  ])('conforms to the EDC shapes: %s', async (_case, edc) => {
    expect(await validate(edc)).toEqual({ conforms: true, violations: [] });
  });

  it('carries the Annex I elements, its parts’ learning outcomes, assessments and participation', () => {
    const edc = qualificationEdc('Ada Lovelace');
    const claim: Loose = edc.credentialSubject.hasClaim;
    expect(edc.id).toBe(`${PUBLIC_URL}/qualifications/q-1/credential?format=edc`);
    expect(claim.title).toEqual({ en: 'Certificate in Data Foundations' });
    expect(claim.awardedBy.awardingDate).toBe('2026-04-01T12:00:00.000Z');
    expect(claim.specifiedBy).toMatchObject({
      id: `${PUBLIC_URL}/pathways/cert?version=1`,
      type: 'Qualification',
      eqfLevel: { id: 'http://data.europa.eu/snb/eqf/6' },
      creditPoint: [{ point: '10' }],
    });
    expect(claim.specifiedBy.learningOutcome.map((outcome: Loose) => outcome.title.en)).toEqual([
      ...full.learningOutcomes,
      ...bare.learningOutcomes,
    ]);
    expect(claim.specifiedBy.mode.map((mode: Loose) => mode.prefLabel.en)).toEqual(['Blended', 'Presential']);
    expect(claim.creditReceived).toEqual([expect.objectContaining({ point: '12' })]);
    expect(claim.hasPart.map((part: Loose) => part.provenBy.specifiedBy.title.en)).toEqual([
      'practical demonstration',
      'portfolio',
    ]);
    expect(JSON.stringify(qualificationEdc())).not.toContain('Ada');
  });

  it('keeps the rule and a national level as notes side by side', () => {
    const national = qualificationEdc(undefined, { ...qualification(), level: { framework: 'SCQF', level: 7 } }, []);
    const spec: Loose = national.credentialSubject.hasClaim.specifiedBy;
    expect(spec.additionalNote.map((entry: Loose) => entry.noteLiteral.en)).toEqual([
      expect.stringMatching(/^Conferred on a learner who holds valid awards meeting this rule:/),
      'Level: SCQF level 7, referenced to EQF level 5.',
    ]);
    expect(spec.eqfLevel.id).toBe('http://data.europa.eu/snb/eqf/5');
    expect(spec.learningOutcome).toBeUndefined();
  });
});

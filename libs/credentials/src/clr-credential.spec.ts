import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AchievementAwarded, AchievementDefinition, PathwayDefinition, Rule } from '@app/domain';
import {
  buildAchievementCredential,
  buildClrCredential,
  buildQualificationCredential,
  type ClrAward,
  type ConferredQualification,
  type CredentialIssuer,
  identityHash,
  type JsonObject,
  ob3SchemaValidator,
  pathwayAchievement,
  pathwaysInClr,
  ruleNarrative,
  type RuleTitles,
} from './index';
import { safeModeEvents } from './testing/json-ld';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- assertions walk the JSON freely
type Loose = Record<string, any>;

const PUBLIC_URL = 'https://credentials.example.edu';
const validate = ob3SchemaValidator();
const issuer: CredentialIssuer = {
  issuerId: 'tu-dublin',
  name: 'TU Dublin',
  url: 'https://tudublin.ie',
  country: 'IE',
  qualityAssurance: 'QQI',
};
const identity = { email: 'ada@example.edu', salt: 'pepper' };
const titles: RuleTitles = {
  achievement: (id) => ({ sql: 'Querying relational data', model: 'Data modelling' })[id],
  pathway: (id) => (id === 'cert' ? 'Certificate in Data Foundations' : undefined),
};

const skill = (achievementId: string): AchievementDefinition => ({
  title: `Title of ${achievementId}`,
  kind: 'skill',
  statement: 'I can do it',
  learningOutcomes: ['Outcome'],
  criteria: [{ id: 'c', description: 'Does it', required: true }],
  notionalHours: 25,
  level: { framework: 'EQF', level: 6 },
  credits: [{ framework: 'ECTS', value: 5 }],
  assessmentType: 'project',
  participation: 'online',
  prerequisites: [],
});

const awardCredential = (achievementId: string, awardId = `award-${achievementId}`): ClrAward => {
  const award: AchievementAwarded['data'] = {
    schemaVersion: 1,
    learnerId: 'ada',
    achievementId,
    issuerId: 'tu-dublin',
    version: 1,
    awardId,
    assessmentId: `assessment-${achievementId}`,
    issuedAt: '2026-03-02T10:00:00.000Z',
    credits: [{ framework: 'ECTS', value: 5 }],
    level: { framework: 'EQF', level: 6 },
    notionalHours: 25,
    awardedBy: 'tu-staff',
  };
  const credential = buildAchievementCredential({
    publicUrl: PUBLIC_URL,
    award,
    definition: skill(achievementId),
    issuer,
    evidence: [],
    identity,
  });
  return { awardId, achievementId, credential };
};

const pathway = (title: string, type: PathwayDefinition['award']['type'], rule: Rule, ects: number) =>
  ({
    title,
    award: { title, type, level: { framework: 'EQF', level: 6 }, credits: [{ framework: 'ECTS', value: ects }] },
    rule,
    conferral: 'automatic',
    onBasisLost: 'invalidate',
  }) satisfies PathwayDefinition;

const cert = pathway(
  'Certificate in Data Foundations',
  'Certificate',
  { allOf: [{ achievement: 'sql' }, { achievement: 'model' }] },
  10,
);
const microDegree = pathway(
  'Micro-degree in Data Engineering',
  'ext:MicroDegree',
  {
    allOf: [
      { pathway: 'cert' },
      { nOf: { n: 2, of: [{ achievement: 'spark' }, { achievement: 'kafka' }, { achievement: 'dbt' }] } },
      { credits: { framework: 'ECTS', min: 20, minLevel: { framework: 'EQF', level: 5 } } },
      { count: { min: 4, kind: 'skill' } },
    ],
  },
  25,
);

const conferred = (pathwayId: string, awardIds: string[], nested: string[] = []): ConferredQualification => ({
  learnerId: 'ada',
  pathwayId,
  qualificationId: `q-${pathwayId}`,
  issuerId: 'tu-dublin',
  version: 1,
  basis: { awardIds, recognitionIds: [], pathwayQualificationIds: nested },
  credits: [{ framework: 'ECTS', value: 5 * awardIds.length }],
  level: { framework: 'EQF', level: 6 },
  awardTitle: pathwayId,
  awardType: 'Certificate',
  conferral: 'automatic',
  conferredAt: '2026-04-01T12:00:00.000Z',
  conferredBy: 'tessera:conferral',
});

describe('ruleNarrative', () => {
  it('reads a nested rule as a Markdown list, titles first and ids after', () => {
    expect(ruleNarrative(microDegree, titles)).toBe(
      [
        'Conferred on a learner who holds valid awards meeting this rule:',
        '- all of:',
        '  - the pathway Certificate in Data Foundations (cert), completed',
        '  - 2 of:',
        '    - spark',
        '    - kafka',
        '    - dbt',
        '  - at least 20 ECTS credits at EQF level 5 or above, from any valid awards',
        '  - at least 4 valid awards of kind skill',
        '',
        'Conferred automatically when the rule is met.',
      ].join('\n'),
    );
  });
});

describe('buildQualificationCredential', () => {
  const credential = buildQualificationCredential({
    publicUrl: PUBLIC_URL,
    qualification: conferred('md', ['award-spark', 'award-kafka'], ['q-cert']),
    definition: microDegree,
    issuer,
    titles,
    identity,
  }) as Loose;

  it('is an AchievementCredential the OB 3.0 schema accepts, of the pathway award’s type', () => {
    expect(validate(credential).errors).toEqual([]);
    expect(credential.credentialSubject.achievement).toMatchObject({
      id: `${PUBLIC_URL}/pathways/md?version=1`,
      achievementType: 'ext:MicroDegree',
      creditsAvailable: 25,
    });
    expect(credential.awardedDate).toBe('2026-04-01T12:00:00.000Z');
    expect(credential.credentialSubject.identifier[0].identityHash).toBe(identityHash('ada@example.edu', 'pepper'));
    expect(credential.credentialSubject.id).toBeUndefined();
  });

  it('defines every term it uses in its contexts, so that a Data Integrity proof covers all of it', async () => {
    expect(await safeModeEvents(credential)).toEqual([]);
  });

  it('rests on the credentials of its basis, as evidence', () => {
    expect(credential.evidence.map((evidence: Loose) => evidence.id)).toEqual([
      `${PUBLIC_URL}/awards/award-spark/credential`,
      `${PUBLIC_URL}/awards/award-kafka/credential`,
      `${PUBLIC_URL}/qualifications/q-cert/credential`,
    ]);
  });

  it('names the learner by their pseudonymous id when there is no profile', () => {
    const anonymous = buildQualificationCredential({
      publicUrl: PUBLIC_URL,
      qualification: conferred('cert', ['award-sql']),
      definition: cert,
      issuer,
      titles,
    }) as Loose;
    expect(anonymous.credentialSubject).toMatchObject({ id: 'urn:tessera:learner:ada' });
    expect(anonymous.credentialSubject.identifier).toBeUndefined();
  });
});

describe('pathwaysInClr', () => {
  const rules = new Map<string, Rule>([
    ['cert', cert.rule],
    ['md', microDegree.rule],
    ['other', { achievement: 'unrelated' }],
  ]);

  it('shows pathways naming what the learner holds, and those nesting a pathway shown', () => {
    expect(pathwaysInClr(rules, new Set(['sql']), new Set())).toEqual(['cert', 'md']);
  });

  it('shows a conferred pathway even when its rule names nothing held (a count or credits rule)', () => {
    expect(pathwaysInClr(rules, new Set(), new Set(['other']))).toEqual(['other']);
    expect(pathwaysInClr(rules, new Set(['spark']), new Set())).toEqual(['md']);
    expect(pathwaysInClr(rules, new Set(['nothing']), new Set())).toEqual([]);
  });
});

describe('buildClrCredential', () => {
  const awards = ['sql', 'model', 'spark', 'kafka'].map((id) => awardCredential(id));
  const pathwayShown = (pathwayId: string, definition: PathwayDefinition, basisAwardIds: string[]) => ({
    pathwayId,
    achievement: pathwayAchievement(PUBLIC_URL, { pathwayId, version: 1, definition, issuer }, titles),
    rule: definition.rule,
    basisAwardIds,
  });
  const qualificationOf = (pathwayId: string, definition: PathwayDefinition, basis: string[]): JsonObject =>
    buildQualificationCredential({
      publicUrl: PUBLIC_URL,
      qualification: conferred(pathwayId, basis),
      definition,
      issuer,
      titles,
      identity,
    });
  const allAwards = awards.map((award) => award.awardId);
  const clr = buildClrCredential({
    publicUrl: PUBLIC_URL,
    learnerId: 'ada',
    at: '2026-05-01T00:00:00.000Z',
    identity,
    issuer,
    partial: false,
    awards,
    qualifications: [
      qualificationOf('cert', cert, allAwards.slice(0, 2)),
      qualificationOf('md', microDegree, allAwards),
    ],
    pathways: [pathwayShown('cert', cert, allAwards.slice(0, 2)), pathwayShown('md', microDegree, allAwards)],
  }) as Loose;
  const ids = clr.credentialSubject.achievement.map((achievement: Loose) => achievement.id);
  const has = (type: string, source: string, target: string) =>
    clr.credentialSubject.association.some(
      (association: Loose) =>
        association.associationType === type && association.sourceId === source && association.targetId === target,
    );
  const micro = (id: string) => `${PUBLIC_URL}/achievements/${id}?version=1`;
  const path = (id: string) => `${PUBLIC_URL}/pathways/${id}?version=1`;

  it('has the top-level shape of 1EdTech’s CLR 2.0 example', () => {
    const example = JSON.parse(
      readFileSync(join(__dirname, 'testing/clr/example_clr_signed_credential.json'), 'utf8'),
    ) as Loose;
    const required = ['@context', 'id', 'type', 'issuer', 'validFrom', 'name', 'credentialSubject', 'credentialSchema'];
    for (const field of required) {
      expect(example[field]).toBeDefined(); // the example has it too
      expect(clr[field]).toBeDefined();
    }
    expect(clr['@context'].slice(0, 3)).toEqual(example['@context'].slice(0, 3));
    expect(clr.type).toEqual(example.type);
    expect(clr.credentialSchema).toEqual(example.credentialSchema);
    expect(clr.credentialSubject.type).toBe(example.credentialSubject.type);
    expect(Object.keys(example.credentialSubject.association[0]).sort()).toEqual(
      Object.keys(clr.credentialSubject.association[0]).sort(),
    );
  });

  it('defines every term it and its embedded credentials use, for its Data Integrity proof', async () => {
    expect(await safeModeEvents(clr)).toEqual([]);
  });

  it('embeds every credential, valid OB 3.0, and lists each achievement once', () => {
    expect(clr.credentialSubject.verifiableCredential).toHaveLength(6);
    for (const credential of clr.credentialSubject.verifiableCredential)
      expect(validate(credential).errors).toEqual([]);
    expect(ids).toEqual([micro('sql'), micro('model'), micro('spark'), micro('kafka'), path('cert'), path('md')]);
  });

  it('links each micro-credential to the pathway stacking it directly, and the nested certificate to the micro-degree', () => {
    for (const id of ['sql', 'model']) {
      expect(has('isParentOf', path('cert'), micro(id))).toBe(true);
      expect(has('isPartOf', micro(id), path('cert'))).toBe(true);
      // counted in the micro-degree's basis, but through the certificate
      expect(has('isParentOf', path('md'), micro(id))).toBe(false);
    }
    for (const id of ['spark', 'kafka']) {
      expect(has('isParentOf', path('md'), micro(id))).toBe(true);
      expect(has('isPartOf', micro(id), path('md'))).toBe(true);
    }
    expect(has('isParentOf', path('md'), path('cert'))).toBe(true);
    expect(has('isPartOf', path('cert'), path('md'))).toBe(true);
    expect(clr.credentialSubject.association).toHaveLength(10);
    for (const association of clr.credentialSubject.association) {
      expect(ids).toContain(association.sourceId);
      expect(ids).toContain(association.targetId);
    }
  });

  it('is issued by the awarding body, names the learner by the salted hash only, and says whether it is partial', () => {
    expect(clr.issuer).toMatchObject({ id: `${PUBLIC_URL}/issuers/tu-dublin`, name: 'TU Dublin' });
    expect(clr.partial).toBe(false);
    expect(clr.id).toBe(`${PUBLIC_URL}/learners/ada/clr?issuer=tu-dublin&asOf=2026-05-01T00%3A00%3A00.000Z`);
    expect(clr.credentialSubject.identifier[0].identityHash).toBe(identityHash('ada@example.edu', 'pepper'));
    expect(JSON.stringify(clr)).not.toContain('ada@example.edu');
  });
});

import { createHash } from 'node:crypto';
import type {
  AchievementAwarded,
  AchievementDefinition,
  AssessmentRecorded,
  Credit,
  EvidenceSubmitted,
  Level,
} from '@app/domain';

/** The W3C VC 2.0 context and the OB 3.0 context, in the order the schema requires. */
export const OB3_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
] as const;

/**
 * Terms Tessera's credentials use that neither VC 2.0 nor OB 3.0.3 define where they appear, so that JSON-LD
 * processors in safe mode (every Data Integrity signer and verifier) drop nothing: the schema validator type of
 * `credentialSchema`, the Annex I block `microCredential` (kept as a JSON literal) and an evidence file's `sha256`.
 */
export const TESSERA_TERMS = {
  '1EdTechJsonSchemaValidator2019': 'https://purl.imsglobal.org/spec/vc/ob/vocab.html#1EdTechJsonSchemaValidator2019',
  microCredential: { '@id': 'urn:tessera:vocab:microCredential', '@type': '@json' },
  sha256: 'urn:tessera:vocab:sha256',
} as const;

/** The canonical URL of the OB 3.0 AchievementCredential JSON schema (libs/credentials/src/schema holds a copy). */
export const OB3_SCHEMA_URL =
  'https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json';

/** Where the official descriptions of the frameworks live, for alignment `targetUrl`s. */
const FRAMEWORK_URLS: { readonly [framework: string]: string } = {
  EQF: 'https://europass.europa.eu/en/description-eight-eqf-levels',
  'QF-EHEA': 'https://www.ehea.info/page-qualification-frameworks',
  ECTS: 'https://education.ec.europa.eu/education-levels/higher-education/inclusive-and-connected-higher-education/european-credit-transfer-and-accumulation-system',
};

export type JsonObject = { [key: string]: unknown };

/** The issuer as the credential names it (Annex I: awarding body, country, type of quality assurance). */
export interface CredentialIssuer {
  readonly issuerId: string;
  readonly name: string;
  readonly url: string;
  readonly country: string;
  readonly qualityAssurance: string;
  readonly framework?: string;
}

/** The learner's salted identity, from their profile; absent once erased (or never given). */
export interface LearnerIdentity {
  readonly email: string;
  readonly salt: string;
}

export interface AchievementCredentialInput {
  readonly publicUrl: string;
  readonly award: AchievementAwarded['data'];
  /** The definition of the version awarded. */
  readonly definition: AchievementDefinition;
  readonly issuer: CredentialIssuer;
  /** The passing assessment the award rests on (criteria met), when found. */
  readonly assessment?: AssessmentRecorded['data'];
  /** The evidence that assessment rests on. */
  readonly evidence: readonly EvidenceSubmitted['data'][];
  readonly identity?: LearnerIdentity;
  /** The award's `credentialStatus` (a BitstringStatusListEntry, see status-list.ts). */
  readonly credentialStatus?: JsonObject;
}

export const issuerProfileId = (publicUrl: string, issuerId: string) =>
  `${publicUrl}/issuers/${encodeURIComponent(issuerId)}`;
export const credentialId = (publicUrl: string, awardId: string) =>
  `${publicUrl}/awards/${encodeURIComponent(awardId)}/credential`;
export const achievementId = (publicUrl: string, id: string, version: number) =>
  `${publicUrl}/achievements/${encodeURIComponent(id)}?version=${version}`;
/** The subject id used when no salted email identity is available: a URN of the (pseudonymous) learner id. */
export const learnerUrn = (learnerId: string) => `urn:tessera:learner:${encodeURIComponent(learnerId)}`;

/** OB 3.0 IdentityHash: `sha256$` + hex SHA-256 over the identifier with the salt appended. */
export function identityHash(email: string, salt: string): string {
  return `sha256$${createHash('sha256').update(`${email.trim().toLowerCase()}${salt}`, 'utf8').digest('hex')}`;
}

/** The issuer as a credential's OB 3.0 `Profile` (Annex I: awarding body, country, type of quality assurance). */
export function issuerProfile(publicUrl: string, issuer: CredentialIssuer): JsonObject {
  return {
    id: issuerProfileId(publicUrl, issuer.issuerId),
    type: ['Profile'],
    name: issuer.name,
    url: issuer.url,
    description: `Quality assurance: ${issuer.qualityAssurance}`,
    address: { type: ['Address'], addressCountryCode: issuer.country },
  };
}

/**
 * How a credential subject names the learner: a salted SHA-256 of their email (`identifier`), or, without a profile,
 * a URN of their pseudonymous learner id (`id`). Never plaintext personal data.
 */
export function learnerIdentification(learnerId: string, identity: LearnerIdentity | undefined): JsonObject {
  return identity
    ? {
        identifier: [
          {
            type: 'IdentityObject',
            identityType: 'emailAddress',
            hashed: true,
            identityHash: identityHash(identity.email, identity.salt),
            salt: identity.salt,
          },
        ],
      }
    : { id: learnerUrn(learnerId) };
}

/** The preferred amount of credit: ECTS wherever possible (Annex I), else the first framework given. */
export function preferredCredit(credits: readonly Credit[]): Credit | undefined {
  return credits.find((credit) => credit.framework === 'ECTS') ?? credits[0];
}

export function levelAlignment(level: Level): JsonObject {
  return {
    type: ['Alignment'],
    targetName: `${level.framework} level ${level.level}`,
    targetFramework: level.framework,
    targetCode: String(level.level),
    targetType: 'ext:QualificationsFrameworkLevel',
    targetUrl: FRAMEWORK_URLS[level.framework] ?? FRAMEWORK_URLS.EQF,
  };
}

export function creditAlignment(credit: Credit): JsonObject {
  return {
    type: ['Alignment'],
    targetName: `${credit.value} ${credit.framework} credits`,
    targetFramework: credit.framework,
    targetCode: String(credit.value),
    targetType: 'ext:CreditFramework',
    targetUrl: FRAMEWORK_URLS[credit.framework] ?? FRAMEWORK_URLS.ECTS,
  };
}

const PARTICIPATION: { readonly [form: string]: string } = {
  online: 'online',
  onsite: 'on-site',
  blended: 'blended (online and on-site)',
};

/** The criteria narrative: the statement, the learning outcomes and the rubric, in Markdown. */
function criteriaNarrative(definition: AchievementDefinition): string {
  return [
    definition.statement,
    '',
    'Learning outcomes:',
    ...definition.learningOutcomes.map((outcome) => `- ${outcome}`),
    '',
    'Rubric (every required criterion must be met):',
    ...definition.criteria.map(
      (criterion) => `- ${criterion.description} (${criterion.required ? 'required' : 'optional'})`,
    ),
    '',
    `Assessment: ${definition.assessmentType}. Participation: ${PARTICIPATION[definition.participation] ?? definition.participation}. ` +
      `Notional workload: ${definition.notionalHours} hours.`,
  ].join('\n');
}

const criterionDescriptionId = (achievementUrl: string, criterionId: string) =>
  `${achievementUrl}#criterion-${encodeURIComponent(criterionId)}`;

/**
 * Maps an award to an Open Badges 3.0 `AchievementCredential` (unsigned: the VC-JWT wraps it). Pure: everything it
 * needs arrives in the input. No plaintext personal data: the learner appears as a salted SHA-256 of their email, or,
 * without a profile, as a URN of their pseudonymous learner id.
 */
export function buildAchievementCredential(input: AchievementCredentialInput): JsonObject {
  const { publicUrl, award, definition, issuer } = input;
  const achievementUrl = achievementId(publicUrl, award.achievementId, award.version);
  const credit = preferredCredit(award.credits);
  const results = input.assessment?.results ?? [];
  const profile = issuerProfile(publicUrl, issuer);
  const achievement: JsonObject = {
    id: achievementUrl,
    type: ['Achievement'],
    achievementType: 'MicroCredential',
    name: definition.title,
    description: definition.description ?? definition.statement,
    criteria: { id: `${achievementUrl}#criteria`, narrative: criteriaNarrative(definition) },
    version: String(award.version),
    creator: profile,
    ...(credit === undefined ? {} : { creditsAvailable: credit.value }),
    alignment: [
      levelAlignment(award.level),
      ...award.credits.map(creditAlignment),
      ...(definition.alignments ?? []).map((alignment) => ({ type: ['Alignment'], ...alignment })),
    ],
    resultDescription: definition.criteria.map((criterion) => ({
      id: criterionDescriptionId(achievementUrl, criterion.id),
      type: ['ResultDescription'],
      name: criterion.description,
      resultType: 'RubricCriterion',
      allowedValue: ['not met', 'met'],
      ...(criterion.required ? { requiredValue: 'met' } : {}),
    })),
    ...(definition.url === undefined ? {} : { related: [{ id: definition.url, type: ['Related'] }] }),
    // Annex I elements with no OB 3.0 property of their own (VC 2.0's @vocab makes the terms issuer-dependent).
    microCredential: {
      learningOutcomes: definition.learningOutcomes,
      notionalWorkload: { hours: award.notionalHours, credits: award.credits },
      level: award.level,
      assessmentType: definition.assessmentType,
      participation: definition.participation,
      qualityAssurance: issuer.qualityAssurance,
      ...(definition.supervision === undefined ? {} : { supervision: definition.supervision }),
      ...(definition.prerequisites.length === 0 ? {} : { prerequisites: definition.prerequisites }),
    },
  };
  const subject: JsonObject = {
    type: ['AchievementSubject'],
    ...learnerIdentification(award.learnerId, input.identity),
    achievement,
    ...(credit === undefined ? {} : { creditsEarned: credit.value }),
    result: results.map((result) => ({
      type: ['Result'],
      resultDescription: criterionDescriptionId(achievementUrl, result.criterionId),
      value: result.met ? 'met' : 'not met',
    })),
  };
  return {
    '@context': [...OB3_CONTEXT, TESSERA_TERMS],
    id: credentialId(publicUrl, award.awardId),
    type: ['VerifiableCredential', 'AchievementCredential'],
    name: definition.title,
    description: definition.statement,
    issuer: profile,
    validFrom: award.issuedAt,
    ...(award.validUntil === undefined ? {} : { validUntil: award.validUntil }),
    awardedDate: award.issuedAt,
    credentialSubject: subject,
    evidence: input.evidence.map((evidence) => ({
      ...(evidence.artifact === undefined ? {} : { id: evidence.artifact.url }),
      type: ['Evidence'],
      name: `${evidence.kind} ${evidence.evidenceId}`,
      narrative: evidence.description,
      genre: evidence.kind,
      ...(evidence.artifact === undefined ? {} : { sha256: evidence.artifact.sha256 }),
    })),
    credentialSchema: [{ id: OB3_SCHEMA_URL, type: '1EdTechJsonSchemaValidator2019' }],
    ...(input.credentialStatus === undefined ? {} : { credentialStatus: input.credentialStatus }),
  };
}

/** The subject a VC-JWT's `sub` names: the subject id, else the salted identity hash. */
export function subjectOf(credential: JsonObject): string | undefined {
  const subject = credential.credentialSubject as JsonObject | undefined;
  if (typeof subject?.id === 'string') return subject.id;
  const [identity] = (subject?.identifier as JsonObject[] | undefined) ?? [];
  return typeof identity?.identityHash === 'string' ? identity.identityHash : undefined;
}

import {
  type AchievementAwarded,
  type AchievementDefinition,
  type AssessmentRecorded,
  eqfLevelOf,
  type Level,
  type PathwayDefinition,
} from '@app/domain';
import {
  achievementId,
  type CredentialIssuer,
  credentialId,
  issuerProfileId,
  type JsonObject,
  learnerUrn,
} from './achievement-credential';
import {
  BASE64,
  countryConcept,
  creditPoint,
  ENGLISH,
  eqfConcept,
  GENERIC_PROFILE,
  participationConcept,
  SVG,
} from './edc-vocabulary';
import {
  type ConferredQualification,
  pathwayAchievementId,
  qualificationCredentialId,
  type RuleTitles,
  ruleNarrative,
} from './qualification-credential';

/** The contexts of an EDC in the European Learning Model v3 profile, as the Commission's samples list them. */
export const EDC_CONTEXT = [
  'https://www.w3.org/2018/credentials/v1',
  'http://data.europa.eu/snb/model/context/edc-ap',
] as const;

/** The Commission's SHACL shapes every EDC Tessera emits is validated against (a copy in schema/elm/). */
export const EDC_SHAPES_URL = 'http://data.europa.eu/snb/model/ap/edc-generic-no-cv';

/** The `?format=edc` URL of a credential route: the EDC's id. */
export const edcId = (credentialUrl: string) => `${credentialUrl}?format=edc`;

/** An award a micro-credential EDC is built from: the award, the definition of its version and who awarded it. */
export interface EdcAward {
  readonly award: AchievementAwarded['data'];
  readonly definition: AchievementDefinition;
  readonly issuer: CredentialIssuer;
  /** The passing assessment the award rests on, when found. */
  readonly assessment?: AssessmentRecorded['data'];
}

export interface AwardEdcInput extends EdcAward {
  readonly publicUrl: string;
  /** The learner's name from their profile; absent once erased (or never given): the EDC then names no one. */
  readonly learnerName?: string;
}

export interface QualificationEdcInput {
  readonly publicUrl: string;
  readonly qualification: ConferredQualification;
  /** The definition of the pathway version conferred. */
  readonly definition: PathwayDefinition;
  readonly issuer: CredentialIssuer;
  readonly titles: RuleTitles;
  /** The awards of the qualification's basis, each a part of it with its own learning outcomes and assessment. */
  readonly parts: readonly EdcAward[];
  readonly learnerName?: string;
}

const text = (value: string) => ({ en: value });
const note = (id: string, literal: string): JsonObject => ({ id, type: 'Note', noteLiteral: text(literal) });
const unique = <T>(values: readonly T[]) => [...new Set(values)];

/**
 * The awarding body as an ELM Organisation (Annex I: awarding body, country of the issuer, type of quality
 * assurance). The shapes want an `eIDASIdentifier`: the issuer's registration in this ledger stands in for it; the
 * eIDAS legal identifier proper comes with the qualified e-seal certificate, which Tessera does not hold.
 */
export function edcOrganisation(publicUrl: string, issuer: CredentialIssuer): JsonObject {
  const id = issuerProfileId(publicUrl, issuer.issuerId);
  const country = countryConcept(issuer.country);
  return {
    id,
    type: 'Organisation',
    legalName: text(issuer.name),
    eIDASIdentifier: { id: `${id}#registration`, type: 'LegalIdentifier', notation: issuer.issuerId, spatial: country },
    location: {
      id: `${id}#location`,
      type: 'Location',
      address: { id: `${id}#address`, type: 'Address', countryCode: country },
    },
    homepage: { id: `${id}#homepage`, type: 'WebResource', contentURL: issuer.url },
    additionalNote: [note(`${id}#quality-assurance`, `Type of quality assurance: ${issuer.qualityAssurance}`)],
  };
}

/** The level as an EQF concept where the level is EQF or referenced to it; a note says what a national level was. */
function levelElements(specId: string, level: Level): JsonObject {
  const eqf = level.framework === 'EQF' ? level.level : eqfLevelOf(level.framework, level.level);
  return {
    ...(eqf === undefined ? {} : { eqfLevel: eqfConcept(eqf) }),
    ...(level.framework === 'EQF'
      ? {}
      : {
          additionalNote: [
            note(
              `${specId}#level`,
              `Level: ${level.framework} level ${level.level}` +
                (eqf === undefined ? ', with no EQF equivalent.' : `, referenced to EQF level ${eqf}.`),
            ),
          ],
        }),
  };
}

const merged = (...parts: JsonObject[]): JsonObject => {
  const notes = parts.flatMap((part) => (part.additionalNote as JsonObject[] | undefined) ?? []);
  return Object.assign({}, ...parts, notes.length === 0 ? {} : { additionalNote: notes });
};

/** The grade of a passing assessment: which rubric criteria were met. */
function grade(definition: AchievementDefinition, assessment: AssessmentRecorded['data'] | undefined): string {
  if (!assessment) return 'Pass';
  const met = new Set(assessment.results.filter((result) => result.met).map((result) => result.criterionId));
  const described = definition.criteria.map(
    (criterion) => `${met.has(criterion.id) ? '✓' : '✗'} ${criterion.description}`,
  );
  return `Pass: ${met.size} of ${definition.criteria.length} rubric criteria met, every required one (${described.join('; ')})`;
}

/** Notional hours as an xsd:duration, which allows a fraction only of seconds: 12.5 h is PT12H30M. */
function hoursDuration(hours: number): string {
  const seconds = Math.round(hours * 3600);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  return `PT${h}H${m === 0 ? '' : `${m}M`}${s === 0 ? '' : `${s}S`}`;
}

/** An award as an ELM LearningAchievement: what a micro-credential EDC claims, and a part of a qualification's. */
function awardAchievement(publicUrl: string, part: EdcAward): JsonObject {
  const { award, definition } = part;
  const base = edcId(credentialId(publicUrl, award.awardId));
  const specId = achievementId(publicUrl, award.achievementId, award.version);
  const awarding = {
    id: `${base}#awarding`,
    type: 'AwardingProcess',
    awardingBody: edcOrganisation(publicUrl, part.issuer),
    awardingDate: award.issuedAt,
  };
  const supervision = definition.supervision;
  return {
    id: `${base}#achievement`,
    type: 'LearningAchievement',
    title: text(definition.title),
    description: text(definition.statement),
    awardedBy: awarding,
    provenBy: {
      id: `${base}#assessment`,
      type: 'LearningAssessment',
      title: text(definition.assessmentType),
      grade: note(`${base}#grade`, grade(definition, part.assessment)),
      awardedBy: awarding,
      ...(part.assessment === undefined ? {} : { dateIssued: part.assessment.assessedAt }),
      ...(supervision === undefined
        ? {}
        : {
            additionalNote: [
              note(
                `${base}#supervision`,
                `Supervision: ${supervision.supervised ? 'supervised' : 'unsupervised'}; identity ` +
                  `${supervision.identityVerified ? 'verified' : 'not verified'} during assessment.`,
              ),
            ],
          }),
      specifiedBy: {
        id: `${specId}#assessment`,
        type: 'LearningAssessmentSpecification',
        title: text(definition.assessmentType),
      },
    },
    specifiedBy: merged(
      {
        id: specId,
        type: 'Qualification',
        title: text(definition.title),
        description: text(definition.description ?? definition.statement),
        learningOutcome: definition.learningOutcomes.map((outcome, index) => ({
          id: `${specId}#outcome-${index + 1}`,
          type: 'LearningOutcome',
          title: text(outcome),
        })),
        volumeOfLearning: hoursDuration(award.notionalHours),
        ...(award.credits.length === 0
          ? {}
          : {
              creditPoint: award.credits.map((credit) => creditPoint(`${specId}#credit-${credit.framework}`, credit)),
            }),
        mode: participationConcept(definition.participation),
        ...(definition.prerequisites.length === 0
          ? {}
          : {
              entryRequirement: note(
                `${specId}#prerequisites`,
                `Holding, valid, the achievements: ${definition.prerequisites.join(', ')}`,
              ),
            }),
        ...(definition.url === undefined
          ? {}
          : { homepage: { id: `${specId}#homepage`, type: 'WebResource', contentURL: definition.url } }),
      },
      levelElements(specId, award.level),
    ),
  };
}

const escapeXml = (value: string) =>
  value.replace(
    /[<>&"']/g,
    (char) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[char]!,
  );

/**
 * The display the profile requires (one page, English): an SVG of the credential's title, holder, awarding body and
 * date, base64-encoded. Without a learner name (erased) it names no one.
 */
function displayParameter(base: string, kind: string, lines: readonly string[]): JsonObject {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="842" height="595" viewBox="0 0 842 595">` +
    `<rect width="842" height="595" fill="#fff" stroke="#003399" stroke-width="8"/>` +
    `<text x="421" y="90" font-family="sans-serif" font-size="24" text-anchor="middle">${escapeXml(kind)}</text>` +
    lines
      .map(
        (line, index) =>
          `<text x="421" y="${170 + index * 60}" font-family="sans-serif" font-size="${index === 0 ? 30 : 20}" ` +
          `text-anchor="middle">${escapeXml(line)}</text>`,
      )
      .join('') +
    `</svg>`;
  return {
    id: `${base}#display`,
    type: 'DisplayParameter',
    title: text(kind),
    language: ENGLISH,
    primaryLanguage: ENGLISH,
    individualDisplay: {
      id: `${base}#display-en`,
      type: 'IndividualDisplay',
      language: ENGLISH,
      displayDetail: {
        id: `${base}#display-en-page-1`,
        type: 'DisplayDetail',
        page: 1,
        image: {
          id: `${base}#display-en-page-1-image`,
          type: 'MediaObject',
          content: Buffer.from(svg, 'utf8').toString('base64'),
          contentEncoding: BASE64,
          contentType: SVG,
        },
      },
    },
  };
}

/** The learner as an ELM Person: the pseudonymous learner URN, and their name only while their profile exists. */
const person = (learnerId: string, name: string | undefined, claim: JsonObject): JsonObject => ({
  id: learnerUrn(learnerId),
  type: 'Person',
  ...(name === undefined ? {} : { fullName: text(name) }),
  hasClaim: claim,
});

const issuedDate = (instant: string) => instant.slice(0, 10);

function envelope(
  id: string,
  identifier: string,
  issuer: JsonObject,
  issuedAt: string,
  subject: JsonObject,
  display: JsonObject,
  validUntil?: string,
): JsonObject {
  return {
    '@context': [...EDC_CONTEXT],
    id,
    type: ['VerifiableCredential', 'EuropeanDigitalCredential'],
    credentialProfiles: GENERIC_PROFILE,
    credentialSchema: { id: EDC_SHAPES_URL, type: 'ShaclValidator2017' },
    identifier: { id: `${id}#identifier`, type: 'Identifier', schemeName: 'Tessera', notation: identifier },
    issuer,
    issuanceDate: issuedAt,
    issued: issuedAt,
    validFrom: issuedAt,
    ...(validUntil === undefined ? {} : { expirationDate: validUntil }),
    credentialSubject: subject,
    displayParameter: display,
  };
}

/**
 * An award as a European Digital Credential (ELM v3, EDC application profile) carrying every mandatory element of
 * Annex I of the Council Recommendation of 16 June 2022. Pure and unsigned (the eIDAS e-seal is out of scope).
 */
export function buildAwardEdc(input: AwardEdcInput): JsonObject {
  const { publicUrl, award, definition, issuer } = input;
  const id = edcId(credentialId(publicUrl, award.awardId));
  return envelope(
    id,
    `award:${award.awardId}`,
    edcOrganisation(publicUrl, issuer),
    award.issuedAt,
    person(award.learnerId, input.learnerName, awardAchievement(publicUrl, input)),
    displayParameter(id, 'Micro-credential', [
      definition.title,
      input.learnerName === undefined ? 'awarded to the holder of this credential' : `awarded to ${input.learnerName}`,
      `by ${issuer.name}`,
      `on ${issuedDate(award.issuedAt)}`,
    ]),
    award.validUntil,
  );
}

/**
 * A qualification conferred by a pathway as a European Digital Credential: its LearningAchievement has the awards
 * of its basis as parts, each with the learning outcomes, assessment and participation of its micro-credential.
 */
export function buildQualificationEdc(input: QualificationEdcInput): JsonObject {
  const { publicUrl, qualification, definition, issuer } = input;
  const id = edcId(qualificationCredentialId(publicUrl, qualification.qualificationId));
  const specId = pathwayAchievementId(publicUrl, qualification.pathwayId, qualification.version);
  const { recognitionIds, pathwayQualificationIds } = qualification.basis;
  const alsoRestsOn = [
    ...pathwayQualificationIds.map((nested) => `the qualification ${qualificationCredentialId(publicUrl, nested)}`),
    ...recognitionIds.map((recognition) => `recognised prior learning ${recognition}`),
  ];
  const outcomes = unique(input.parts.flatMap((part) => part.definition.learningOutcomes));
  const modes = unique(input.parts.map((part) => part.definition.participation)).map(participationConcept);
  const organisation = edcOrganisation(publicUrl, issuer);
  const achievement = {
    id: `${id}#achievement`,
    type: 'LearningAchievement',
    title: text(qualification.awardTitle),
    description: text(definition.description ?? definition.title),
    awardedBy: {
      id: `${id}#awarding`,
      type: 'AwardingProcess',
      awardingBody: organisation,
      awardingDate: qualification.conferredAt,
    },
    ...(qualification.credits.length === 0
      ? {}
      : {
          creditReceived: qualification.credits.map((credit) =>
            creditPoint(`${id}#credit-received-${credit.framework}`, credit),
          ),
        }),
    ...(input.parts.length === 0 ? {} : { hasPart: input.parts.map((part) => awardAchievement(publicUrl, part)) }),
    specifiedBy: merged(
      {
        id: specId,
        type: 'Qualification',
        title: text(qualification.awardTitle),
        description: text(definition.description ?? definition.title),
        ...(outcomes.length === 0
          ? {}
          : {
              learningOutcome: outcomes.map((outcome, index) => ({
                id: `${specId}#outcome-${index + 1}`,
                type: 'LearningOutcome',
                title: text(outcome),
              })),
            }),
        creditPoint: definition.award.credits.map((credit) =>
          creditPoint(`${specId}#credit-${credit.framework}`, credit),
        ),
        ...(modes.length === 0 ? {} : { mode: modes }),
        additionalNote: [
          note(`${specId}#rule`, ruleNarrative(definition, input.titles)),
          ...(alsoRestsOn.length === 0
            ? []
            : [note(`${id}#basis`, `This qualification also rests on: ${alsoRestsOn.join('; ')}.`)]),
        ],
      },
      levelElements(specId, qualification.level),
    ),
  };
  return envelope(
    id,
    `qualification:${qualification.qualificationId}`,
    organisation,
    qualification.conferredAt,
    person(qualification.learnerId, input.learnerName, achievement),
    displayParameter(id, 'Qualification', [
      qualification.awardTitle,
      input.learnerName === undefined
        ? 'conferred on the holder of this credential'
        : `conferred on ${input.learnerName}`,
      `by ${issuer.name}`,
      `on ${issuedDate(qualification.conferredAt)}`,
    ]),
  );
}

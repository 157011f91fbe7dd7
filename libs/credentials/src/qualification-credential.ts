import type { PathwayDefinition, QualificationConferred, Rule } from '@app/domain';
import {
  type CredentialIssuer,
  credentialId,
  creditAlignment,
  issuerProfile,
  type JsonObject,
  learnerIdentification,
  type LearnerIdentity,
  levelAlignment,
  OB3_CONTEXT,
  TESSERA_TERMS,
  OB3_SCHEMA_URL,
  preferredCredit,
} from './achievement-credential';

/** A qualification as its conferral recorded it (the status it has since is the credential status's business). */
export type ConferredQualification = Omit<QualificationConferred['data'], 'schemaVersion'>;

/** Titles of what a rule names, for a narrative people can read; an id stands in for a title it does not know. */
export interface RuleTitles {
  achievement(achievementId: string): string | undefined;
  pathway(pathwayId: string): string | undefined;
}

export interface QualificationCredentialInput {
  readonly publicUrl: string;
  readonly qualification: ConferredQualification;
  /** The definition of the pathway version conferred. */
  readonly definition: PathwayDefinition;
  readonly issuer: CredentialIssuer;
  readonly titles: RuleTitles;
  readonly identity?: LearnerIdentity;
  /** The qualification's `credentialStatus`, when it has a place in a status list. */
  readonly credentialStatus?: JsonObject;
}

export const qualificationCredentialId = (publicUrl: string, qualificationId: string) =>
  `${publicUrl}/qualifications/${encodeURIComponent(qualificationId)}/credential`;
/** A pathway version as an OB 3.0 Achievement: what its qualification credentials and CLRs name. */
export const pathwayAchievementId = (publicUrl: string, pathwayId: string, version: number) =>
  `${publicUrl}/pathways/${encodeURIComponent(pathwayId)}?version=${version}`;

const named = (title: string | undefined, id: string) => (title === undefined ? id : `${title} (${id})`);

/** One line per rule node, nested as a Markdown list: "all of:", "2 of:", "at least 30 ECTS credits"… */
function ruleLines(rule: Rule, titles: RuleTitles, depth: number): string[] {
  const line = (text: string) => `${'  '.repeat(depth)}- ${text}`;
  const group = (label: string, rules: readonly Rule[]) => [
    line(`${label}:`),
    ...rules.flatMap((child) => ruleLines(child, titles, depth + 1)),
  ];
  if ('achievement' in rule) return [line(named(titles.achievement(rule.achievement), rule.achievement))];
  if ('pathway' in rule) return [line(`the pathway ${named(titles.pathway(rule.pathway), rule.pathway)}, completed`)];
  if ('allOf' in rule) return group('all of', rule.allOf);
  if ('anyOf' in rule) return group('any one of', rule.anyOf);
  if ('nOf' in rule) return group(`${rule.nOf.n} of`, rule.nOf.of);
  if ('credits' in rule) {
    const { framework, min, from, minLevel } = rule.credits;
    const level = minLevel === undefined ? '' : ` at ${minLevel.framework} level ${minLevel.level} or above`;
    const text = `at least ${min} ${framework} credits${level}`;
    return from === undefined ? [line(`${text}, from any valid awards`)] : group(`${text}, from`, from);
  }
  const { min, kind } = rule.count;
  return [line(`at least ${min} valid awards${kind === undefined ? '' : ` of kind ${kind}`}`)];
}

/** The criteria of a pathway version in Markdown: its rule as a nested list, and how the award is conferred. */
export function ruleNarrative(definition: PathwayDefinition, titles: RuleTitles): string {
  return [
    'Conferred on a learner who holds valid awards meeting this rule:',
    ...ruleLines(definition.rule, titles, 0),
    '',
    definition.conferral === 'automatic'
      ? 'Conferred automatically when the rule is met.'
      : 'Conferred by a registrar of the issuer once the rule is met.',
  ].join('\n');
}

/** A pathway version as an OB 3.0 `Achievement` whose `achievementType` is the type of the award it leads to. */
export function pathwayAchievement(
  publicUrl: string,
  pathway: { pathwayId: string; version: number; definition: PathwayDefinition; issuer: CredentialIssuer },
  titles: RuleTitles,
): JsonObject {
  const { definition } = pathway;
  const url = pathwayAchievementId(publicUrl, pathway.pathwayId, pathway.version);
  const credit = preferredCredit(definition.award.credits);
  return {
    id: url,
    type: ['Achievement'],
    achievementType: definition.award.type,
    name: definition.award.title,
    description: definition.description ?? definition.title,
    criteria: { id: `${url}#criteria`, narrative: ruleNarrative(definition, titles) },
    version: String(pathway.version),
    creator: issuerProfile(publicUrl, pathway.issuer),
    ...(credit === undefined ? {} : { creditsAvailable: credit.value }),
    alignment: [levelAlignment(definition.award.level), ...definition.award.credits.map(creditAlignment)],
  };
}

/**
 * Maps a qualification conferred by a pathway to an Open Badges 3.0 `AchievementCredential` (unsigned). Pure. The
 * awards, recognitions and nested qualifications it rests on are its `evidence`, each award and nested qualification
 * by the id of its own credential.
 */
export function buildQualificationCredential(input: QualificationCredentialInput): JsonObject {
  const { publicUrl, qualification, definition, issuer } = input;
  const achievement = pathwayAchievement(
    publicUrl,
    { pathwayId: qualification.pathwayId, version: qualification.version, definition, issuer },
    input.titles,
  );
  const earned = preferredCredit(qualification.credits);
  const { awardIds, recognitionIds, pathwayQualificationIds } = qualification.basis;
  return {
    '@context': [...OB3_CONTEXT, TESSERA_TERMS],
    id: qualificationCredentialId(publicUrl, qualification.qualificationId),
    type: ['VerifiableCredential', 'AchievementCredential'],
    name: qualification.awardTitle,
    description: definition.description ?? definition.title,
    issuer: issuerProfile(publicUrl, issuer),
    validFrom: qualification.conferredAt,
    awardedDate: qualification.conferredAt,
    credentialSubject: {
      type: ['AchievementSubject'],
      ...learnerIdentification(qualification.learnerId, input.identity),
      achievement,
      ...(earned === undefined ? {} : { creditsEarned: earned.value }),
    },
    evidence: [
      ...awardIds.map((awardId) => ({
        id: credentialId(publicUrl, awardId),
        type: ['Evidence'],
        name: `award ${awardId}`,
        narrative: 'An award this qualification rests on (its own AchievementCredential).',
        genre: 'award',
      })),
      ...pathwayQualificationIds.map((qualificationId) => ({
        id: qualificationCredentialId(publicUrl, qualificationId),
        type: ['Evidence'],
        name: `qualification ${qualificationId}`,
        narrative: 'A nested qualification this qualification rests on (its own AchievementCredential).',
        genre: 'qualification',
      })),
      ...recognitionIds.map((recognitionId) => ({
        type: ['Evidence'],
        name: `recognised prior learning ${recognitionId}`,
        narrative: 'Prior learning recognised for credit, on the learner’s transcript.',
        genre: 'recognition',
      })),
    ],
    credentialSchema: [{ id: OB3_SCHEMA_URL, type: '1EdTechJsonSchemaValidator2019' }],
    ...(input.credentialStatus === undefined ? {} : { credentialStatus: input.credentialStatus }),
  };
}

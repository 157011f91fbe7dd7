import { type Rule, ruleReferences } from '@app/domain';
import {
  type CredentialIssuer,
  issuerProfile,
  type JsonObject,
  learnerIdentification,
  type LearnerIdentity,
  TESSERA_TERMS,
} from './achievement-credential';

/** VC 2.0, CLR 2.0.1 and OB 3.0.3 contexts, in the order of 1EdTech's CLR example. */
export const CLR_CONTEXT = [
  'https://www.w3.org/ns/credentials/v2',
  'https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json',
  'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json',
] as const;

export const CLR_SCHEMA_URL = 'https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json';

/**
 * The CLR's id: the URL that serves this very record again (the issuer's CLR of the learner, as of its instant, and at
 * its effective date when it has one).
 */
export const clrId = (publicUrl: string, learnerId: string, issuerId: string, at: string, effectiveAt?: string) =>
  `${publicUrl}/learners/${encodeURIComponent(learnerId)}/clr?issuer=${encodeURIComponent(issuerId)}&asOf=${encodeURIComponent(at)}` +
  (effectiveAt === undefined ? '' : `&effectiveAt=${encodeURIComponent(effectiveAt)}`);

/** A pathway shown in a CLR: its achievement and what it stacks. */
export interface ClrPathway {
  readonly pathwayId: string;
  /** Its OB 3.0 Achievement (as `pathwayAchievement` builds it). */
  readonly achievement: JsonObject;
  /** The rule of the version shown: the achievements and pathways it names directly are its parts. */
  readonly rule: Rule;
  /** The awards the learner's qualification in it rests on, when the CLR holds one (a `count` or `credits` rule names none). */
  readonly basisAwardIds: readonly string[];
}

/** An embedded award credential, with what places it in pathways. */
export interface ClrAward {
  readonly awardId: string;
  readonly achievementId: string;
  readonly credential: JsonObject;
}

export interface ClrCredentialInput {
  readonly publicUrl: string;
  readonly learnerId: string;
  /** The instant the CLR states the record at (now, or the `asOf` asked for). */
  readonly at: string;
  /** What the learner had achieved by this date (by the dates things happened), when the CLR is of one. */
  readonly effectiveAt?: string;
  readonly identity?: LearnerIdentity;
  /** The awarding body issuing the CLR: every credential in it is its own. */
  readonly issuer: CredentialIssuer;
  /** Whether the learner holds valid credentials of other issuers, left out of this CLR. */
  readonly partial: boolean;
  readonly awards: readonly ClrAward[];
  /** Qualification AchievementCredentials. */
  readonly qualifications: readonly JsonObject[];
  readonly pathways: readonly ClrPathway[];
}

const achievementOf = (credential: JsonObject) =>
  (credential.credentialSubject as JsonObject).achievement as JsonObject & { id: string };

/**
 * The pathways a CLR shows: those the learner holds a qualification in, and those whose rule names an achievement
 * they hold or, transitively, a pathway shown (progress toward it). `rules` gives the rule each pathway is shown with.
 */
export function pathwaysInClr(
  rules: ReadonlyMap<string, Rule>,
  heldAchievementIds: ReadonlySet<string>,
  conferredPathwayIds: ReadonlySet<string>,
): string[] {
  const shown = new Set([...conferredPathwayIds].filter((id) => rules.has(id)));
  for (let grew = true; grew;) {
    grew = false;
    for (const [pathwayId, rule] of rules) {
      if (shown.has(pathwayId)) continue;
      const { achievements, pathways } = ruleReferences(rule);
      if (achievements.some((id) => heldAchievementIds.has(id)) || pathways.some((id) => shown.has(id))) {
        shown.add(pathwayId);
        grew = true;
      }
    }
  }
  return [...rules.keys()].filter((id) => shown.has(id));
}

/**
 * `isParentOf` (pathway → each part) and `isPartOf` (part → pathway) for every part of a shown pathway that the CLR
 * holds: the awards' achievements its rule names or its qualification rests on, and the nested pathways it names.
 */
function associations(input: ClrCredentialInput): JsonObject[] {
  const links: JsonObject[] = [];
  const seen = new Set<string>();
  const link = (parent: string, part: string) => {
    if (parent === part || seen.has(`${parent} ${part}`)) return;
    seen.add(`${parent} ${part}`);
    links.push(
      { type: 'Association', associationType: 'isParentOf', sourceId: parent, targetId: part },
      { type: 'Association', associationType: 'isPartOf', sourceId: part, targetId: parent },
    );
  };
  const byId = new Map(input.pathways.map((pathway) => [pathway.pathwayId, pathway]));
  // The awards a pathway stacks, its nested pathways' included: a basis award stacked by a nested pathway is a part
  // of that pathway, not of this one (the micro-degree holds the certificate, the certificate the skills).
  const stacked = new Map<string, Set<string>>();
  const stackedBy = (pathway: ClrPathway, trail: readonly string[] = []): Set<string> => {
    const known = stacked.get(pathway.pathwayId);
    if (known) return known;
    const named = ruleReferences(pathway.rule);
    const awards = new Set(
      input.awards.filter((award) => named.achievements.includes(award.achievementId)).map((award) => award.awardId),
    );
    for (const nested of named.pathways) {
      const inner = byId.get(nested);
      if (inner && !trail.includes(nested))
        for (const awardId of stackedBy(inner, [...trail, pathway.pathwayId])) awards.add(awardId);
    }
    for (const awardId of pathway.basisAwardIds) awards.add(awardId);
    stacked.set(pathway.pathwayId, awards);
    return awards;
  };
  for (const pathway of input.pathways) {
    const parent = String(pathway.achievement.id);
    const named = ruleReferences(pathway.rule);
    const nested = named.pathways.flatMap((id) => byId.get(id) ?? []);
    const throughNested = new Set(nested.flatMap((inner) => [...stackedBy(inner, [pathway.pathwayId])]));
    for (const award of input.awards)
      if (
        named.achievements.includes(award.achievementId) ||
        (pathway.basisAwardIds.includes(award.awardId) && !throughNested.has(award.awardId))
      )
        link(parent, achievementOf(award.credential).id);
    for (const inner of nested) link(parent, String(inner.achievement.id));
  }
  return links;
}

/**
 * A learner's Comprehensive Learner Record as a CLR 2.0 `ClrCredential` (unsigned; the VC-JWT wraps it), shaped like
 * 1EdTech's example: the AchievementCredentials embedded as JSON, every achievement they and the shown pathways name
 * (each once), and associations saying how micro-credentials stack into pathways. Issued by the awarding body whose
 * credentials it gathers, so one key vouches for the CLR and everything in it.
 */
export function buildClrCredential(input: ClrCredentialInput): JsonObject {
  const { publicUrl, learnerId, at } = input;
  const credentials = [...input.awards.map((award) => award.credential), ...input.qualifications];
  const achievements = new Map<string, JsonObject>();
  for (const achievement of [
    ...credentials.map(achievementOf),
    ...input.pathways.map((pathway) => pathway.achievement),
  ])
    if (!achievements.has(String(achievement.id))) achievements.set(String(achievement.id), achievement);
  const identification = learnerIdentification(learnerId, input.identity);
  return {
    '@context': [...CLR_CONTEXT, TESSERA_TERMS],
    id: clrId(publicUrl, learnerId, input.issuer.issuerId, at, input.effectiveAt),
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer: issuerProfile(publicUrl, input.issuer),
    partial: input.partial,
    name: 'Comprehensive Learner Record',
    description: `The learner’s valid awards and qualifications from ${input.issuer.name}${input.effectiveAt === undefined ? '' : ` by ${input.effectiveAt} (by the dates they were made)`} as the ledger held them at ${at}, with the pathways they stack into.`,
    validFrom: at,
    credentialSubject: {
      type: 'ClrSubject',
      ...identification,
      verifiableCredential: credentials,
      achievement: [...achievements.values()],
      association: associations(input),
    },
    credentialSchema: [{ id: CLR_SCHEMA_URL, type: '1EdTechJsonSchemaValidator2019' }],
  };
}

import { checkCredits, checkLevel, type Credit, type Level } from '../achievement/achievement.definition';
import { CREDIT_FRAMEWORK_IDS, isCreditFramework } from '../frameworks/credit-frameworks';
import type { ValidationIssue } from '../shared/domain-error';
import { LONG_TEXT, Validation } from '../shared/validation';
import type { Rule } from '../stacking/rule';

/**
 * Open Badges 3.0 `achievementType` (the AchievementType enumeration of the 1EdTech specification). The enumeration is
 * extensible: any other term must carry the `ext:` prefix (`ext:MicroDegree`).
 */
export const OB3_ACHIEVEMENT_TYPES = [
  'Achievement',
  'ApprenticeshipCertificate',
  'Assessment',
  'Assignment',
  'AssociateDegree',
  'Award',
  'Badge',
  'BachelorDegree',
  'Certificate',
  'CertificateOfCompletion',
  'Certification',
  'CommunityService',
  'Competency',
  'Course',
  'CoCurricular',
  'Degree',
  'Diploma',
  'DoctoralDegree',
  'Fieldwork',
  'GeneralEducationDevelopment',
  'JourneymanCertificate',
  'LearningProgram',
  'License',
  'Membership',
  'ProfessionalDoctorate',
  'QualityAssuranceCredential',
  'MasterCertificate',
  'MasterDegree',
  'MicroCredential',
  'ResearchDoctorate',
  'SecondarySchoolDiploma',
] as const;

export type Ob3AchievementType = (typeof OB3_ACHIEVEMENT_TYPES)[number];
/** An OB 3.0 achievementType, or an extension term `ext:…` (letters, digits, `.`, `_`, `-`). */
export type AwardType = Ob3AchievementType | `ext:${string}`;

const EXTENSION_TYPE = /^ext:[A-Za-z0-9._-]{1,60}$/;

export const isAwardType = (value: unknown): value is AwardType =>
  typeof value === 'string' &&
  ((OB3_ACHIEVEMENT_TYPES as readonly string[]).includes(value) || EXTENSION_TYPE.test(value));

/** Who confers the award once the rule is met: the conferral process manager, or a registrar by hand. */
export type Conferral = 'automatic' | 'registrar';
/** What becomes of a qualification whose basis loses an award: invalidated (the default) or revoked. */
export type BasisLostPolicy = 'invalidate' | 'revoke';

export const CONFERRAL_MODES: readonly Conferral[] = ['automatic', 'registrar'];
export const BASIS_LOST_POLICIES: readonly BasisLostPolicy[] = ['invalidate', 'revoke'];

/**
 * The award a pathway leads to. `credits` has at least one entry; the first names the pathway's credit framework, the
 * one its credit totals are converted into, which must be a credit framework Tessera converts (`isCreditFramework`).
 */
export type PathwayAward = { title: string; type: AwardType; level: Level; credits: Credit[] };

/** One version of a pathway (a stackable qualification). The rule is kept as given, plain JSON. */
export type PathwayDefinition = {
  title: string;
  description?: string;
  award: PathwayAward;
  rule: Rule;
  conferral: Conferral;
  onBasisLost: BasisLostPolicy;
};

/** A definition as a command carries it: `onBasisLost` may be left out (invalidate). */
export type PathwayDefinitionInput = Omit<PathwayDefinition, 'onBasisLost'> & { onBasisLost?: BasisLostPolicy };

/** The framework a pathway's credit totals are counted in: that of its award's first credit. */
export const pathwayFramework = (definition: PathwayDefinition): string => definition.award.credits[0].framework;

function checkAward(v: Validation, input: unknown): PathwayAward {
  const award = v.object('definition.award', input);
  const title = v.text('definition.award.title', award.title);
  if (!isAwardType(award.type))
    v.problem(
      'definition.award.type',
      'invalid-field',
      'must be an Open Badges 3.0 achievementType (Certificate, Diploma, LearningProgram…) or an ext: term',
    );
  const level = checkLevel(v, 'definition.award.level', award.level);
  const credits = checkCredits(v, 'definition.award.credits', award.credits, 1);
  if (credits.length > 0 && credits[0].framework !== '' && !isCreditFramework(credits[0].framework))
    v.problem(
      'definition.award.credits[0].framework',
      'invalid-field',
      `the pathway's totals are counted in it: must be a credit framework (${CREDIT_FRAMEWORK_IDS.join(', ')})`,
    );
  return { title, type: (isAwardType(award.type) ? award.type : '') as AwardType, level, credits };
}

/** Where an issue of `checkRule` (its path relative to the rule: '', 'allOf[1]', 'nOf.of[0]'…) sits in the command. */
export function rulePath(path: string): string {
  if (path === '' || path === 'rule') return 'definition.rule';
  if (path.startsWith('definition.rule')) return path;
  if (path.startsWith('rule.') || path.startsWith('rule[')) return `definition.${path}`;
  return path.startsWith('[') ? `definition.rule${path}` : `definition.rule.${path}`;
}

/**
 * Checks a definition (paths starting `definition.`), the rule through `checkRule` (the stacking rule validator, with
 * its lookups bound), and returns it as events keep it: text trimmed, optional fields left out, `onBasisLost` set.
 * Every rule issue is reported as `invalid-rule` (its own code kept in the message): a rule naming what does not exist,
 * an `nOf` out of range, an unknown framework is refused (422) and named by its path. Call `v.done()` after.
 */
export function checkPathwayDefinition(
  v: Validation,
  input: unknown,
  checkRule: (rule: Rule) => readonly ValidationIssue[],
): PathwayDefinition {
  const d = v.object('definition', input);
  const title = v.text('definition.title', d.title);
  const description = v.optionalText('definition.description', d.description, LONG_TEXT);
  const award = checkAward(v, d.award);
  const rule = d.rule as Rule;
  if (d.rule === undefined) v.problem('definition.rule', 'invalid-rule', 'a pathway needs a rule');
  else
    for (const issue of checkRule(rule))
      v.problem(
        rulePath(issue.path),
        'invalid-rule',
        issue.code === 'invalid-rule' ? issue.message : `${issue.message} (${issue.code})`,
      );
  const conferral = v.oneOf('definition.conferral', d.conferral, CONFERRAL_MODES);
  const onBasisLost =
    d.onBasisLost === undefined ? 'invalidate' : v.oneOf('definition.onBasisLost', d.onBasisLost, BASIS_LOST_POLICIES);
  return {
    title,
    ...(description === undefined ? {} : { description }),
    award,
    rule,
    conferral,
    onBasisLost,
  };
}

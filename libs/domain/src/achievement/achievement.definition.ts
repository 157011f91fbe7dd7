import { LONG_TEXT, Validation } from '../shared/validation';

/**
 * A micro-credential definition, one version of it. Together with its issuer (country, awarding body, quality
 * assurance) and the award (learner, date of issuing) it carries every mandatory element of Annex I of the Council
 * Recommendation of 16 June 2022: title, learning outcomes, notional workload (hours, and credits where a framework
 * applies — ECTS wherever possible), level, type of assessment, form of participation; and the optional ones it can:
 * prerequisites, supervision and identity verification, further information.
 */
export type AchievementKind = 'skill' | 'knowledge' | 'disposition';
export type Participation = 'online' | 'onsite' | 'blended';

export const ACHIEVEMENT_KINDS: readonly AchievementKind[] = ['skill', 'knowledge', 'disposition'];
export const PARTICIPATION_FORMS: readonly Participation[] = ['online', 'onsite', 'blended'];

/** How a statement of each kind must begin. */
export const STATEMENT_OPENINGS: { readonly [kind in AchievementKind]: string } = {
  skill: 'I can',
  knowledge: 'I understand',
  disposition: 'I exhibit',
};

/** One rubric criterion. An assessment passes when every required criterion is met. */
export type Criterion = { id: string; description: string; required: boolean };
/** A level in a qualifications framework, e.g. `{ framework: 'EQF', level: 6 }`. */
export type Level = { framework: string; level: number };
/** An amount of credit in a credit framework, e.g. `{ framework: 'ECTS', value: 2 }`. */
export type Credit = { framework: string; value: number };
/** Supervision and identity verification during assessment (Annex I, optional). */
export type Supervision = { supervised: boolean; identityVerified: boolean };
/** An external skill or competence the achievement aligns to (ESCO, O*NET…). */
export type Alignment = { targetName: string; targetUrl: string; targetFramework?: string; targetCode?: string };

export type AchievementDefinition = {
  title: string;
  kind: AchievementKind;
  /** "I can …" (skill), "I understand …" (knowledge), "I exhibit …" (disposition). */
  statement: string;
  description?: string;
  learningOutcomes: string[];
  criteria: Criterion[];
  notionalHours: number;
  level: Level;
  credits: Credit[];
  /** Type of assessment, e.g. "portfolio", "practical demonstration", "written examination". */
  assessmentType: string;
  supervision?: Supervision;
  participation: Participation;
  /** How long an award stays valid, an ISO 8601 duration; absent, awards never expire. */
  validity?: string;
  /** Achievements that must be held, valid, when this one is awarded. */
  prerequisites: string[];
  alignments?: Alignment[];
  /** Further information (Annex I, optional). */
  url?: string;
};

/** A definition as a command carries it: credits and prerequisites may be left out (none). */
export type AchievementDefinitionInput = Omit<AchievementDefinition, 'credits' | 'prerequisites'> & {
  credits?: Credit[];
  prerequisites?: string[];
};

const FRAMEWORK = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;
const CRITERION_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?$/;
/** Levels referenced through EQF have eight; other frameworks (SCQF) have up to twelve. */
const LEVEL_RANGE: { readonly [framework: string]: number } = { EQF: 8, 'QF-EHEA': 8 };

function framework(v: Validation, path: string, value: unknown): string {
  const text = v.text(path, value, 32);
  if (text !== '' && !FRAMEWORK.test(text))
    v.problem(path, 'invalid-field', 'must be a framework code such as EQF or ECTS');
  return text;
}

export function checkLevel(v: Validation, path: string, input: unknown): Level {
  const level = v.object(path, input);
  const name = framework(v, `${path}.framework`, level.framework);
  return { framework: name, level: v.integer(`${path}.level`, level.level, 1, LEVEL_RANGE[name] ?? 12) };
}

export function checkCredits(v: Validation, path: string, input: unknown, min = 0): Credit[] {
  const credits = v.list(path, input, min).map((item, index) => {
    const credit = v.object(`${path}[${index}]`, item);
    return {
      framework: framework(v, `${path}[${index}].framework`, credit.framework),
      value: v.positiveNumber(`${path}[${index}].value`, credit.value, 10_000),
    };
  });
  v.unique(
    path,
    credits.map((credit) => credit.framework),
  );
  return credits;
}

function checkStatement(v: Validation, kind: AchievementKind, input: unknown): string {
  const statement = v.text('definition.statement', input, LONG_TEXT);
  const opening = STATEMENT_OPENINGS[kind];
  if (statement !== '' && opening !== undefined && !new RegExp(`^${opening}\\s+\\S`).test(statement))
    v.problem('definition.statement', 'statement-mismatch', `a ${kind} statement must begin "${opening} …"`);
  return statement;
}

function checkCriteria(v: Validation, input: unknown): Criterion[] {
  const criteria = v.list('definition.criteria', input, 1).map((item, index) => {
    const path = `definition.criteria[${index}]`;
    const criterion = v.object(path, item);
    if (typeof criterion.id !== 'string' || !CRITERION_ID.test(criterion.id))
      v.problem(`${path}.id`, 'invalid-id', 'must be 1–64 letters, digits, ".", "_" or inner "-"');
    return {
      id: typeof criterion.id === 'string' ? criterion.id : '',
      description: v.text(`${path}.description`, criterion.description, LONG_TEXT),
      required: v.boolean(`${path}.required`, criterion.required),
    };
  });
  const ids = criteria.map((criterion) => criterion.id);
  const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
  if (duplicate !== undefined)
    v.problem('definition.criteria', 'duplicate-entry', `names the criterion ${duplicate} more than once`);
  if (criteria.length > 0 && !criteria.some((criterion) => criterion.required))
    v.problem('definition.criteria', 'no-required-criterion', 'at least one criterion must be required');
  return criteria;
}

function checkAlignments(v: Validation, input: unknown): Alignment[] {
  return v.list('definition.alignments', input).map((item, index) => {
    const path = `definition.alignments[${index}]`;
    const alignment = v.object(path, item);
    const targetFramework = v.optionalText(`${path}.targetFramework`, alignment.targetFramework);
    const targetCode = v.optionalText(`${path}.targetCode`, alignment.targetCode);
    return {
      targetName: v.text(`${path}.targetName`, alignment.targetName),
      targetUrl: v.url(`${path}.targetUrl`, alignment.targetUrl),
      ...(targetFramework === undefined ? {} : { targetFramework }),
      ...(targetCode === undefined ? {} : { targetCode }),
    };
  });
}

function checkSupervision(v: Validation, input: unknown): Supervision {
  const s = v.object('definition.supervision', input);
  return {
    supervised: v.boolean('definition.supervision.supervised', s.supervised),
    identityVerified: v.boolean('definition.supervision.identityVerified', s.identityVerified),
  };
}

/**
 * Checks a definition (problems are reported in field order, paths starting `definition.`) and returns it as events
 * keep it: text trimmed, optional fields left out when absent, credits and prerequisites as lists. Call `v.done()` after.
 */
export function checkDefinition(v: Validation, input: unknown): AchievementDefinition {
  const d = v.object('definition', input);
  const title = v.text('definition.title', d.title);
  const kind = v.oneOf('definition.kind', d.kind, ACHIEVEMENT_KINDS);
  const statement = checkStatement(v, kind, d.statement);
  const description = v.optionalText('definition.description', d.description, LONG_TEXT);
  const learningOutcomes = v
    .list('definition.learningOutcomes', d.learningOutcomes, 1)
    .map((outcome, index) => v.text(`definition.learningOutcomes[${index}]`, outcome, LONG_TEXT));
  const criteria = checkCriteria(v, d.criteria);
  const notionalHours = v.positiveNumber('definition.notionalHours', d.notionalHours, 100_000);
  const level = checkLevel(v, 'definition.level', d.level);
  const credits = d.credits === undefined ? [] : checkCredits(v, 'definition.credits', d.credits);
  const assessmentType = v.text('definition.assessmentType', d.assessmentType);
  const supervision = d.supervision === undefined ? undefined : checkSupervision(v, d.supervision);
  const participation = v.oneOf('definition.participation', d.participation, PARTICIPATION_FORMS);
  const validity = d.validity === undefined ? undefined : v.duration('definition.validity', d.validity);
  const prerequisites = d.prerequisites === undefined ? [] : v.ids('definition.prerequisites', d.prerequisites);
  const alignments = d.alignments === undefined ? undefined : checkAlignments(v, d.alignments);
  const url = v.optionalUrl('definition.url', d.url);
  return {
    title,
    kind,
    statement,
    ...(description === undefined ? {} : { description }),
    learningOutcomes,
    criteria,
    notionalHours,
    level,
    credits,
    assessmentType,
    ...(supervision === undefined ? {} : { supervision }),
    participation,
    ...(validity === undefined ? {} : { validity }),
    prerequisites,
    ...(alignments === undefined ? {} : { alignments }),
    ...(url === undefined ? {} : { url }),
  };
}

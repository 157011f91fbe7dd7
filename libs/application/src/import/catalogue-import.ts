import {
  type Achievement,
  type AchievementDefinitionInput,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  type Actor,
  isDomainError,
  type Issuer,
  type IssuerEvent,
  issuerDecider,
  issuerStream,
  latestPathwayVersion,
  latestVersion,
  type Pathway,
  type PathwayDefinitionInput,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
} from '@app/domain';
import type { JsonObject } from '@app/event-store';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import { canonicalJson } from '../audit/hash-chain';
import type { CommandContext } from '../command-context';
import { executeAchievementCommand, executeIssuerCommand, executePathwayCommand } from '../commands';
import { deriveId } from '../derive-id';
import type { StreamCommands } from '../stream-commands';

export const CATALOGUE_SECTIONS = ['issuers', 'achievements', 'pathways'] as const;
export type CatalogueSection = (typeof CATALOGUE_SECTIONS)[number];

/** One issuer, achievement or pathway of a catalogue file, with where it was found. */
export interface CatalogueItem {
  readonly section: CatalogueSection;
  readonly index: number;
  /** 1-based line of the item in the file. */
  readonly line: number;
  readonly fields: JsonObject;
}

/** A catalogue file that cannot be read as one: a message per problem, each naming the file and line. */
export class MalformedCatalogue extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}

/**
 * Parses a catalogue file, YAML or JSON (JSON is YAML): a mapping with the lists `issuers`, `achievements` and
 * `pathways` (each optional), every item a mapping with an `id`. Items are returned issuers first, then achievements,
 * then pathways, each in file order — the order their definitions depend on one another.
 */
export function parseCatalogue(file: string, text: string): CatalogueItem[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? 1 : lineCounter.linePos(offset).line);
  if (document.errors.length > 0)
    throw new MalformedCatalogue(
      document.errors.map((error) => `${file}:${lineOf(error.pos[0])}: ${error.message.split('\n')[0]}`),
    );
  const root = document.contents;
  if (!isMap(root))
    throw new MalformedCatalogue([`${file}: expected a mapping with the lists ${CATALOGUE_SECTIONS.join(', ')}`]);
  const problems: string[] = [];
  const items: CatalogueItem[] = [];
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const keyLine = lineOf((pair.key as { range?: number[] } | null)?.range?.[0]);
    if (!(CATALOGUE_SECTIONS as readonly string[]).includes(key)) {
      problems.push(`${file}:${keyLine}: unknown section "${key}" (expected ${CATALOGUE_SECTIONS.join(', ')})`);
      continue;
    }
    if (!isSeq(pair.value)) {
      problems.push(`${file}:${keyLine}: ${key} must be a list`);
      continue;
    }
    pair.value.items.forEach((node, index) => {
      const line = lineOf((node as { range?: number[] } | null)?.range?.[0]);
      const fields: unknown = (node as { toJSON?: () => unknown })?.toJSON?.();
      if (!isMap(node) || typeof fields !== 'object' || fields === null)
        problems.push(`${file}:${line}: ${key}[${index}] must be a mapping`);
      else if (typeof (fields as JsonObject).id !== 'string' || (fields as JsonObject).id === '')
        problems.push(`${file}:${line}: ${key}[${index}]: id is required (a slug such as "data-modelling")`);
      else items.push({ section: key as CatalogueSection, index, line, fields: fields as JsonObject });
    });
  }
  if (problems.length > 0) throw new MalformedCatalogue(problems);
  const rank = (item: CatalogueItem) => CATALOGUE_SECTIONS.indexOf(item.section);
  return items.sort((a, b) => rank(a) - rank(b) || a.index - b.index);
}

export type CatalogueOutcome =
  | { readonly status: 'defined' | 'revised'; readonly version?: number }
  | { readonly status: 'unchanged' }
  | { readonly status: 'rejected'; readonly reasons: string[] };

export interface CatalogueItemResult {
  readonly item: CatalogueItem;
  readonly outcome: CatalogueOutcome;
}

/**
 * Imports catalogue items through the same commands and deciders as the HTTP API. An item not yet in the store is
 * defined (an issuer registered); one whose definition differs from its latest version becomes a revision; one that
 * matches it appends nothing ("unchanged") — so importing a file twice changes nothing. A refused item is reported with
 * its reasons and the others go on. `actorSub` is recorded as the actor of every event (e.g. `cli:ada`); it acts as an
 * admin (to register issuers) and an issuer-admin of the issuer each item belongs to.
 */
export async function importCatalogue(
  streams: StreamCommands,
  items: readonly CatalogueItem[],
  options: { actorSub: string; now: string; onItem?: (result: CatalogueItemResult) => void },
): Promise<CatalogueItemResult[]> {
  const results: CatalogueItemResult[] = [];
  for (const item of items) {
    let outcome: CatalogueOutcome;
    try {
      outcome = await importItem(streams, item, options);
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const reasons =
        error.issues.length > 0
          ? error.issues.map((issue) => `${fieldOf(issue.path)}: ${issue.message}`)
          : [error.detail];
      outcome = { status: 'rejected', reasons };
    }
    const result = { item, outcome };
    results.push(result);
    options.onItem?.(result);
  }
  return results;
}

/** Where a problem is in the item as written: definitions are written inline, not under `definition`. */
const fieldOf = (path: string) => path.replace(/^definition\./, '');

const rejected = (...reasons: string[]): CatalogueOutcome => ({ status: 'rejected', reasons });

async function importItem(
  streams: StreamCommands,
  item: CatalogueItem,
  options: { actorSub: string; now: string },
): Promise<CatalogueOutcome> {
  const { id, issuerId, ...rest } = item.fields as JsonObject & { id: string; issuerId?: unknown };
  const actor: Actor = {
    sub: options.actorSub,
    roles: ['admin', 'issuer-admin'],
    issuers: typeof issuerId === 'string' ? [issuerId] : item.section === 'issuers' ? [id] : [],
  };
  const stream =
    item.section === 'issuers'
      ? issuerStream(id)
      : item.section === 'achievements'
        ? achievementStream(id)
        : pathwayStream(id);
  const history = await streams.readStream(stream);
  // The same item against the same stream state is the same command: a retried import appends nothing twice.
  const context: CommandContext = {
    commandId: deriveId('catalogue-import', stream, String(history.length), canonicalJson(item.fields)),
    correlationId: deriveId('catalogue-import', options.now),
    actor,
    now: options.now,
  };
  const metadata = { now: options.now, actor };

  if (item.section === 'issuers') {
    const issuer = await streams.load<Issuer, IssuerEvent>(stream, issuerDecider);
    if (issuer.status === 'registered') {
      const differs = ['name', 'url', 'country', 'qualityAssurance', 'framework'].filter(
        (field) => (issuer as Record<string, unknown>)[field] !== (rest as Record<string, unknown>)[field],
      );
      return differs.length === 0
        ? { status: 'unchanged' }
        : rejected(
            `already registered with another ${differs.join(', ')}; an issuer's details are not revised by import`,
          );
    }
    const data = { issuerId: id, ...rest } as never;
    await executeIssuerCommand(streams, { type: 'RegisterIssuer', data, metadata }, context);
    return { status: 'defined' };
  }

  if (typeof issuerId !== 'string') return rejected('issuerId: is required');
  if (item.section === 'achievements') {
    const achievement = await streams.load<Achievement, AchievementEvent>(stream, achievementDecider);
    const definition = rest as unknown as AchievementDefinitionInput;
    if (achievement.status === 'none') {
      const outcome = await executeAchievementCommand(
        streams,
        { type: 'DefineAchievement', data: { achievementId: id, issuerId, definition }, metadata },
        context,
      );
      return { status: 'defined', version: versionOf(outcome.events) };
    }
    if (achievement.issuerId !== issuerId)
      return rejected(`issuerId: the achievement ${id} belongs to the issuer ${achievement.issuerId}`);
    const outcome = await executeAchievementCommand(
      streams,
      { type: 'ReviseAchievement', data: { achievementId: id, definition }, metadata },
      context,
      (events, state) => unlessUnchanged(events, latestVersion(state)?.definition),
    );
    return outcome.events.length === 0
      ? { status: 'unchanged' }
      : { status: 'revised', version: versionOf(outcome.events) };
  }

  const pathway = await streams.load<Pathway, PathwayEvent>(stream, pathwayDecider);
  const definition = rest as unknown as PathwayDefinitionInput;
  if (pathway.status === 'none') {
    const outcome = await executePathwayCommand(
      streams,
      { type: 'DefinePathway', data: { pathwayId: id, issuerId, definition }, metadata },
      context,
    );
    return { status: 'defined', version: versionOf(outcome.events) };
  }
  if (pathway.issuerId !== issuerId)
    return rejected(`issuerId: the pathway ${id} belongs to the issuer ${pathway.issuerId}`);
  const outcome = await executePathwayCommand(
    streams,
    { type: 'RevisePathway', data: { pathwayId: id, definition }, metadata },
    context,
    (events, state) => unlessUnchanged(events, latestPathwayVersion(state)?.definition),
  );
  return outcome.events.length === 0
    ? { status: 'unchanged' }
    : { status: 'revised', version: versionOf(outcome.events) };
}

/** No revision when the decided definition (as events keep it) is the latest one already. */
function unlessUnchanged<Event extends { data: object }>(events: Event[], latest: object | undefined): Event[] {
  const decided = (events[0]?.data as { definition?: JsonObject } | undefined)?.definition;
  return latest !== undefined && decided !== undefined && canonicalJson(decided) === canonicalJson(latest as JsonObject)
    ? []
    : events;
}

function versionOf(events: readonly { data: object }[]): number | undefined {
  const version = (events[0]?.data as { version?: unknown } | undefined)?.version;
  return typeof version === 'number' ? version : undefined;
}

import {
  type Achievement,
  type AchievementCommand,
  type AchievementContext,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  decideAchievement,
  decideIssuer,
  decidePathway,
  findPathwayCycle,
  isId,
  type Issuer,
  type IssuerCommand,
  type IssuerEvent,
  issuerDecider,
  initialIssuer,
  issuerStream,
  isSlug,
  MAX_RECOGNISED_ACHIEVEMENTS,
  missingRecognitions,
  type Pathway,
  type PathwayCommand,
  type PathwayContext,
  type PathwayEvent,
  type RecognitionContext,
  pathwayDecider,
  pathwayStream,
  type Rule,
  ruleReferences,
  validateRule,
} from '@app/domain';
import type { CommandContext } from '../command-context';
import { countingOf } from '../cross-issuer-counting';
import { loadRuleCatalogue } from '../rule-catalogue';
import type { CommandOutcome, StreamCommands, StreamLoader } from '../stream-commands';

/**
 * The catalogue's commands — issuers, achievements, pathways — each run on its stream with the context its decider
 * needs, loaded from other streams. The HTTP handlers and the CLI's catalogue import both run them.
 * `refine` may change the decision before it is appended (the import turns an unchanged revision into nothing).
 */
export type Refine<State, Event> = (events: Event[], state: State) => Event[];

export function executeIssuerCommand(
  streams: StreamCommands,
  command: IssuerCommand,
  context: CommandContext,
  refine: Refine<Issuer, IssuerEvent> = (events) => events,
): Promise<CommandOutcome<IssuerEvent>> {
  return streams.execute<Issuer, IssuerEvent>(
    issuerStream(command.data.issuerId),
    issuerDecider,
    context,
    async (issuer, loader) => refine(decideIssuer(command, issuer, await recognitionContext(loader, command)), issuer),
    recognitionStreams(command),
  );
}

/** For RecordRecognition: the recognised issuer, and the achievements listed (a list too long is refused, not read). */
function recognitionStreams(command: IssuerCommand): string[] {
  if (command.type !== 'RecordRecognition') return [];
  const { recognisedIssuerId } = command.data;
  return [
    ...(isSlug(recognisedIssuerId) ? [issuerStream(recognisedIssuerId)] : []),
    ...recognisedAchievementIds(command.data.achievementIds).map(achievementStream),
  ];
}

const recognisedAchievementIds = (achievementIds: unknown): string[] => {
  const listed =
    Array.isArray(achievementIds) && achievementIds.length <= MAX_RECOGNISED_ACHIEVEMENTS ? achievementIds : [];
  return [...new Set(listed.filter((id): id is string => typeof id === 'string' && isId(id)))];
};

/** For RecordRecognition: the recognised issuer, and the issuer of each achievement listed. */
async function recognitionContext(
  streams: StreamLoader,
  command: IssuerCommand,
): Promise<RecognitionContext | undefined> {
  if (command.type !== 'RecordRecognition') return undefined;
  const { recognisedIssuerId, achievementIds } = command.data;
  const ids = recognisedAchievementIds(achievementIds);
  const [recognisedIssuer, achievements] = await Promise.all([
    isSlug(recognisedIssuerId)
      ? streams.load<Issuer, IssuerEvent>(issuerStream(recognisedIssuerId), issuerDecider)
      : initialIssuer(),
    Promise.all(
      ids.map(async (id) => {
        const achievement = await streams.load<Achievement, AchievementEvent>(
          achievementStream(id),
          achievementDecider,
        );
        return [id, achievement.status === 'none' ? undefined : achievement.issuerId] as const;
      }),
    ),
  ]);
  return { recognisedIssuer, achievementIssuers: Object.fromEntries(achievements) };
}

export function executeAchievementCommand(
  streams: StreamCommands,
  command: AchievementCommand,
  context: CommandContext,
  refine: Refine<Achievement, AchievementEvent> = (events) => events,
): Promise<CommandOutcome<AchievementEvent>> {
  return streams.execute<Achievement, AchievementEvent>(
    achievementStream(command.data.achievementId),
    achievementDecider,
    context,
    async (achievement, loader) =>
      refine(decideAchievement(command, achievement, await achievementContext(loader, command)), achievement),
    achievementContextStreams(command),
  );
}

export function executePathwayCommand(
  streams: StreamCommands,
  command: PathwayCommand,
  context: CommandContext,
  refine: Refine<Pathway, PathwayEvent> = (events) => events,
): Promise<CommandOutcome<PathwayEvent>> {
  return streams.execute<Pathway, PathwayEvent>(
    pathwayStream(command.data.pathwayId),
    pathwayDecider,
    context,
    async (pathway, loader) =>
      refine(decidePathway(command, pathway, await pathwayContext(loader, command, pathway)), pathway),
    pathwayContextStreams(command),
  );
}

const namedPrerequisites = (command: AchievementCommand & { type: 'DefineAchievement' | 'ReviseAchievement' }) => {
  const named = Array.isArray(command.data.definition.prerequisites) ? command.data.definition.prerequisites : [];
  return [...new Set(named.filter((id): id is string => typeof id === 'string' && isId(id)))];
};

/** What achievementContext reads, to be read with the achievement's own stream. */
function achievementContextStreams(command: AchievementCommand): string[] {
  if (command.type === 'RetireAchievement') return [];
  const issuer =
    command.type === 'DefineAchievement' && isSlug(command.data.issuerId) ? [issuerStream(command.data.issuerId)] : [];
  return [...namedPrerequisites(command).map(achievementStream), ...issuer];
}

/** The issuer (to define) and the prerequisites the definition names (to define or revise). */
async function achievementContext(streams: StreamLoader, command: AchievementCommand): Promise<AchievementContext> {
  if (command.type === 'RetireAchievement') return {};
  const ids = namedPrerequisites(command);
  const prerequisites = Object.fromEntries(
    await Promise.all(
      ids.map(async (id) => [
        id,
        await streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider),
      ]),
    ),
  );
  if (command.type === 'ReviseAchievement') return { prerequisites };
  const issuer = isSlug(command.data.issuerId)
    ? await streams.load<Issuer, IssuerEvent>(issuerStream(command.data.issuerId), issuerDecider)
    : undefined;
  return { issuer, prerequisites };
}

/** What the rule names at its first level, and a new pathway's issuer, to be read with the pathway's own stream. */
function pathwayContextStreams(command: PathwayCommand): string[] {
  if (command.type === 'RetirePathway') return [];
  const references = ruleReferences(command.data.definition?.rule);
  const issuer =
    command.type === 'DefinePathway' && isSlug(command.data.issuerId) ? [issuerStream(command.data.issuerId)] : [];
  return [
    ...references.achievements.filter(isId).map(achievementStream),
    ...references.pathways.filter(isId).map(pathwayStream),
    ...issuer,
  ];
}

/**
 * The issuer (to define), what the rule names (to validate it and to find cycles through nested pathways) and the
 * recognitions of the pathway's issuer (to refuse another issuer's achievements it does not recognise).
 */
async function pathwayContext(
  streams: StreamLoader,
  command: PathwayCommand,
  pathway: Pathway,
): Promise<PathwayContext | undefined> {
  if (command.type === 'RetirePathway') return undefined;
  const issuerId =
    command.type === 'DefinePathway' ? command.data.issuerId : pathway.status === 'none' ? undefined : pathway.issuerId;
  const known = issuerId !== undefined && isSlug(issuerId);
  const [catalogue, issuer] = await Promise.all([
    loadRuleCatalogue(streams, [command.data.definition?.rule]),
    known ? streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider) : undefined,
  ]);
  const checks = {
    checkRule: (rule: unknown) => validateRule(rule, catalogue.stacking),
    findCycle: (pathwayId: string, rule: Rule) => findPathwayCycle(pathwayId, rule, catalogue.ruleOf),
    checkRecognitions: (ruleIssuerId: string, rule: Rule) =>
      missingRecognitions(rule, catalogue.stacking, countingOf(ruleIssuerId, issuer), command.metadata.now),
  };
  return command.type === 'RevisePathway' ? checks : { ...checks, issuer };
}

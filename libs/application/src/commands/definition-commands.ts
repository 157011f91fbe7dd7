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
  validateRule,
} from '@app/domain';
import type { CommandContext } from '../command-context';
import { countingOf } from '../cross-issuer-counting';
import { loadRuleCatalogue } from '../rule-catalogue';
import type { CommandOutcome, StreamCommands } from '../stream-commands';

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
    async (issuer) => refine(decideIssuer(command, issuer, await recognitionContext(streams, command)), issuer),
  );
}

/** For RecordRecognition: the recognised issuer, and the issuer of each achievement listed. */
async function recognitionContext(
  streams: StreamCommands,
  command: IssuerCommand,
): Promise<RecognitionContext | undefined> {
  if (command.type !== 'RecordRecognition') return undefined;
  const { recognisedIssuerId, achievementIds } = command.data;
  // A list too long is refused by the decider: it is not loaded.
  const listed =
    Array.isArray(achievementIds) && achievementIds.length <= MAX_RECOGNISED_ACHIEVEMENTS ? achievementIds : [];
  const ids = [...new Set(listed.filter((id): id is string => typeof id === 'string' && isId(id)))];
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
    async (achievement) =>
      refine(decideAchievement(command, achievement, await achievementContext(streams, command)), achievement),
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
    async (pathway) =>
      refine(decidePathway(command, pathway, await pathwayContext(streams, command, pathway)), pathway),
  );
}

/** The issuer (to define) and the prerequisites the definition names (to define or revise). */
async function achievementContext(streams: StreamCommands, command: AchievementCommand): Promise<AchievementContext> {
  if (command.type === 'RetireAchievement') return {};
  const named = Array.isArray(command.data.definition.prerequisites) ? command.data.definition.prerequisites : [];
  const ids = [...new Set(named.filter((id): id is string => typeof id === 'string' && isId(id)))];
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

/**
 * The issuer (to define), what the rule names (to validate it and to find cycles through nested pathways) and the
 * recognitions of the pathway's issuer (to refuse another issuer's achievements it does not recognise).
 */
async function pathwayContext(
  streams: StreamCommands,
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

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
  issuerStream,
  isSlug,
  type Pathway,
  type PathwayCommand,
  type PathwayContext,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  validateRule,
} from '@app/domain';
import type { CommandContext } from '../command-context';
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
  return streams.execute<Issuer, IssuerEvent>(issuerStream(command.data.issuerId), issuerDecider, context, (issuer) =>
    refine(decideIssuer(command, issuer), issuer),
  );
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
    async (pathway) => refine(decidePathway(command, pathway, await pathwayContext(streams, command)), pathway),
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

/** The issuer (to define), and what the rule names, to validate it and to find cycles through nested pathways. */
async function pathwayContext(streams: StreamCommands, command: PathwayCommand): Promise<PathwayContext | undefined> {
  if (command.type === 'RetirePathway') return undefined;
  const catalogue = await loadRuleCatalogue(streams, [command.data.definition?.rule]);
  const checks = {
    checkRule: (rule: unknown) => validateRule(rule, catalogue.stacking),
    findCycle: (pathwayId: string, rule: Parameters<typeof findPathwayCycle>[1]) =>
      findPathwayCycle(pathwayId, rule, catalogue.ruleOf),
  };
  if (command.type === 'RevisePathway') return checks;
  const issuerId = command.data.issuerId;
  const issuer = isSlug(issuerId)
    ? await streams.load<Issuer, IssuerEvent>(issuerStream(issuerId), issuerDecider)
    : undefined;
  return { ...checks, issuer };
}

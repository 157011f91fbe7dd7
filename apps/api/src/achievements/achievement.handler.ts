import {
  type Achievement,
  type AchievementCommand,
  type AchievementContext,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  decideAchievement,
  type Issuer,
  type IssuerEvent,
  isId,
  issuerDecider,
  issuerStream,
} from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, StreamCommands } from '@app/application';

export class ExecuteAchievementCommand {
  constructor(
    readonly command: AchievementCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(ExecuteAchievementCommand)
export class AchievementCommandHandler implements ICommandHandler<
  ExecuteAchievementCommand,
  CommandOutcome<AchievementEvent>
> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ command, metadata }: ExecuteAchievementCommand): Promise<CommandOutcome<AchievementEvent>> {
    return this.streams.execute<Achievement, AchievementEvent>(
      achievementStream(command.data.achievementId),
      achievementDecider,
      metadata,
      async (achievement) => decideAchievement(command, achievement, await this.context(command)),
    );
  }

  /** The issuer (to define) and the prerequisites the definition names (to define or revise). */
  private async context(command: AchievementCommand): Promise<AchievementContext> {
    if (command.type === 'RetireAchievement') return {};
    const named = Array.isArray(command.data.definition.prerequisites) ? command.data.definition.prerequisites : [];
    const ids = [...new Set(named.filter((id): id is string => typeof id === 'string' && isId(id)))];
    const prerequisites = Object.fromEntries(
      await Promise.all(
        ids.map(async (id) => [
          id,
          await this.streams.load<Achievement, AchievementEvent>(achievementStream(id), achievementDecider),
        ]),
      ),
    );
    if (command.type === 'ReviseAchievement') return { prerequisites };
    const issuer = isIssuerId(command.data.issuerId)
      ? await this.streams.load<Issuer, IssuerEvent>(issuerStream(command.data.issuerId), issuerDecider)
      : undefined;
    return { issuer, prerequisites };
  }
}

function isIssuerId(value: unknown): value is string {
  try {
    issuerStream(value as string);
    return true;
  } catch {
    return false;
  }
}

import type { AchievementCommand, AchievementEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, executeAchievementCommand, StreamCommands } from '@app/application';

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
    return executeAchievementCommand(this.streams, command, metadata);
  }
}

import {
  type CommandOutcome,
  type DefinitionKind,
  executeAchievementCommand,
  executePathwayCommand,
  StreamCommands,
} from '@app/application';
import type { AchievementCommand, AchievementEvent, PathwayCommand, PathwayEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';

export type DefinitionCommand = AchievementCommand | PathwayCommand;
export type DefinitionEvent = AchievementEvent | PathwayEvent;

/** Defining, revising or retiring an achievement or a pathway: the one lifecycle both have. */
export class ExecuteDefinitionCommand {
  constructor(
    readonly kind: DefinitionKind,
    readonly command: DefinitionCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(ExecuteDefinitionCommand)
export class DefinitionCommandHandler implements ICommandHandler<
  ExecuteDefinitionCommand,
  CommandOutcome<DefinitionEvent>
> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ kind, command, metadata }: ExecuteDefinitionCommand): Promise<CommandOutcome<DefinitionEvent>> {
    return kind === 'achievement'
      ? executeAchievementCommand(this.streams, command as AchievementCommand, metadata)
      : executePathwayCommand(this.streams, command as PathwayCommand, metadata);
  }
}

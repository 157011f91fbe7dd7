import { type CommandOutcome, executePathwayCommand, StreamCommands } from '@app/application';
import type { PathwayCommand, PathwayEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';

export class ExecutePathwayCommand {
  constructor(
    readonly command: PathwayCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(ExecutePathwayCommand)
export class PathwayCommandHandler implements ICommandHandler<ExecutePathwayCommand, CommandOutcome<PathwayEvent>> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ command, metadata }: ExecutePathwayCommand): Promise<CommandOutcome<PathwayEvent>> {
    return executePathwayCommand(this.streams, command, metadata);
  }
}

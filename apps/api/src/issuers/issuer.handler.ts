import type { IssuerCommand, IssuerEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, executeIssuerCommand, StreamCommands } from '@app/application';

export class ExecuteIssuerCommand {
  constructor(
    readonly command: IssuerCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

@CommandHandler(ExecuteIssuerCommand)
export class IssuerCommandHandler implements ICommandHandler<ExecuteIssuerCommand, CommandOutcome<IssuerEvent>> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ command, metadata }: ExecuteIssuerCommand): Promise<CommandOutcome<IssuerEvent>> {
    return executeIssuerCommand(this.streams, command, metadata);
  }
}

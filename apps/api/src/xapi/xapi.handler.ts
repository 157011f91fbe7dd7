import { type CommandOutcome, executeXapiCommand, StreamCommands } from '@app/application';
import type { XapiCommand, XapiEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';

export class ExecuteXapiCommand {
  constructor(
    readonly command: XapiCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

/** An issuer's xAPI clients and evidence mappings. */
@CommandHandler(ExecuteXapiCommand)
export class XapiCommandHandler implements ICommandHandler<ExecuteXapiCommand, CommandOutcome<XapiEvent>> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ command, metadata }: ExecuteXapiCommand): Promise<CommandOutcome<XapiEvent>> {
    return executeXapiCommand(this.streams, command, metadata);
  }
}

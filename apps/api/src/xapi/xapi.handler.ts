import { type CommandOutcome, executeXapiCommand, StreamCommands } from '@app/application';
import type { XapiCommand, XapiEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { XapiIssuerCache } from './xapi-issuer.cache';

export class ExecuteXapiCommand {
  constructor(
    readonly command: XapiCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

/** An issuer's xAPI clients and evidence mappings; the statements' fold of the issuer is dropped once it changed. */
@CommandHandler(ExecuteXapiCommand)
export class XapiCommandHandler implements ICommandHandler<ExecuteXapiCommand, CommandOutcome<XapiEvent>> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly issuers: XapiIssuerCache,
  ) {}

  async execute({ command, metadata }: ExecuteXapiCommand): Promise<CommandOutcome<XapiEvent>> {
    try {
      return await executeXapiCommand(this.streams, command, metadata);
    } finally {
      this.issuers.forget(command.data.issuerId);
    }
  }
}

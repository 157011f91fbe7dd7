import {
  type Issuer,
  type IssuerCommand,
  type IssuerEvent,
  decideIssuer,
  issuerDecider,
  issuerStream,
} from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, StreamCommands } from '@app/application';

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
    return this.streams.execute<Issuer, IssuerEvent>(
      issuerStream(command.data.issuerId),
      issuerDecider,
      metadata,
      (issuer) => decideIssuer(command, issuer),
    );
  }
}

import {
  type CommandContext,
  type CommandOutcome,
  executeQualificationCommand,
  StreamCommands,
} from '@app/application';
import type { QualificationCommand, QualificationEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';

export class ExecuteQualificationCommand {
  constructor(
    readonly command: QualificationCommand,
    readonly metadata: CommandContext,
  ) {}
}

/** Conferring, invalidating and revoking the qualification a pathway leads to, on one learner. */
@CommandHandler(ExecuteQualificationCommand)
export class QualificationCommandHandler implements ICommandHandler<
  ExecuteQualificationCommand,
  CommandOutcome<QualificationEvent>
> {
  constructor(private readonly streams: StreamCommands) {}

  execute({ command, metadata }: ExecuteQualificationCommand): Promise<CommandOutcome<QualificationEvent>> {
    return executeQualificationCommand(this.streams, command, metadata);
  }
}

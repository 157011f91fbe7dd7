import type { RecordCommand, RecordEvent } from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, executeRecordCommand, StreamCommands } from '@app/application';

export class ExecuteRecordCommand {
  constructor(
    readonly command: RecordCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

/** Commands on one learner's record of one achievement: evidence, assessment, award and its status, prior learning. */
@CommandHandler(ExecuteRecordCommand)
export class RecordCommandHandler implements ICommandHandler<ExecuteRecordCommand, CommandOutcome<RecordEvent>> {
  constructor(private readonly streams: StreamCommands) {}

  /** The award index is the award-index projection's alone: a read of an award just made finds it in the store. */
  execute({ command, metadata }: ExecuteRecordCommand): Promise<CommandOutcome<RecordEvent>> {
    return executeRecordCommand(this.streams, command, metadata);
  }
}

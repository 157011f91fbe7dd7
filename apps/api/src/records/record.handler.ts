import { type RecordCommand, type RecordEvent, recordStream } from '@app/domain';
import type { SqlClient } from '@app/event-store';
import { awardLocationOf, indexAwards } from '@app/read-models';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, executeRecordCommand, StreamCommands } from '@app/application';
import { SQL_CLIENT } from '../storage.tokens';

export class ExecuteRecordCommand {
  constructor(
    readonly command: RecordCommand,
    readonly metadata: CommandMetadata,
  ) {}
}

/** Commands on one learner's record of one achievement: evidence, assessment, award and its status, prior learning. */
@CommandHandler(ExecuteRecordCommand)
export class RecordCommandHandler implements ICommandHandler<ExecuteRecordCommand, CommandOutcome<RecordEvent>> {
  constructor(
    private readonly streams: StreamCommands,
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
  ) {}

  async execute({ command, metadata }: ExecuteRecordCommand): Promise<CommandOutcome<RecordEvent>> {
    const { learnerId, achievementId } = command.data;
    const stream = recordStream(learnerId, achievementId);
    const outcome = await executeRecordCommand(this.streams, command, metadata);
    // Index the award now, so that /awards/:awardId answers at once; the award-index projection does the same on replay.
    if (command.type === 'AwardAchievement')
      await indexAwards(
        this.sql.query,
        outcome.events.flatMap((event) => awardLocationOf({ ...event, stream }) ?? []),
      );
    return outcome;
  }
}

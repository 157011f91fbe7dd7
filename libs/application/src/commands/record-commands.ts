import {
  type Achievement,
  type AchievementEvent,
  achievementDecider,
  achievementStream,
  decideRecord,
  type LearnerRecord,
  prerequisitesToLoad,
  type RecordCommand,
  type RecordContext,
  type RecordEvent,
  recordDecider,
  recordStream,
} from '@app/domain';
import type { CommandContext } from '../command-context';
import type { CommandOutcome, StreamCommands } from '../stream-commands';

/** Runs a command on one learner's record of one achievement, with the achievement (and prerequisites) as context. */
export function executeRecordCommand(
  streams: StreamCommands,
  command: RecordCommand,
  context: CommandContext,
): Promise<CommandOutcome<RecordEvent>> {
  const { learnerId, achievementId } = command.data;
  return streams.execute<LearnerRecord, RecordEvent>(
    recordStream(learnerId, achievementId),
    recordDecider,
    context,
    async (record) => decideRecord(command, record, await recordContext(streams, command, record)),
  );
}

/** The achievement the command is about; for an award, also the learner's records on its prerequisites. */
async function recordContext(
  streams: StreamCommands,
  command: RecordCommand,
  record: LearnerRecord,
): Promise<RecordContext> {
  const achievement = await streams.load<Achievement, AchievementEvent>(
    achievementStream(command.data.achievementId),
    achievementDecider,
  );
  if (command.type !== 'AwardAchievement') return { achievement };
  const prerequisites = Object.fromEntries(
    await Promise.all(
      prerequisitesToLoad(record, achievement).map(async (id) => [
        id,
        await streams.load<LearnerRecord, RecordEvent>(recordStream(command.data.learnerId, id), recordDecider),
      ]),
    ),
  );
  return { achievement, prerequisites };
}

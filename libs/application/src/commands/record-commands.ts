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
import type { CommandOutcome, StreamCommands, StreamLoader } from '../stream-commands';

/**
 * Runs a command on one learner's record of one achievement, with the achievement (and prerequisites) as context,
 * all read in one round trip: the achievement's fold is cached, and an award reads beside its record the records of
 * the prerequisites the cached definition names.
 */
export function executeRecordCommand(
  streams: StreamCommands,
  command: RecordCommand,
  context: CommandContext,
): Promise<CommandOutcome<RecordEvent>> {
  const { learnerId, achievementId } = command.data;
  const definition = achievementStream(achievementId);
  const prerequisites =
    command.type === 'AwardAchievement'
      ? namedPrerequisites(streams.cached<Achievement>(definition)).map((id) => recordStream(learnerId, id))
      : [];
  return streams.execute<LearnerRecord, RecordEvent>(
    recordStream(learnerId, achievementId),
    recordDecider,
    context,
    async (record, loader) => decideRecord(command, record, await recordContext(loader, command, record)),
    [definition, ...prerequisites],
  );
}

/** Every prerequisite any version of the achievement names (which one applies depends on the assessment). */
function namedPrerequisites(achievement: Achievement | undefined): string[] {
  if (achievement === undefined || achievement.status === 'none') return [];
  return [...new Set(achievement.versions.flatMap((version) => version.definition.prerequisites ?? []))];
}

/** The achievement the command is about; for an award, also the learner's records on its prerequisites. */
async function recordContext(
  streams: StreamLoader,
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

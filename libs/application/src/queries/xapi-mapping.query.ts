import {
  type Achievement,
  achievementDecider,
  type AchievementEvent,
  achievementStream,
  DomainError,
  type XapiMapping,
  xapiMappingOf,
} from '@app/domain';
import { loadXapiIssuer } from '../commands/xapi-commands';
import { StreamCommands } from '../stream-commands';
import type { ReadSide } from './read-side';

/** An achievement's xAPI mapping (undefined before any is set) and the issuer that defines the achievement. */
export async function xapiMappingOfAchievement(
  read: ReadSide,
  achievementId: string,
): Promise<{ issuerId: string; mapping: XapiMapping | undefined }> {
  const streams = new StreamCommands(read.store);
  const achievement = await streams.load<Achievement, AchievementEvent>(
    achievementStream(achievementId),
    achievementDecider,
  );
  if (achievement.status === 'none')
    throw new DomainError('unknown-achievement', `No achievement ${achievementId} is defined`);
  const { issuerId } = achievement;
  return { issuerId, mapping: xapiMappingOf(await loadXapiIssuer(streams, issuerId), achievementId) };
}

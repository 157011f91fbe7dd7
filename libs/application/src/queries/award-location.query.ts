import { readAllEvents } from '@app/event-store';
import { awardIndexProjection, type AwardLocation, awardLocationOf, findAward, loadCheckpoint } from '@app/read-models';
import type { ReadSide } from './read-side';

/**
 * Where an award lives (its learner and achievement), found by its id: in the award index, else among the awards the
 * store holds past the index's checkpoint — an award just made is found before the award-index projection has
 * indexed it (read your writes without a position), and an unknown id costs a read of that short tail only.
 */
export async function awardLocation(read: ReadSide, awardId: string): Promise<AwardLocation | undefined> {
  const query = read.readModels?.query;
  const indexed = query && (await findAward(query, awardId));
  if (indexed) return indexed;
  const tail = await readAllEvents(read.store, {
    from: query && (await loadCheckpoint(query, awardIndexProjection.name)),
    filter: awardIndexProjection.filter,
    visibility: 'committed',
  });
  for (const event of tail) {
    const location = awardLocationOf(event);
    if (location?.awardId === awardId)
      return { awardId, learnerId: location.learnerId, achievementId: location.achievementId };
  }
  return undefined;
}

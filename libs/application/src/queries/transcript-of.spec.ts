import { achievementStream, recordStream } from '@app/domain';
import { type EventStore, InMemoryEventStore, type JsonObject } from '@app/event-store';
import { randomUUID } from 'node:crypto';
import {
  ACHIEVEMENT_ID,
  achievementDefined,
  achievementRevised,
} from '../../../domain/src/achievement/testing/achievement.fixtures';
import { achievementAwarded, LEARNER_ID } from '../../../domain/src/record/testing/record.fixtures';
import { transcriptOf } from './transcript-of.query';

/** Counts the reads of achievement streams, the catalogue a transcript joins. */
function countingCatalogueReads(store: EventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  const counted = Object.assign(Object.create(store) as EventStore, {
    readStreams: (streams: string[], options?: object) => {
      reads += streams.filter((stream) => stream.startsWith('achievement-')).length;
      return store.readStreams(streams, options as never);
    },
  });
  return { store: counted, reads: () => reads };
}

describe('transcriptOf and the achievement catalogue', () => {
  it('reads an achievement version once: titles of versions never change, and a new version is read when met', async () => {
    const memory = new InMemoryEventStore();
    const event = (type: string, data: object) => ({ id: randomUUID(), type, data: data as JsonObject });
    const defined = achievementDefined();
    await memory.appendToStream(achievementStream(ACHIEVEMENT_ID), [event(defined.type, defined.data)]);
    const awarded = achievementAwarded();
    await memory.appendToStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), [event(awarded.type, awarded.data)]);
    const { store, reads } = countingCatalogueReads(memory);

    const first = await transcriptOf({ store }, LEARNER_ID);
    expect(first.awards.map((award) => award.title)).toEqual([defined.data.definition.title]);
    const afterFirst = reads();
    expect(afterFirst).toBeGreaterThan(0);
    expect(await transcriptOf({ store }, LEARNER_ID)).toEqual({ ...first });
    expect(reads()).toBe(afterFirst);

    const revised = achievementRevised(2, { title: 'Testing Python, revised' });
    await memory.appendToStream(achievementStream(ACHIEVEMENT_ID), [event(revised.type, revised.data)]);
    const second = achievementAwarded({ awardId: 'aw-2', version: 2 });
    await memory.appendToStream(recordStream(LEARNER_ID, ACHIEVEMENT_ID), [event(second.type, second.data)]);
    const later = await transcriptOf({ store }, LEARNER_ID);
    expect(later.awards.map((award) => award.title)).toEqual([
      defined.data.definition.title,
      'Testing Python, revised',
    ]);
    expect(reads()).toBeGreaterThan(afterFirst);
  });
});

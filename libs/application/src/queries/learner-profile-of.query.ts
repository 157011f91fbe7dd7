import { type LearnerEvent, type LearnerProfile, learnerProfileDecider, learnerStream } from '@app/domain';
import { StreamCommands } from '../stream-commands';
import type { ReadSide } from './read-side';

/**
 * What the learner's own stream says of their profile: whether it was given or erased, and which issuers' registrars
 * recorded it (the personal data itself lives apart, erasable).
 */
export function learnerProfileOf(read: ReadSide, learnerId: string): Promise<LearnerProfile> {
  return new StreamCommands(read.store).load<LearnerProfile, LearnerEvent>(
    learnerStream(learnerId),
    learnerProfileDecider,
  );
}

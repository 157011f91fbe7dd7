import {
  decideLearnerProfile,
  type LearnerCommand,
  type LearnerEvent,
  type LearnerProfile,
  learnerProfileDecider,
  learnerStream,
} from '@app/domain';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '../commands/command-metadata';
import { type CommandOutcome, StreamCommands } from '@app/application';
import { LearnerProfileStore, type XapiAccount } from './learner-profile.store';

export class ExecuteLearnerCommand {
  constructor(
    readonly command: LearnerCommand,
    readonly metadata: CommandMetadata,
    /** The personal data to keep, for RecordLearnerProfile. */
    readonly profile?: { name: string; email: string; xapiAccount?: XapiAccount },
  ) {}
}

/**
 * Keeps the personal data in the profile store and the fact in the ledger. Erasure deletes the data first,
 * so a failure part-way can leave a missing event (retried under the same key), never surviving data.
 */
@CommandHandler(ExecuteLearnerCommand)
export class LearnerProfileHandler implements ICommandHandler<ExecuteLearnerCommand, CommandOutcome<LearnerEvent>> {
  constructor(
    private readonly streams: StreamCommands,
    private readonly profiles: LearnerProfileStore,
  ) {}

  execute({ command, metadata, profile }: ExecuteLearnerCommand): Promise<CommandOutcome<LearnerEvent>> {
    const { learnerId } = command.data;
    return this.streams.execute<LearnerProfile, LearnerEvent>(
      learnerStream(learnerId),
      learnerProfileDecider,
      metadata,
      async (state) => {
        const events = decideLearnerProfile(command, state);
        if (command.type === 'EraseLearnerProfile') await this.profiles.erase(learnerId);
        else if (profile) await this.profiles.save(learnerId, profile.name, profile.email, profile.xapiAccount);
        return events;
      },
    );
  }
}

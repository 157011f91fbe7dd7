import {
  decideQualification,
  type Pathway,
  type PathwayEvent,
  pathwayDecider,
  pathwayStream,
  type QualificationCommand,
  type QualificationEvent,
  type Qualifications,
  qualificationDecider,
  qualificationStream,
} from '@app/domain';
import type { CommandContext } from './command-context';
import type { CommandOutcome, StreamCommands } from './stream-commands';

/** Runs a qualification command on its stream, with the pathway it confers as context. */
export async function executeQualificationCommand(
  streams: StreamCommands,
  command: QualificationCommand,
  context: CommandContext,
): Promise<CommandOutcome<QualificationEvent>> {
  const { learnerId, pathwayId } = command.data;
  const pathway =
    command.type === 'ConferQualification'
      ? await streams.load<Pathway, PathwayEvent>(pathwayStream(pathwayId), pathwayDecider)
      : undefined;
  return streams.execute<Qualifications, QualificationEvent>(
    qualificationStream(learnerId, pathwayId),
    qualificationDecider,
    context,
    (state) => decideQualification(command, state, pathway && { pathway }),
  );
}

import { type Decider, fold } from '../shared/decider';
import { conferQualification, type QualificationContext } from './confer-qualification';
import { invalidateQualification, revokeQualification } from './end-qualification';
import type { QualificationCommand } from './qualification.commands';
import type { QualificationEvent } from './qualification.events';
import { evolveQualifications, initialQualifications, type Qualifications } from './qualification.state';

export function decideQualification(
  command: QualificationCommand,
  state: Qualifications,
  context?: QualificationContext,
): QualificationEvent[] {
  switch (command.type) {
    case 'ConferQualification':
      return [conferQualification(command, state, context)];
    case 'InvalidateQualification':
      return [invalidateQualification(command, state)];
    case 'RevokeQualification':
      return [revokeQualification(command, state)];
  }
}

/** `context` (the pathway) is needed for ConferQualification only. */
export const qualificationDecider: Decider<
  QualificationCommand,
  QualificationEvent,
  Qualifications,
  QualificationContext | undefined
> = {
  decide: decideQualification,
  evolve: evolveQualifications,
  initialState: initialQualifications,
};

export const foldQualifications = (events: readonly QualificationEvent[]): Qualifications =>
  fold(qualificationDecider, events);

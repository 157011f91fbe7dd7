import { type Decider, fold } from '../shared/decider';
import { awardAchievement } from './award-achievement';
import { reinstateAward, revokeAward, suspendAward } from './change-award-status';
import { recognisePriorLearning } from './recognise-prior-learning';
import type { RecordCommand } from './record.commands';
import type { RecordContext } from './record.context';
import { recordAssessment } from './record-assessment';
import type { RecordEvent } from './record.events';
import { evolveRecord, initialRecord, type LearnerRecord } from './record.state';
import { submitEvidence } from './submit-evidence';
import { withdrawEvidence } from './withdraw-evidence';

export function decideRecord(command: RecordCommand, record: LearnerRecord, context: RecordContext): RecordEvent[] {
  switch (command.type) {
    case 'SubmitEvidence':
      return [submitEvidence(command, record, context)];
    case 'WithdrawEvidence':
      return [withdrawEvidence(command, record, context)];
    case 'RecordAssessment':
      return [recordAssessment(command, record, context)];
    case 'AwardAchievement':
      return [awardAchievement(command, record, context)];
    case 'SuspendAward':
      return [suspendAward(command, record, context)];
    case 'ReinstateAward':
      return [reinstateAward(command, record, context)];
    case 'RevokeAward':
      return [revokeAward(command, record, context)];
    case 'RecognisePriorLearning':
      return [recognisePriorLearning(command, record, context)];
  }
}

export const recordDecider: Decider<RecordCommand, RecordEvent, LearnerRecord, RecordContext> = {
  decide: decideRecord,
  evolve: evolveRecord,
  initialState: initialRecord,
};

export const foldRecord = (events: readonly RecordEvent[]): LearnerRecord => fold(recordDecider, events);

import type { Command } from '../shared/decider';
import type { RecognitionTerms } from './recognition.events';

/** Issuer `issuerId` recognises `recognisedIssuerId`'s achievements (`all`, or a list of its ids) from `from`. */
export type RecordRecognition = Command<
  'RecordRecognition',
  RecognitionTerms & { issuerId: string; recognitionId: string }
>;

/** Ends a recognition at `effectiveAt` (default: the command's instant; never earlier). */
export type WithdrawRecognition = Command<
  'WithdrawRecognition',
  { issuerId: string; recognitionId: string; effectiveAt?: string; reason?: string }
>;

export type RecognitionCommand = RecordRecognition | WithdrawRecognition;

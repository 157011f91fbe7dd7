import type { RecognitionWindow } from '../stacking/cross-issuer';
import type { RecognitionEvent, RecognitionTerms } from './recognition.events';

/** A recognition as the issuer's state keeps it: its terms, and its withdrawal once withdrawn. */
export type IssuerRecognition = RecognitionTerms & {
  recognitionId: string;
  recordedAt: string;
  withdrawal?: { effectiveAt: string; withdrawnAt: string; reason?: string };
};

/** The window in which awards count: [from, until), closed earlier by a withdrawal. */
export function recognitionWindow(recognition: IssuerRecognition): RecognitionWindow {
  const { recognisedIssuerId, achievementIds, from, until, withdrawal } = recognition;
  const end =
    withdrawal === undefined || (until !== undefined && until < withdrawal.effectiveAt)
      ? until
      : withdrawal.effectiveAt;
  return { recognisedIssuerId, achievementIds, from, ...(end === undefined ? {} : { until: end }) };
}

/** Whether awards made at `at` would count under it. */
export function recognitionInForce(recognition: IssuerRecognition, at: string): boolean {
  const { from, until } = recognitionWindow(recognition);
  return from <= at && (until === undefined || at < until);
}

/** The recognitions after one recognition event (instants are canonical, so they compare as strings). */
export function evolveRecognitions(
  recognitions: readonly IssuerRecognition[],
  event: RecognitionEvent,
): IssuerRecognition[] {
  switch (event.type) {
    case 'RecognitionRecorded': {
      // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the terms, its id and when it was recorded
      const { schemaVersion, issuerId, recordedBy, ...recognition } = event.data;
      return [...recognitions, recognition];
    }
    case 'RecognitionWithdrawn': {
      const { recognitionId, effectiveAt, withdrawnAt, reason } = event.data;
      const withdrawal = { effectiveAt, withdrawnAt, ...(reason === undefined ? {} : { reason }) };
      return recognitions.map((recognition) =>
        recognition.recognitionId === recognitionId ? { ...recognition, withdrawal } : recognition,
      );
    }
  }
}

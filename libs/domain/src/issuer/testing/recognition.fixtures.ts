import type { Actor } from '../../shared/actor';
import { issuerAdmin, ISSUER_ID, OTHER_ISSUER_ID } from '../../shared/testing/actors';
import type { RecordRecognition, WithdrawRecognition } from '../recognition.commands';
import type { RecognitionContext } from '../recognition.decider';
import type { RecognitionRecorded, RecognitionWithdrawn } from '../recognition.events';
import { foldIssuer } from '../issuer.decider';
import { issuerRegistered } from './issuer.fixtures';

export const RECOGNITION_ID = 'porto-to-dublin';
export const RECORDED_AT = '2026-03-01T09:00:00.000Z';
export const RECOGNISED_FROM = '2026-02-01T00:00:00.000Z';
export const WITHDRAWN_AT = '2026-06-01T09:00:00.000Z';

/** The recognised issuer (uni-porto), with two achievements of its own and one of tu-dublin's. */
export const recognitionContext = (): RecognitionContext => ({
  recognisedIssuer: foldIssuer([issuerRegistered({ issuerId: OTHER_ISSUER_ID, name: 'Universidade do Porto' })]),
  achievementIssuers: { 'porto-stats': OTHER_ISSUER_ID, 'porto-ml': OTHER_ISSUER_ID, 'dublin-sql': ISSUER_ID },
});

export const recordRecognition = (
  data: Partial<RecordRecognition['data']> = {},
  metadata: { now?: string; actor?: Actor } = {},
): RecordRecognition => ({
  type: 'RecordRecognition',
  data: {
    issuerId: ISSUER_ID,
    recognitionId: RECOGNITION_ID,
    recognisedIssuerId: OTHER_ISSUER_ID,
    achievementIds: ['porto-stats'],
    from: RECOGNISED_FROM,
    ...data,
  },
  metadata: { now: RECORDED_AT, actor: issuerAdmin, ...metadata },
});

export const recognitionRecorded = (data: Partial<RecognitionRecorded['data']> = {}): RecognitionRecorded => ({
  type: 'RecognitionRecorded',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    recognitionId: RECOGNITION_ID,
    recognisedIssuerId: OTHER_ISSUER_ID,
    achievementIds: ['porto-stats'],
    from: RECOGNISED_FROM,
    recordedAt: RECORDED_AT,
    recordedBy: issuerAdmin.sub,
    ...data,
  },
});

export const withdrawRecognition = (
  data: Partial<WithdrawRecognition['data']> = {},
  metadata: { now?: string; actor?: Actor } = {},
): WithdrawRecognition => ({
  type: 'WithdrawRecognition',
  data: { issuerId: ISSUER_ID, recognitionId: RECOGNITION_ID, ...data },
  metadata: { now: WITHDRAWN_AT, actor: issuerAdmin, ...metadata },
});

export const recognitionWithdrawn = (data: Partial<RecognitionWithdrawn['data']> = {}): RecognitionWithdrawn => ({
  type: 'RecognitionWithdrawn',
  data: {
    schemaVersion: 1,
    issuerId: ISSUER_ID,
    recognitionId: RECOGNITION_ID,
    effectiveAt: WITHDRAWN_AT,
    withdrawnAt: WITHDRAWN_AT,
    withdrawnBy: issuerAdmin.sub,
    ...data,
  },
});

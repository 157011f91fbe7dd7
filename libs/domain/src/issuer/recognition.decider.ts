import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { compareInstants } from '../shared/instant';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import type { RecordRecognition, WithdrawRecognition } from './recognition.commands';
import type { RecognitionRecorded, RecognitionWithdrawn } from './recognition.events';
import type { Issuer } from './issuer.state';

/**
 * What the handler loads for RecordRecognition: the recognised issuer, and the issuer of each achievement listed
 * (undefined for one that is not defined).
 */
export type RecognitionContext = {
  recognisedIssuer: Issuer;
  achievementIssuers: { readonly [achievementId: string]: string | undefined };
};

const MANAGE = ['issuer-admin'] as const;

/** The most achievements one recognition may list (each is loaded to check its issuer); beyond, recognise `all`. */
export const MAX_RECOGNISED_ACHIEVEMENTS = 1_000;

export function recordRecognition(
  command: RecordRecognition,
  state: Issuer,
  context: RecognitionContext | undefined,
): RecognitionRecorded {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'record a recognition');
  if (context === undefined) throw new Error('RecordRecognition needs a context with the recognised issuer');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const recognitionId = v.id('recognitionId', data.recognitionId);
  const recognisedIssuerId = v.slug('recognisedIssuerId', data.recognisedIssuerId);
  const achievementIds = data.achievementIds === 'all' ? 'all' : v.ids('achievementIds', data.achievementIds, 1);
  if (achievementIds !== 'all' && achievementIds.length > MAX_RECOGNISED_ACHIEVEMENTS)
    v.problem('achievementIds', 'invalid-field', `must list at most ${MAX_RECOGNISED_ACHIEVEMENTS} (or be "all")`);
  const from = v.instant('from', data.from);
  const until = v.optionalInstant('until', data.until);
  if (until !== undefined && from !== '' && until !== '' && compareInstants(until, from) <= 0)
    v.problem('until', 'invalid-field', 'must be after from');
  const agreement = v.optionalText('agreement', data.agreement);
  const note = v.optionalText('note', data.note, LONG_TEXT);
  v.done();
  requireIssuer(metadata.actor, issuerId, 'record a recognition');
  if (state.status !== 'registered') throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  if (recognisedIssuerId === issuerId)
    throw new DomainError('self-recognition', `${issuerId} counts its own achievements without a recognition`);
  const recognised = context.recognisedIssuer;
  if (recognised.status !== 'registered' || recognised.issuerId !== recognisedIssuerId)
    throw new DomainError('unknown-issuer', `No issuer ${recognisedIssuerId} is registered`);
  if (achievementIds !== 'all') {
    const foreign = achievementIds
      .map((achievementId, index) => ({ achievementId, index, owner: context.achievementIssuers[achievementId] }))
      .filter(({ owner }) => owner !== recognisedIssuerId);
    if (foreign.length > 0)
      throw new DomainError(
        'achievement-not-of-issuer',
        foreign
          .map(({ achievementId }) => `${achievementId} is not an achievement of ${recognisedIssuerId}`)
          .join('; '),
        foreign.map(({ achievementId, index, owner }) => ({
          path: `achievementIds[${index}]`,
          code: 'achievement-not-of-issuer',
          message: owner === undefined ? `no achievement ${achievementId}` : `${achievementId} is of ${owner}`,
        })),
      );
  }
  if (state.recognitions.some((recognition) => recognition.recognitionId === recognitionId))
    throw new DomainError('duplicate-id', `The recognition ${recognitionId} has already been recorded`);
  return {
    type: 'RecognitionRecorded',
    data: {
      schemaVersion: 1,
      issuerId,
      recognitionId,
      recognisedIssuerId,
      achievementIds,
      from,
      ...(until === undefined ? {} : { until }),
      ...(agreement === undefined ? {} : { agreement }),
      ...(note === undefined ? {} : { note }),
      recordedAt: now,
      recordedBy: metadata.actor.sub,
    },
  };
}

export function withdrawRecognition(command: WithdrawRecognition, state: Issuer): RecognitionWithdrawn {
  const { data, metadata } = command;
  requireRole(metadata.actor, MANAGE, 'withdraw a recognition');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const issuerId = v.slug('issuerId', data.issuerId);
  const recognitionId = v.id('recognitionId', data.recognitionId);
  const effectiveAt = v.optionalInstant('effectiveAt', data.effectiveAt) ?? now;
  // An earlier end would stop counting awards already counted, and could take a conferred qualification away.
  if (effectiveAt !== '' && now !== '' && compareInstants(effectiveAt, now) < 0)
    v.problem('effectiveAt', 'invalid-field', 'must not be before the withdrawal is recorded');
  const reason = v.optionalText('reason', data.reason, LONG_TEXT);
  v.done();
  requireIssuer(metadata.actor, issuerId, 'withdraw a recognition');
  if (state.status !== 'registered') throw new DomainError('unknown-issuer', `No issuer ${issuerId} is registered`);
  const recognition = state.recognitions.find((candidate) => candidate.recognitionId === recognitionId);
  if (recognition === undefined)
    throw new DomainError('unknown-recognition', `${issuerId} has no recognition ${recognitionId}`);
  if (recognition.withdrawal !== undefined)
    throw new DomainError(
      'recognition-withdrawn',
      `The recognition ${recognitionId} was withdrawn at ${recognition.withdrawal.withdrawnAt}`,
    );
  return {
    type: 'RecognitionWithdrawn',
    data: {
      schemaVersion: 1,
      issuerId,
      recognitionId,
      effectiveAt,
      ...(reason === undefined ? {} : { reason }),
      withdrawnAt: now,
      withdrawnBy: metadata.actor.sub,
    },
  };
}

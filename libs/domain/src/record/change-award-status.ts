import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import type { ReinstateAward, RevokeAward, SuspendAward } from './record.commands';
import { achievementOf, type RecordContext } from './record.context';
import type { AwardReinstated, AwardRevoked, AwardSuspended } from './record.events';
import { type AwardEntry, type AwardStatus, awardStatusAt, type LearnerRecord } from './record.state';

type StatusCommand = SuspendAward | ReinstateAward | RevokeAward;

/** Checks what suspend, reinstate and revoke share; returns the events' common fields and the award's status now. */
function prepare(
  command: StatusCommand,
  record: LearnerRecord,
  context: RecordContext,
  action: string,
  reasonRequired: boolean,
) {
  const { data, metadata } = command;
  requireRole(metadata.actor, ['issuer-admin'], action);
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const awardId = v.id('awardId', data.awardId);
  const reason = reasonRequired || data.reason !== undefined ? v.text('reason', data.reason, LONG_TEXT) : undefined;
  v.done();
  const achievement = achievementOf(context, achievementId);
  requireIssuer(metadata.actor, achievement.issuerId, action);
  const award: AwardEntry | undefined = record.awards.find((item) => item.awardId === awardId);
  if (award === undefined) throw new DomainError('unknown-award', `The record holds no award ${awardId}`);
  const status: AwardStatus = awardStatusAt(award, now);
  const base = { schemaVersion: 1 as const, learnerId, achievementId, awardId };
  return { base, reason, status, by: metadata.actor.sub, at: now };
}

/** Only a valid award can be suspended. */
export function suspendAward(command: SuspendAward, record: LearnerRecord, context: RecordContext): AwardSuspended {
  const { base, reason, status, by, at } = prepare(command, record, context, 'suspend an award', true);
  if (status !== 'valid')
    throw new DomainError(
      'award-not-active',
      `The award ${base.awardId} is ${status}; only a valid award can be suspended`,
    );
  return { type: 'AwardSuspended', data: { ...base, reason: reason ?? '', by, at } };
}

/** Only a suspended award can be reinstated (it may since have expired). */
export function reinstateAward(
  command: ReinstateAward,
  record: LearnerRecord,
  context: RecordContext,
): AwardReinstated {
  const { base, reason, status, by, at } = prepare(command, record, context, 'reinstate an award', false);
  if (status !== 'suspended')
    throw new DomainError('award-not-suspended', `The award ${base.awardId} is ${status}, not suspended`);
  return { type: 'AwardReinstated', data: { ...base, ...(reason === undefined ? {} : { reason }), by, at } };
}

/** A valid or suspended award can be revoked, once; an expired one cannot. */
export function revokeAward(command: RevokeAward, record: LearnerRecord, context: RecordContext): AwardRevoked {
  const { base, reason, status, by, at } = prepare(command, record, context, 'revoke an award', true);
  if (status === 'revoked')
    throw new DomainError('award-already-revoked', `The award ${base.awardId} is already revoked`);
  if (status === 'expired')
    throw new DomainError(
      'award-not-active',
      `The award ${base.awardId} has expired; only a valid or suspended one can be revoked`,
    );
  return { type: 'AwardRevoked', data: { ...base, reason: reason ?? '', by, at } };
}

import { requireIssuer, requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, Validation } from '../shared/validation';
import type { WithdrawEvidence } from './record.commands';
import { achievementOf, type RecordContext } from './record.context';
import type { EvidenceWithdrawn } from './record.events';
import type { LearnerRecord } from './record.state';

/** Refused for evidence the record does not hold, or holds withdrawn already. Allowed on a retired achievement. */
export function withdrawEvidence(
  command: WithdrawEvidence,
  record: LearnerRecord,
  context: RecordContext,
): EvidenceWithdrawn {
  const { data, metadata } = command;
  const { actor } = metadata;
  requireRole(actor, ['assessor'], 'withdraw evidence');
  const v = new Validation();
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const achievementId = v.id('achievementId', data.achievementId);
  const evidenceId = v.id('evidenceId', data.evidenceId);
  const reason = v.text('reason', data.reason);
  v.done();
  const achievement = achievementOf(context, achievementId);
  requireIssuer(actor, achievement.issuerId, 'withdraw evidence');
  const evidence = record.evidence.find((item) => item.evidenceId === evidenceId);
  if (evidence === undefined) throw new DomainError('unknown-evidence', `The record holds no evidence ${evidenceId}`);
  if (evidence.withdrawnAt !== undefined)
    throw new DomainError('evidence-withdrawn', `The evidence ${evidenceId} was withdrawn at ${evidence.withdrawnAt}`);
  return {
    type: 'EvidenceWithdrawn',
    data: { schemaVersion: 1, learnerId, achievementId, evidenceId, reason, withdrawnBy: actor.sub, withdrawnAt: now },
  };
}

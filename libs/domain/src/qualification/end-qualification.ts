import { requireRole } from '../shared/actor';
import { DomainError } from '../shared/domain-error';
import { checkMetadata, LONG_TEXT, Validation } from '../shared/validation';
import { requireAdminOrRegistrar } from './qualification.actors';
import type { InvalidateQualification, RevokeQualification } from './qualification.commands';
import type { QualificationBasisInvalidated, QualificationRevoked } from './qualification.events';
import { findQualification, type QualificationEntry, type Qualifications } from './qualification.state';

/**
 * Checks what invalidation and revocation share: `admin` (the process manager) or a registrar of the issuer, a
 * qualification of this learner and pathway, still in force. Returns the events' common fields and the entry.
 */
function prepare(
  command: InvalidateQualification | RevokeQualification,
  state: Qualifications,
  v: Validation,
  verb: 'invalidate' | 'revoke',
) {
  const { data, metadata } = command;
  const action = `${verb} a qualification`;
  requireRole(metadata.actor, ['admin', 'registrar'], action);
  const now = checkMetadata(v, metadata);
  const learnerId = v.id('learnerId', data.learnerId);
  const pathwayId = v.id('pathwayId', data.pathwayId);
  const qualificationId = v.id('qualificationId', data.qualificationId);
  const reason = v.text('reason', data.reason, LONG_TEXT);
  return {
    base: { schemaVersion: 1 as const, learnerId, pathwayId, qualificationId },
    reason,
    at: now,
    by: metadata.actor.sub,
    /** Call after `v.done()`. */
    entry(): QualificationEntry {
      const entry = findQualification(state, qualificationId);
      if (entry === undefined || entry.learnerId !== learnerId || entry.pathwayId !== pathwayId)
        throw new DomainError(
          'unknown-qualification',
          `${learnerId} holds no qualification ${qualificationId} from ${pathwayId}`,
        );
      requireAdminOrRegistrar(metadata.actor, entry.issuerId, action);
      if (entry.status !== 'conferred')
        throw new DomainError(
          'qualification-not-active',
          `The qualification ${qualificationId} was ${entry.status} at ${entry.endedAt}: only one in force can be ${verb}d`,
        );
      return entry;
    },
  };
}

/** Every id the basis rests on: awards, recognitions and nested qualifications. */
const basisIds = (entry: QualificationEntry): string[] => [
  ...entry.basis.awardIds,
  ...entry.basis.recognitionIds,
  ...entry.basis.pathwayQualificationIds,
];

/**
 * The basis of a qualification in force lost something it rests on (an award revoked, suspended or expired, a nested
 * qualification ended): the process manager invalidates it when the pathway version's `onBasisLost` is `invalidate`.
 * `lostAwardIds` names at least one id of the basis.
 */
export function invalidateQualification(
  command: InvalidateQualification,
  state: Qualifications,
): QualificationBasisInvalidated {
  const v = new Validation();
  const { base, reason, at, by, entry } = prepare(command, state, v, 'invalidate');
  const lostAwardIds = v.ids('lostAwardIds', command.data.lostAwardIds, 1);
  v.done();
  const qualification = entry();
  const unknown = lostAwardIds.filter((id) => !basisIds(qualification).includes(id));
  if (unknown.length > 0)
    throw new DomainError(
      'not-in-basis',
      `The qualification ${base.qualificationId} does not rest on ${unknown.join(', ')}`,
    );
  return { type: 'QualificationBasisInvalidated', data: { ...base, reason, lostAwardIds, at, by } };
}

/** A qualification in force is revoked: by policy when its basis is lost (`onBasisLost: 'revoke'`), or by a registrar. */
export function revokeQualification(command: RevokeQualification, state: Qualifications): QualificationRevoked {
  const v = new Validation();
  const { base, reason, at, by, entry } = prepare(command, state, v, 'revoke');
  v.done();
  entry();
  return { type: 'QualificationRevoked', data: { ...base, reason, at, by } };
}

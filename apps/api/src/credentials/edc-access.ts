import { requireIssuer } from '@app/domain';
import { ForbiddenException } from '@nestjs/common';
import type { Actor } from '../auth/actor';
import { isLearnerSelf } from '../auth/learner-access';

/**
 * Who may read a European Digital Credential, which names the learner: the learner themself, or staff of the
 * awarding issuer (a token whose `issuers` holds it). Other formats of the same routes name no one and stay public.
 */
export function assertEdcReader(actor: Actor, record: { learnerId: string; issuerId: string }): void {
  if (isLearnerSelf(actor, record.learnerId)) return;
  if (!actor.roles.some((role) => role !== 'learner'))
    throw new ForbiddenException({
      type: 'urn:tessera:problem:not-your-learner',
      title: 'Forbidden',
      message: 'a learner may only read their own European Digital Credentials',
    });
  requireIssuer(actor, record.issuerId, 'read a European Digital Credential');
}

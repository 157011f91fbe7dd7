import { ForbiddenException } from '@nestjs/common';
import type { Actor } from './actor';

/** Staff roles reach every learner; a learner token reaches only its own learner. */
export function assertLearnerAccess(actor: Actor, learnerId: string, staff: readonly string[]): void {
  if (actor.roles.some((role) => staff.includes(role))) return;
  if (actor.roles.includes('learner') && actor.learner === learnerId) return;
  throw new ForbiddenException({
    type: 'urn:tessera:problem:not-your-learner',
    title: 'Forbidden',
    message: 'a learner may only reach their own records',
  });
}

import type { Actor as DomainActor, Role } from '@app/domain';

export type { Role };
export const ROLES: readonly Role[] = ['admin', 'issuer-admin', 'assessor', 'registrar', 'auditor', 'learner'];

/** Who is calling, from the verified bearer token (DESIGN §6): the domain's actor, and for learners their own id. */
export interface Actor extends DomainActor {
  readonly learner?: string;
}

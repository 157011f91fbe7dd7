import type { Actor as DomainActor } from '@app/domain';

export { ROLES, type Role } from '@app/domain';

/** Who is calling, from the verified bearer token (DESIGN §6): the domain's actor, and for learners their own id. */
export interface Actor extends DomainActor {
  readonly learner?: string;
}

import { DomainError } from './domain-error';

export const ROLES = ['admin', 'issuer-admin', 'assessor', 'registrar', 'auditor', 'learner'] as const;
export type Role = (typeof ROLES)[number];

/** Who issues a command, from the bearer token: subject, roles and the issuers the token may act for. */
export type Actor = {
  readonly sub: string;
  readonly roles: readonly Role[];
  readonly issuers: readonly string[];
};

export function requireRole(actor: Actor, allowed: readonly Role[], action: string): void {
  if (!actor.roles.some((role) => allowed.includes(role)))
    throw new DomainError('role-required', `Only ${allowed.join(' or ')} may ${action}`);
}

export function requireIssuer(actor: Actor, issuerId: string, action: string): void {
  if (!actor.issuers.includes(issuerId))
    throw new DomainError('not-your-issuer', `This token may not ${action} for the issuer ${issuerId}`);
}

import { type Actor, requireIssuer, requireRole } from '../shared/actor';

/**
 * The actor the conferral process manager acts as. Automatic conferral needs the `admin` role: no person holds a
 * token for it, and a registrar confers by hand with `conferral: 'registrar'` instead.
 */
export const CONFERRAL_ACTOR: Actor = { sub: 'tessera:conferral', roles: ['admin'], issuers: [] };

/** `admin` (the process manager, or an operator), or a registrar of the pathway's issuer. */
export function requireAdminOrRegistrar(actor: Actor, issuerId: string, action: string): void {
  if (actor.roles.includes('admin')) return;
  requireRole(actor, ['registrar', 'admin'], action);
  requireIssuer(actor, issuerId, action);
}

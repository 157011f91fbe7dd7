import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Actor, Role } from './actor';

export const PUBLIC_ROUTE = 'tessera:public';
export const ROUTE_ROLES = 'tessera:roles';

/** Anyone may call this route, without a token. */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

/** Only tokens holding one of these roles may call this route (any valid token when no roles are given). */
export const Roles = (...roles: Role[]) => SetMetadata(ROUTE_ROLES, roles);

export type AuthenticatedRequest = Request & { actor?: Actor };

/** The verified caller of this request. */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Error('CurrentActor used on a public route');
  return actor;
});

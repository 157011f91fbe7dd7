import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import type { Actor, Role } from './actor';
import { type AuthenticatedRequest, PUBLIC_ROUTE, ROUTE_ROLES } from './auth.decorators';
import { InvalidToken, TokenVerifier } from './token-verifier';

/** Every route needs a valid bearer token unless marked @Public; @Roles narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    request.actor = await authenticate(request, this.verifier);
    const allowed = this.reflector.getAllAndOverride<Role[] | undefined>(ROUTE_ROLES, targets);
    if (allowed?.length && !allowed.some((role) => request.actor!.roles.includes(role)))
      throw new ForbiddenException({
        type: 'urn:tessera:problem:role-not-allowed',
        title: 'Forbidden',
        message: `this route needs one of the roles ${allowed.join(', ')}`,
      });
    return true;
  }
}

/** The caller of a request from its bearer token; 401 problem when it has none or an invalid one. */
export async function authenticate(request: Request, verifier: TokenVerifier): Promise<Actor> {
  const header = request.headers.authorization;
  const token = /^Bearer ([^\s]+)$/i.exec(header ?? '')?.[1];
  if (!token)
    throw unauthorized(header ? 'the Authorization header must be "Bearer <token>"' : 'a bearer token is required');
  try {
    return await verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidToken) throw unauthorized(error.message);
    throw error;
  }
}

function unauthorized(detail: string): UnauthorizedException {
  return new UnauthorizedException({
    type: 'urn:tessera:problem:unauthenticated',
    title: 'Unauthorized',
    message: detail,
  });
}

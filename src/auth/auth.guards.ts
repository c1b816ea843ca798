import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../../libs/ledger/src';
import { IS_PUBLIC, ROLES } from './auth.decorators';
import { AuthUser, Role } from './auth-user';

function isPublic(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]) === true;
}

/**
 * Global, first: establishes the caller from the bearer token. It refuses nothing itself: a
 * missing, invalid or revoked token leaves the request anonymous, so that the throttler (next)
 * counts it per client IP like any anonymous request, and AccessGuard (last) answers 401.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    if (isPublic(this.reflector, context)) return true;
    return super.canActivate(context);
  }

  /** An error (the database is down) is not a bad token: it propagates, as a 503 or 500. */
  handleRequest<T>(error: unknown, user: T | false): T | undefined {
    if (error) throw error;
    return user === false || user === null ? undefined : user;
  }
}

/** Global, last: a route that is not @Public() needs a caller (401); @Roles('admin') needs that role now (403). */
@Injectable()
export class AccessGuard {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublic(this.reflector, context)) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user === undefined) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (roles === undefined || roles.includes(user.role)) return true;
    throw new DomainError('FORBIDDEN', 'This endpoint is for administrators');
  }
}

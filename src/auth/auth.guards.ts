import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError } from '../../libs/ledger/src';
import { IS_PUBLIC, ROLES } from './auth.decorators';
import { AuthUser, Role } from './auth-user';

/** Global: every route needs a valid bearer token unless marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }

  handleRequest<T>(error: unknown, user: T): T {
    if (error || !user) throw new DomainError('UNAUTHENTICATED', 'A valid bearer token is required');
    return user;
  }
}

/** Global: routes marked @Roles('admin') refuse other roles with 403. */
@Injectable()
export class RolesGuard {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [context.getHandler(), context.getClass()]);
    if (roles === undefined) return true;
    const user = context.switchToHttp().getRequest<{ user?: AuthUser }>().user;
    if (user !== undefined && roles.includes(user.role)) return true;
    throw new DomainError('FORBIDDEN', 'This endpoint is for administrators');
  }
}

import { ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModuleOptions, ThrottlerRequest, ThrottlerStorage, getOptionsToken, getStorageToken } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthUser } from '../auth/auth-user';
import { THROTTLE_POLICY, ThrottlePolicyName } from './throttle-policy.decorator';

interface Limit {
  limit: number;
  ttlMs: number;
}

interface Counter extends Limit {
  name: string;
  identity: string;
}

interface ThrottledRequest {
  ip?: string;
  user?: AuthUser;
  body?: { email?: unknown };
}

/**
 * One counter per (policy, identity) rather than per route: "1,200 per minute per user"
 * counts every route the user calls. Limits come from the validated config.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  private readonly limits: Record<ThrottlePolicyName | 'login-ip', Limit>;

  constructor(
    @Inject(getOptionsToken()) options: ThrottlerModuleOptions,
    @Inject(getStorageToken()) storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    super(options, storage, reflector);
    this.limits = {
      default: { limit: config.throttleDefaultLimit, ttlMs: config.throttleDefaultTtlMs },
      money: { limit: config.throttleMoneyLimit, ttlMs: config.throttleMoneyTtlMs },
      login: { limit: config.throttleLoginLimit, ttlMs: config.throttleLoginTtlMs },
      'login-ip': { limit: config.throttleLoginIpLimit, ttlMs: config.throttleLoginIpTtlMs },
      register: { limit: config.throttleRegisterLimit, ttlMs: config.throttleRegisterTtlMs },
    };
  }

  protected async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const request = props.context.switchToHttp().getRequest();
    for (const counter of this.countersOf(this.policyOf(props.context), request)) await this.count(props, counter);
    return true;
  }

  /**
   * Login counts twice: per (IP, email) against guessing one password, and per IP across
   * emails, since every attempt costs a scrypt. Other policies count once.
   */
  private countersOf(policy: ThrottlePolicyName, request: ThrottledRequest): Counter[] {
    const ip = request.ip ?? 'unknown';
    const own = { name: policy, identity: this.identity(policy, request), ...this.limits[policy] };
    if (policy !== 'login') return [own];
    return [{ name: 'login-ip', identity: ip, ...this.limits['login-ip'] }, own];
  }

  private async count(props: ThrottlerRequest, { name, identity, limit, ttlMs }: Counter): Promise<void> {
    const key = createHash('sha256').update(`${name}:${identity}`).digest('base64url');
    const { isBlocked, timeToBlockExpire } = await this.storageService.increment(key, ttlMs, limit, ttlMs, props.throttler.name ?? 'default');
    if (!isBlocked) return;
    props.context.switchToHttp().getResponse().header('Retry-After', String(Math.max(1, timeToBlockExpire)));
    await this.throwThrottlingException(props.context, {
      limit,
      ttl: ttlMs,
      key,
      tracker: name,
      totalHits: limit + 1,
      timeToExpire: timeToBlockExpire,
      isBlocked,
      timeToBlockExpire,
    });
  }

  private policyOf(context: ExecutionContext): ThrottlePolicyName {
    return this.reflector.getAllAndOverride<ThrottlePolicyName>(THROTTLE_POLICY, [context.getHandler(), context.getClass()]) ?? 'default';
  }

  /** Anonymous requests, those with an invalid or revoked token included, count per IP. */
  private identity(policy: ThrottlePolicyName, request: ThrottledRequest): string {
    const ip = request.ip ?? 'unknown';
    // A password check (login, or a password change under a token) is counted per account tried.
    if (policy === 'login') {
      const account = request.user === undefined ? String(request.body?.email ?? '').toLowerCase() : `user:${request.user.id}`;
      return `${ip}|${account}`;
    }
    if (policy === 'register') return ip;
    return request.user?.id ?? `ip:${ip}`;
  }
}

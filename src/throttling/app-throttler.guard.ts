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

/**
 * One counter per (policy, identity) rather than per route: "1,200 per minute per user"
 * counts every route the user calls. Limits come from the validated config.
 */
@Injectable()
export class AppThrottlerGuard extends ThrottlerGuard {
  private readonly limits: Record<ThrottlePolicyName, Limit>;

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
      register: { limit: config.throttleRegisterLimit, ttlMs: config.throttleRegisterTtlMs },
    };
  }

  protected async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const policy = this.policyOf(props.context);
    const { limit, ttlMs } = this.limits[policy];
    const request = props.context.switchToHttp().getRequest();
    const key = createHash('sha256').update(`${policy}:${this.identity(policy, request)}`).digest('base64url');
    const { isBlocked, timeToBlockExpire } = await this.storageService.increment(key, ttlMs, limit, ttlMs, props.throttler.name ?? 'default');
    if (isBlocked) {
      props.context.switchToHttp().getResponse().header('Retry-After', String(Math.max(1, timeToBlockExpire)));
      await this.throwThrottlingException(props.context, {
        limit,
        ttl: ttlMs,
        key,
        tracker: policy,
        totalHits: limit + 1,
        timeToExpire: timeToBlockExpire,
        isBlocked,
        timeToBlockExpire,
      });
    }
    return true;
  }

  private policyOf(context: ExecutionContext): ThrottlePolicyName {
    return this.reflector.getAllAndOverride<ThrottlePolicyName>(THROTTLE_POLICY, [context.getHandler(), context.getClass()]) ?? 'default';
  }

  private identity(policy: ThrottlePolicyName, request: { ip?: string; user?: AuthUser; body?: { email?: unknown } }): string {
    const ip = request.ip ?? 'unknown';
    if (policy === 'login') return `${ip}|${String(request.body?.email ?? '').toLowerCase()}`;
    if (policy === 'register') return ip;
    return request.user?.id ?? `ip:${ip}`;
  }
}

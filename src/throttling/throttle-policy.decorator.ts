import { SetMetadata } from '@nestjs/common';

/**
 * Which limit a route counts against (docs/api.md "Throttling"): `login` per (IP, email),
 * `register` per IP, `money` and `default` per user (per IP when anonymous).
 */
export type ThrottlePolicyName = 'default' | 'money' | 'login' | 'register';

export const THROTTLE_POLICY = 'throttle:policy';

export const ThrottlePolicy = (policy: ThrottlePolicyName): MethodDecorator & ClassDecorator =>
  SetMetadata(THROTTLE_POLICY, policy);

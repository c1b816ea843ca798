import { Inject, Injectable } from '@nestjs/common';
import { createSecretKey } from 'node:crypto';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AuthUser, JwtClaims } from './auth-user';
import { CurrentAccounts } from '../users/current-accounts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function wellFormed(claims: Partial<JwtClaims>): claims is JwtClaims & { exp: number } {
  return (
    typeof claims.sub === 'string' &&
    UUID.test(claims.sub) &&
    Number.isSafeInteger(claims.ver) &&
    // jsonwebtoken checks `exp` only when present: a token without one would never expire.
    Number.isFinite(claims.exp)
  );
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly accounts: CurrentAccounts,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
      // PEM public key on every request and catches the failure, which cost 15% of the
      // service's CPU under load (docs/benchmarks.md). The types predate KeyObject support.
      secretOrKey: createSecretKey(Buffer.from(config.jwtSecret, 'utf8')) as unknown as Buffer,
      // Pinned: a token signed with any other algorithm, `none` included, is refused.
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  /** The token names an account that still exists, is active, and has not revoked the token's generation since. */
  async validate(claims: Partial<JwtClaims>): Promise<AuthUser | false> {
    if (!wellFormed(claims)) return false;
    const account = await this.accounts.get(claims.sub);
    if (account === null || account.status !== 'ACTIVE' || account.tokenVersion !== claims.ver) return false;
    return { id: claims.sub, email: account.email, role: account.role };
  }
}

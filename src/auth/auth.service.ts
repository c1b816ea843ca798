import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { DomainError } from '../../libs/ledger/src';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';
import { JwtClaims } from './auth-user';
import { DUMMY_HASH_PROMISE, verifyPassword } from './password-hasher';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The same answer, after the same work, for an unknown email, a wrong password and a disabled account. */
  async login(email: string, password: string): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
    const user = await this.users.findByEmail(email);
    const valid = await verifyPassword(password, user?.password_hash ?? (await DUMMY_HASH_PROMISE));
    if (user === null || !valid || user.status !== 'ACTIVE') throw new DomainError('INVALID_CREDENTIALS', 'Email or password is wrong');
    const claims: JwtClaims = { sub: user.id, email: user.email, role: user.role, ver: user.token_version };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.config.jwtTtlSeconds };
  }
}

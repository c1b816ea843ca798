import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError, OwnAccountLockoutError, sqlState } from '../../libs/ledger/src';
import { AccountStatus, AuthUser, Role } from '../auth/auth-user';
import { hashPassword, verifyPassword } from '../auth/password-hasher';
import { CurrentAccounts } from './current-accounts';
import type { User } from '../../libs/contract/src';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: AccountStatus;
  token_version: number;
  password_hash: string;
  created_at: Date;
}

/** `User` of libs/contract; never the password hash. */
export function presentUser(row: UserRow): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, status: row.status, createdAt: row.created_at.toISOString() };
}

/**
 * Role and status changes bump the token generation when they change anything: every token
 * issued before stops working, so the next one is issued under the account's new state.
 */
const UPDATE_ACCOUNT_SQL = `
  UPDATE users
     SET role = coalesce($2, role), status = coalesce($3, status),
         token_version = token_version + CASE WHEN coalesce($2, role) <> role OR coalesce($3, status) <> status THEN 1 ELSE 0 END
   WHERE id = $1
  RETURNING *`;

@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: CurrentAccounts,
  ) {}

  async create(email: string, password: string, name: string, role: Role = 'user'): Promise<UserRow> {
    const passwordHash = await hashPassword(password);
    try {
      const rows: UserRow[] = await this.dataSource.query(
        'INSERT INTO users (email, name, password_hash, role) VALUES ($1, $2, $3, $4) RETURNING *',
        [email.toLowerCase(), name, passwordHash, role],
      );
      return rows[0];
    } catch (error) {
      if (sqlState(error) === '23505') throw new DomainError('EMAIL_TAKEN', 'This email is already registered');
      throw error;
    }
  }

  /** Creates the admin, or resets its password, role and status: ADMIN_EMAIL/ADMIN_PASSWORD win at every start. */
  async upsertAdmin(email: string, password: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Administrator', $2, 'admin')
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin', status = 'ACTIVE'`,
      [email.toLowerCase(), await hashPassword(password)],
    );
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows: UserRow[] = await this.dataSource.query('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]);
    return rows[0] ?? null;
  }

  async get(id: string): Promise<UserRow> {
    const rows: UserRow[] = await this.dataSource.query('SELECT * FROM users WHERE id = $1', [id]);
    if (rows.length === 0) throw new NotFoundError('User');
    return rows[0];
  }

  async adminExists(): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM users WHERE role = 'admin' LIMIT 1`);
    return rows.length > 0;
  }

  /** An admin's change of another account; never their own, so that the service always keeps an admin. */
  async update(caller: AuthUser, id: string, change: { role?: Role; status?: AccountStatus }): Promise<UserRow> {
    if (id === caller.id) throw new OwnAccountLockoutError();
    const [rows]: [UserRow[], number] = await this.dataSource.query(UPDATE_ACCOUNT_SQL, [id, change.role ?? null, change.status ?? null]);
    this.accounts.forget(id);
    if (rows.length === 0) throw new NotFoundError('User');
    return rows[0];
  }

  /** Checks the current password like a login does, then stores the new one and revokes every earlier token. */
  async changePassword(caller: AuthUser, currentPassword: string, newPassword: string): Promise<void> {
    const user = await this.get(caller.id);
    if (!(await verifyPassword(currentPassword, user.password_hash))) throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong');
    await this.dataSource.query('UPDATE users SET password_hash = $2, token_version = token_version + 1 WHERE id = $1', [
      caller.id,
      await hashPassword(newPassword),
    ]);
    this.accounts.forget(caller.id);
  }

  /** Logout: every token issued to the account so far stops working. */
  async revokeTokens(caller: AuthUser): Promise<void> {
    await this.dataSource.query('UPDATE users SET token_version = token_version + 1 WHERE id = $1', [caller.id]);
    this.accounts.forget(caller.id);
  }
}

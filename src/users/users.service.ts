import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainError, NotFoundError, sqlState } from '../../libs/ledger/src';
import { Role } from '../auth/auth-user';
import { hashPassword } from '../auth/password-hasher';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  created_at: Date;
}

/** `User` of docs/api.md; never the password hash. */
export interface UserJson {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export function presentUser(row: UserRow): UserJson {
  return { id: row.id, email: row.email, name: row.name, role: row.role, createdAt: row.created_at.toISOString() };
}

@Injectable()
export class UsersService {
  constructor(private readonly dataSource: DataSource) {}

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

  /** Creates the admin, or resets its password and role: ADMIN_EMAIL/ADMIN_PASSWORD win at every start. */
  async upsertAdmin(email: string, password: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Administrator', $2, 'admin')
       ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, role = 'admin'`,
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
}

import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AccountStatus, Role } from '../auth/auth-user';

/** What every authorization decision reads: the account as it is now, not as the token remembers it. */
export interface CurrentAccount {
  email: string;
  role: Role;
  status: AccountStatus;
  tokenVersion: number;
}

interface Cached {
  account: CurrentAccount | null;
  fetchedAtMs: number;
}

/** Bounds the cache's memory: one entry per recently active account, the oldest dropped first. */
const ENTRIES_MAX = 50_000;

/**
 * The accounts behind the tokens, read by primary key and kept for at most AUTH_CACHE_MS
 * (≤ 5 s; 0 turns the cache off). Changes made through this instance (logout, password,
 * PATCH /users/:id) drop the entry at once; a change made through another instance or in
 * SQL is seen within AUTH_CACHE_MS. That staleness is the documented bound (docs/security.md).
 */
@Injectable()
export class CurrentAccounts {
  private readonly cache = new Map<string, Cached>();
  /** Bumped by every forget(): a read that started before a change must not cache its stale answer. */
  private generation = 0;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(userId: string): Promise<CurrentAccount | null> {
    const cached = this.cache.get(userId);
    if (cached !== undefined && Date.now() - cached.fetchedAtMs < this.config.authCacheMs) return cached.account;
    const generation = this.generation;
    const fetchedAtMs = Date.now();
    const rows: Array<{ email: string; role: Role; status: AccountStatus; token_version: number }> = await this.dataSource.query(
      'SELECT email, role, status, token_version FROM users WHERE id = $1',
      [userId],
    );
    const row = rows[0];
    const account = row === undefined ? null : { email: row.email, role: row.role, status: row.status, tokenVersion: row.token_version };
    if (generation === this.generation && this.config.authCacheMs > 0) this.remember(userId, { account, fetchedAtMs });
    return account;
  }

  /** The account changed through this instance: its next request reads it again. */
  forget(userId: string): void {
    this.generation += 1;
    this.cache.delete(userId);
  }

  private remember(userId: string, entry: Cached): void {
    this.cache.delete(userId);
    if (this.cache.size >= ENTRIES_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(userId, entry);
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { LedgerDirectory } from '../../libs/ledger/src';
import { AssetsService } from '../assets/assets.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { UsersService } from '../users/users.service';

const SEEDED_ASSETS = [
  { code: 'GOLD_COINS', name: 'Gold coins', scale: 0 },
  { code: 'DIAMONDS', name: 'Diamonds', scale: 0 },
  { code: 'LOYALTY_POINTS', name: 'Loyalty points', scale: 0 },
  { code: 'USD', name: 'US dollar', scale: 2 },
];

/** Arbitrary, fixed: serialises migrations and seeding when several instances start at once. */
const STARTUP_LOCK_KEY = 7_220_901;

/** Migrations, then idempotent seeding: assets, their system wallets, the admin. */
@Injectable()
export class SeedService {
  private readonly logger = new Logger('Startup');

  constructor(
    private readonly dataSource: DataSource,
    private readonly assets: AssetsService,
    private readonly users: UsersService,
    private readonly directory: LedgerDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async migrateAndSeed(options: { embedded: boolean }): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [STARTUP_LOCK_KEY]);
      await this.dataSource.runMigrations({ transaction: 'each' });
      await this.seedAssets();
      await this.seedAdmin(options.embedded);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [STARTUP_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
    await this.directory.reload();
  }

  private async seedAssets(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      for (const asset of SEEDED_ASSETS) {
        await manager.query('INSERT INTO assets (code, name, scale) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING', [
          asset.code,
          asset.name,
          asset.scale,
        ]);
      }
      const rows: Array<{ id: number }> = await manager.query('SELECT id FROM assets');
      for (const { id } of rows) await this.assets.ensureSystemWallets(manager, id);
    });
  }

  private async seedAdmin(embedded: boolean): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (adminEmail !== null && adminPassword !== null) {
      await this.users.upsertAdmin(adminEmail, adminPassword);
      return;
    }
    if (!embedded || (await this.users.adminExists())) return;
    const password = randomBytes(12).toString('base64url');
    await this.users.upsertAdmin('admin@localhost', password);
    // Printed once, on the first start of a fresh embedded database; never logged again.
    process.stdout.write(`\n  Created admin account: admin@localhost / ${password}\n  (set ADMIN_EMAIL and ADMIN_PASSWORD to choose your own)\n\n`);
  }
}

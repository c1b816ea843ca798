import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { repeat } from '../common/repeat';

const PURGE_INTERVAL_MS = 3_600_000;
const PURGE_ROWS_MAX = 10_000;

/**
 * Deletes idempotency keys older than IDEMPOTENCY_RETENTION_HOURS (at least 24 h), a slice
 * at a time so the purge never holds many locks. A key is only ever deleted long after the
 * movement it guarded, so a retry inside the retention window always replays.
 */
@Injectable()
export class IdempotencyPurgeService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IdempotencyPurge');
  private stop: () => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = repeat(PURGE_INTERVAL_MS, () => this.purge(), (error) => this.logger.warn(`purge failed: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async purge(): Promise<number> {
    const [, deleted] = await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE ctid = ANY (ARRAY(
         SELECT ctid FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1) LIMIT $2))`,
      [this.config.idempotencyRetentionHours, PURGE_ROWS_MAX],
    );
    return deleted;
  }
}

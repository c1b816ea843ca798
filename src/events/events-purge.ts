import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { repeat } from '../common/repeat';

const PURGE_INTERVAL_MS = 3_600_000;
const PURGE_ROWS_MAX = 5_000;

/**
 * Deletes, from the oldest position on, the events older than EVENT_RETENTION_DAYS that every
 * sink has passed: at or before each broker cursor, and before the oldest PENDING webhook
 * delivery. Only a prefix of the feed goes (the scan stops at the first event still needed),
 * so a reader's `after` stays meaningful: positions are never reused and nothing is deleted
 * behind an event that stays. Deliveries go with their event (ON DELETE CASCADE).
 */
const PURGE_SQL = `
  WITH oldest AS (
    SELECT position, created_at FROM events WHERE position IS NOT NULL ORDER BY position LIMIT $2)
  , bound AS (
    SELECT least(
      (SELECT coalesce(min(position), (SELECT max(position) + 1 FROM oldest)) FROM oldest
        WHERE created_at >= now() - make_interval(days => $1)),
      (SELECT min(position) + 1 FROM event_sink_cursors),
      (SELECT min(event_position) FROM webhook_deliveries WHERE status = 'PENDING')) AS below)
  , unlisted AS (
    DELETE FROM event_users u USING oldest o, bound b WHERE u.position = o.position AND o.position < b.below)
  DELETE FROM events e USING oldest o, bound b WHERE e.position = o.position AND o.position < b.below`;

@Injectable()
export class EventsPurge implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventsPurge');
  private stop: () => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.eventWorkersEnabled) return;
    this.stop = repeat(PURGE_INTERVAL_MS, () => this.purge(), (error) => this.logger.warn(`purge failed: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  /** Deletes slice after slice; the number of events deleted. */
  async purge(): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = await this.dataSource.query(PURGE_SQL, [this.config.eventRetentionDays, PURGE_ROWS_MAX]);
      total += deleted;
      if (deleted < PURGE_ROWS_MAX) return total;
    }
  }
}

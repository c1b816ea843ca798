import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { eventsUnpublished } from '../metrics/metrics';
import { repeat } from '../common/repeat';

const REFRESH_MS = 5_000;

/** Counts over partial indexes: PENDING deliveries, and the events no relay has stamped yet. */
const BACKLOG_SQL = `
  SELECT (SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING')::int AS webhook,
         (SELECT count(*) FROM events WHERE position IS NULL)::int AS unstamped,
         (SELECT f.last_position - c.position FROM event_feed f, event_sink_cursors c WHERE c.sink = 'amqp')::int AS amqp_stamped`;

/** Keeps `events_unpublished` current; scrapes read the last value and never wait on the database. */
@Injectable()
export class EventBacklog implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventBacklog');
  private stop: () => void = () => undefined;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stop = repeat(REFRESH_MS, () => this.refresh(), (error) => this.logger.warn(`backlog not read: ${String(error)}`));
  }

  onApplicationShutdown(): void {
    this.stop();
  }

  async refresh(): Promise<void> {
    const [row] = await this.dataSource.query(BACKLOG_SQL);
    eventsUnpublished.set({ sink: 'webhook' }, row.webhook);
    if (this.config.amqpUrl !== null) eventsUnpublished.set({ sink: 'amqp' }, row.unstamped + (row.amqp_stamped ?? 0));
  }
}

import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ChannelModel, ConfirmChannel, connect } from 'amqplib';
import { once } from 'node:events';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { EVENT_COLUMNS, EventRow, presentEvent } from './event.presenter';
import { FeedSignal } from './feed-signal';

export type BrokerState = 'up' | 'down' | 'not-configured';

const SINK = 'amqp';
/** At most this many events per confirmed round (and per database transaction). */
const EVENTS_PER_PUBLISH_MAX = 500;
const CONFIRM_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** How often to look for events stamped by other instances' relays (this one's wake us at once). */
const POLL_MS = 250;
const RECONNECT_DELAY_MS_MIN = 250;
const RECONNECT_DELAY_MS_MAX = 5_000;

/** A new sink starts at the head of the feed: it publishes what happens from its first start on, not the retained history. */
const START_SQL = 'INSERT INTO event_sink_cursors (sink, position) SELECT $1, last_position FROM event_feed ON CONFLICT (sink) DO NOTHING';
/** The cursor row is the publisher's lock: one instance publishes at a time, the others skip. */
const CURSOR_SQL = 'SELECT position FROM event_sink_cursors WHERE sink = $1 FOR UPDATE SKIP LOCKED';
const NEXT_SQL = `SELECT ${EVENT_COLUMNS} FROM events e WHERE e.position > $1 ORDER BY e.position LIMIT $2`;
const ADVANCE_SQL = 'UPDATE event_sink_cursors SET position = $2, updated_at = now() WHERE sink = $1';

/** The broker failed us (closed, nacked, too slow): the connection is dropped and made again. */
class BrokerFailure extends Error {}

/**
 * Publishes the feed to RabbitMQ when AMQP_URL is set: a durable topic exchange, routing key =
 * event type, persistent messages, messageId = event id, body = the Event. The cursor (last
 * position confirmed by the broker) lives in PostgreSQL and moves only after the broker has
 * confirmed every message before it, so a broker outage or a restart resumes where it stopped
 * (at least once: a crash between the confirms and the cursor update publishes those again).
 * It reads the feed, never the money path: a broker that is down only delays publishing.
 */
@Injectable()
export class AmqpPublisher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AmqpPublisher');
  private connection: ChannelModel | null = null;
  private channel: ConfirmChannel | null = null;
  private pollTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private unsubscribe: () => void = () => undefined;
  private publishing: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly signal: FeedSignal,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.amqpUrl === null || !this.config.eventWorkersEnabled) return;
    await this.dataSource.query(START_SQL, [SINK]);
    this.unsubscribe = this.signal.subscribe(() => this.kick());
    this.pollTimer = setInterval(() => this.kick(), POLL_MS);
    void this.connect();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.unsubscribe();
    clearInterval(this.pollTimer);
    clearTimeout(this.reconnectTimer);
    await this.publishing;
    await this.connection?.close().catch(() => undefined);
  }

  state(): BrokerState {
    if (this.config.amqpUrl === null || !this.config.eventWorkersEnabled) return 'not-configured';
    return this.channel === null ? 'down' : 'up';
  }

  private kick(): void {
    if (this.connection === null || this.channel === null || this.stopping) return;
    if (this.publishing !== null) {
      this.again = true;
      return;
    }
    this.publishing = this.drain(this.connection, this.channel).finally(() => {
      this.publishing = null;
      if (this.again) {
        this.again = false;
        this.kick();
      }
    });
  }

  private async drain(connection: ChannelModel, channel: ConfirmChannel): Promise<void> {
    try {
      while (!this.stopping && (await this.dataSource.transaction((manager) => this.publishNext(manager, channel))) === EVENTS_PER_PUBLISH_MAX);
    } catch (error) {
      this.logger.warn({ err: error }, 'publishing events failed; they will be published again');
      // Closing it makes `lost` reconnect; a newer connection, if any, is left alone.
      if (error instanceof BrokerFailure) void connection.close().catch(() => undefined);
    }
  }

  /** Publishes the events after the cursor and moves it once the broker has confirmed them all; how many. */
  private async publishNext(manager: EntityManager, channel: ConfirmChannel): Promise<number> {
    const [cursor] = await manager.query(CURSOR_SQL, [SINK]);
    // Another instance is publishing (or an operator retired the sink): nothing to do here.
    if (cursor === undefined) return 0;
    const rows: EventRow[] = await manager.query(NEXT_SQL, [cursor.position, EVENTS_PER_PUBLISH_MAX]);
    if (rows.length === 0) return 0;
    await this.publishAll(channel, rows);
    await manager.query(ADVANCE_SQL, [SINK, rows[rows.length - 1].position]);
    return rows.length;
  }

  private async publishAll(channel: ConfirmChannel, rows: EventRow[]): Promise<void> {
    try {
      for (const row of rows) {
        const event = presentEvent(row);
        const sent = channel.publish(this.config.amqpExchange, event.type, Buffer.from(JSON.stringify(event)), {
          persistent: true,
          messageId: event.id,
          contentType: 'application/json',
          type: event.type,
          timestamp: Math.floor(row.created_at.getTime() / 1000),
        });
        if (!sent) await withTimeout(once(channel, 'drain'), CONFIRM_TIMEOUT_MS);
      }
      await withTimeout(channel.waitForConfirms(), CONFIRM_TIMEOUT_MS);
    } catch (error) {
      throw new BrokerFailure(`the broker did not confirm ${rows.length} events: ${String(error)}`);
    }
  }

  private async connect(): Promise<void> {
    let connection: ChannelModel | null = null;
    try {
      connection = await connect(this.config.amqpUrl as string, { timeout: CONNECT_TIMEOUT_MS });
      const opened = connection;
      opened.on('error', (error: Error) => this.logger.warn({ err: error }, 'broker connection error'));
      opened.on('close', () => this.lost(opened));
      const channel = await opened.createConfirmChannel();
      channel.on('error', (error: Error) => this.logger.warn({ err: error }, 'broker channel error'));
      // A channel the broker closed cannot publish again: start over on a new connection.
      channel.on('close', () => void opened.close().catch(() => undefined));
      await channel.assertExchange(this.config.amqpExchange, 'topic', { durable: true });
      if (this.stopping) return void (await opened.close());
      [this.connection, this.channel, this.failures] = [opened, channel, 0];
      this.logger.log(`publishing events to exchange ${this.config.amqpExchange}`);
      this.kick();
    } catch (error) {
      void connection?.close().catch(() => undefined);
      this.failures += 1;
      if (this.failures === 1) this.logger.warn({ err: error }, 'the broker is unreachable; events wait in PostgreSQL');
      this.scheduleReconnect();
    }
  }

  private lost(connection: ChannelModel): void {
    if (this.connection !== connection) return;
    [this.connection, this.channel] = [null, null];
    if (this.stopping) return;
    this.logger.warn('lost the broker connection; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopping) return;
    const delayMs = Math.min(RECONNECT_DELAY_MS_MIN * 2 ** Math.min(this.failures, 10), RECONNECT_DELAY_MS_MAX);
    this.reconnectTimer = setTimeout(() => void this.connect(), delayMs);
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { RateLimitedLog } from './rate-limited-log';

/** Limits for every Redis call: a slow or absent Redis must cost a request milliseconds, not seconds. */
const COMMAND_TIMEOUT_MS = 250;
const CONNECT_TIMEOUT_MS = 2_000;
/** ioredis keeps a timer this long after disconnect() even when the socket never opened: keep shutdown short. */
const DISCONNECT_TIMEOUT_MS = 200;
const RECONNECT_DELAY_MAX_MS = 2_000;
/** How long boot waits for a first connection before serving with local counters. */
const STARTUP_WAIT_MS = 2_000;
const ERROR_LOG_INTERVAL_MS = 10_000;

export type RedisState = 'up' | 'down' | 'not-configured';

/**
 * The one Redis connection of the process (rate-limit counters only: nothing in Redis
 * matters to money). `client` is null when REDIS_URL is unset.
 */
@Injectable()
export class RedisClient implements OnModuleInit, OnApplicationShutdown {
  readonly client: Redis | null;
  private readonly errors = new RateLimitedLog(new Logger('Redis'), ERROR_LOG_INTERVAL_MS);

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.client = config.redisUrl === null ? null : this.connect(config.redisUrl, config.redisKeyPrefix);
  }

  private connect(url: string, keyPrefix: string): Redis {
    const client = new Redis(url, {
      keyPrefix,
      lazyConnect: true,
      // Without a connection, fail at once (the caller falls back) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: COMMAND_TIMEOUT_MS,
      connectTimeout: CONNECT_TIMEOUT_MS,
      disconnectTimeout: DISCONNECT_TIMEOUT_MS,
      retryStrategy: (attempt) => Math.min(attempt * 200, RECONNECT_DELAY_MAX_MS),
      connectionName: 'wallet-service',
    });
    client.on('error', (error: unknown) => this.errors.error('Redis connection error', error));
    return client;
  }

  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (client === null) return;
    // A failed first attempt is not fatal: the client keeps reconnecting in the background.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)));
    await Promise.race([client.connect().catch(() => undefined), deadline]);
    clearTimeout(timer);
  }

  async state(): Promise<RedisState> {
    if (this.client === null) return 'not-configured';
    try {
      return (await this.client.ping()) === 'PONG' ? 'up' : 'down';
    } catch {
      return 'down';
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect();
  }
}

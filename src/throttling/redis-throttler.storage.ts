import { Logger } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { registry } from '../metrics/metrics';
import { RateLimitedLog } from './rate-limited-log';

export interface ThrottleRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * One atomic step of a fixed-window counter with a block: while blocked, nothing counts;
 * the hit that passes the limit starts the block. Both keys share a hash tag (`{…}`) so the
 * script also runs on a Redis Cluster. Returns [hits, window ms left, blocked 0|1, block ms left].
 */
const INCREMENT_SCRIPT = `
local blockMs = redis.call('PTTL', KEYS[2])
if blockMs > 0 then
  return {tonumber(redis.call('GET', KEYS[1]) or (tonumber(ARGV[2]) + 1)), redis.call('PTTL', KEYS[1]), 1, blockMs}
end
local hits = redis.call('INCR', KEYS[1])
local windowMs = redis.call('PTTL', KEYS[1])
if windowMs < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  windowMs = tonumber(ARGV[1])
end
if hits > tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  return {hits, windowMs, 1, tonumber(ARGV[3])}
end
return {hits, windowMs, 0, 0}
`;

type IncrementReply = [number, number, number, number];

interface RedisWithThrottle extends Redis {
  throttleIncrement(hitsKey: string, blockKey: string, ttlMs: number, limit: number, blockMs: number): Promise<IncrementReply>;
}

const storageErrors = new Counter({
  name: 'throttle_storage_errors_total',
  help: 'Rate-limit counter updates that failed in Redis (the instance then counts in memory for a second)',
  registers: [registry],
});

const ERROR_LOG_INTERVAL_MS = 10_000;
/**
 * After a failure, Redis is left alone this long: a Redis that hangs would otherwise cost
 * every request the full command timeout.
 */
const REDIS_PAUSE_AFTER_FAILURE_MS = 1_000;

/**
 * Rate-limit counters in Redis, shared by every instance. When Redis fails, the request is
 * never refused for it: counting falls back to this process's memory (per-instance limits)
 * and the failure is logged, rate-limited, and counted in /metrics.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: RedisWithThrottle;
  private readonly errors = new RateLimitedLog(new Logger('Throttling'), ERROR_LOG_INTERVAL_MS);
  private redisPausedUntilMs = 0;

  constructor(
    redis: Redis,
    private readonly fallback: ThrottlerStorage,
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('throttleIncrement', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    this.redis = redis as RedisWithThrottle;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottleRecord> {
    if (this.now() < this.redisPausedUntilMs) return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    const base = `throttle:{${throttlerName}:${key}}`;
    try {
      const [hits, windowMs, blocked, blockMs] = await this.redis.throttleIncrement(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration);
      return { totalHits: hits, timeToExpire: seconds(windowMs), isBlocked: blocked === 1, timeToBlockExpire: seconds(blockMs) };
    } catch (error) {
      this.redisPausedUntilMs = this.now() + REDIS_PAUSE_AFTER_FAILURE_MS;
      storageErrors.inc();
      this.errors.error('Rate-limit counters unavailable in Redis, counting in memory on this instance (fail open)', error);
      return this.fallback.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }
}

function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000));
}

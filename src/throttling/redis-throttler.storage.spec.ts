import { Logger } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { LOCAL_REDIS_URL, redisAvailable } from '../../test/support/service-process';
import { RedisThrottlerStorage } from './redis-throttler.storage';

const prefix = `unittest-${randomBytes(4).toString('hex')}:`;

function client(url = LOCAL_REDIS_URL): Redis {
  return new Redis(url, { keyPrefix: prefix, enableOfflineQueue: false, maxRetriesPerRequest: 0, lazyConnect: true, retryStrategy: () => null, disconnectTimeout: 50 });
}

(redisAvailable() ? describe : describe.skip)('RedisThrottlerStorage (real Redis)', () => {
  const clients: Redis[] = [];
  // The fallback test logs a (deliberate) Redis failure.
  beforeAll(() => Logger.overrideLogger(false));
  async function storage(url?: string): Promise<RedisThrottlerStorage> {
    const redis = client(url);
    redis.on('error', () => undefined);
    clients.push(redis);
    await redis.connect().catch(() => undefined);
    return new RedisThrottlerStorage(redis, new ThrottlerStorageService());
  }

  afterAll(async () => {
    const cleaner = new Redis(LOCAL_REDIS_URL);
    const keys = await cleaner.keys(`${prefix}*`);
    if (keys.length > 0) await cleaner.del(...keys);
    cleaner.disconnect();
    clients.forEach((c) => c.disconnect());
  });

  it('counts up to the limit, then blocks for the block duration without counting', async () => {
    const store = await storage();
    const records = [];
    for (let i = 0; i < 5; i++) records.push(await store.increment('k1', 300, 3, 300, 'default'));
    expect(records.map((r) => [r.totalHits, r.isBlocked])).toEqual([[1, false], [2, false], [3, false], [4, true], [4, true]]);
    expect(records[3]).toMatchObject({ timeToExpire: 1, timeToBlockExpire: 1 });
    await new Promise((r) => setTimeout(r, 350));
    expect(await store.increment('k1', 300, 3, 300, 'default')).toMatchObject({ totalHits: 1, isBlocked: false, timeToBlockExpire: 0 });
  });

  it('is atomic: of 50 concurrent hits against a limit of 10, exactly 10 pass', async () => {
    const store = await storage();
    const records = await Promise.all(Array.from({ length: 50 }, () => store.increment('k2', 10_000, 10, 10_000, 'default')));
    expect(records.filter((r) => !r.isBlocked)).toHaveLength(10);
  });

  it('shares the counters between instances (separate connections)', async () => {
    const [one, two] = [await storage(), await storage()];
    await one.increment('k3', 10_000, 2, 10_000, 'default');
    await two.increment('k3', 10_000, 2, 10_000, 'default');
    expect((await one.increment('k3', 10_000, 2, 10_000, 'default')).isBlocked).toBe(true);
  });

  it('after a failure leaves Redis alone for a second, then tries it again', async () => {
    const redis = client('redis://127.0.0.1:6390');
    redis.on('error', () => undefined);
    clients.push(redis);
    let nowMs = 0;
    const store = new RedisThrottlerStorage(redis, new ThrottlerStorageService(), () => nowMs);
    const calls = jest.spyOn(redis as unknown as { throttleIncrement: () => Promise<unknown> }, 'throttleIncrement');
    await store.increment('k5', 10_000, 100, 10_000, 'default');
    nowMs = 999;
    await store.increment('k5', 10_000, 100, 10_000, 'default');
    expect(calls).toHaveBeenCalledTimes(1);
    nowMs = 1_000;
    await store.increment('k5', 10_000, 100, 10_000, 'default');
    expect(calls).toHaveBeenCalledTimes(2);
  });

  it('keeps serving when Redis is unreachable, counting in memory instead', async () => {
    const store = await storage('redis://127.0.0.1:6390');
    const records = [];
    for (let i = 0; i < 3; i++) records.push(await store.increment('k4', 10_000, 2, 10_000, 'default'));
    expect(records.map((r) => r.isBlocked)).toEqual([false, false, true]);
  });
});

import { Module } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { RedisClient } from './redis-client';
import { RedisThrottlerStorage } from './redis-throttler.storage';

/** Injection token for the counters the throttler uses: Redis when configured, memory otherwise. */
export const THROTTLE_STORAGE = Symbol('THROTTLE_STORAGE');

@Module({
  providers: [
    RedisClient,
    {
      provide: THROTTLE_STORAGE,
      inject: [RedisClient],
      useFactory: (redis: RedisClient) =>
        redis.client === null ? new ThrottlerStorageService() : new RedisThrottlerStorage(redis.client, new ThrottlerStorageService()),
    },
  ],
  exports: [RedisClient, THROTTLE_STORAGE],
})
export class ThrottleStoreModule {}

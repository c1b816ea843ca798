import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppThrottlerGuard } from './app-throttler.guard';
import { THROTTLE_STORAGE, ThrottleStoreModule } from './throttle-store.module';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      imports: [ThrottleStoreModule],
      inject: [APP_CONFIG, THROTTLE_STORAGE],
      useFactory: (config: AppConfig, storage: ThrottlerStorage) => ({
        // Limits per route come from AppThrottlerGuard; this entry only names the throttler.
        throttlers: [{ name: 'default', ttl: config.throttleDefaultTtlMs, limit: config.throttleDefaultLimit }],
        skipIf: () => !config.throttleEnabled,
        storage,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AppThrottlerGuard }],
})
export class ThrottlingModule {}

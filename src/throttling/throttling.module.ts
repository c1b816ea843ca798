import { Module } from '@nestjs/common';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { THROTTLE_STORAGE, ThrottleStoreModule } from './throttle-store.module';

/** The throttler's options and storage; its guard is registered in AppModule, between authentication and access checks. */
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
})
export class ThrottlingModule {}

import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { AppThrottlerGuard } from './app-throttler.guard';

@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // Limits per route come from AppThrottlerGuard; this entry only names the throttler.
        throttlers: [{ name: 'default', ttl: config.throttleDefaultTtlMs, limit: config.throttleDefaultLimit }],
        skipIf: () => !config.throttleEnabled,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: AppThrottlerGuard }],
})
export class ThrottlingModule {}

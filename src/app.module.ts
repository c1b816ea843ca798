import { DynamicModule, Global, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerModule } from '../libs/ledger/src';
import { AdminModule } from './admin/admin.module';
import { AssetsModule } from './assets/assets.module';
import { AuthModule } from './auth/auth.module';
import { AccessGuard, JwtAuthGuard } from './auth/auth.guards';
import { BatchesModule } from './batches/batches.module';
import { ExchangesModule } from './exchanges/exchanges.module';
import { ProblemDetailsFilter } from './common/problem-details.filter';
import { APP_CONFIG, AppConfig } from './config/app-config';
import { dataSourceOptions } from './database/data-source-options';
import { SeedService } from './database/seed.service';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { HoldsModule } from './holds/holds.module';
import { LoggingModule } from './logging/logging.module';
import { metricsMiddleware } from './metrics/metrics.middleware';
import { MetricsModule } from './metrics/metrics.module';
import { ServerModule } from './server/server.module';
import { AppThrottlerGuard } from './throttling/app-throttler.guard';
import { ThrottlingModule } from './throttling/throttling.module';
import { TransfersModule } from './transfers/transfers.module';
import { UsersModule } from './users/users.module';
import { WalletsModule } from './wallets/wallets.module';
import { WebConsoleModule } from './web-console/web-console.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Global()
@Module({})
class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}

@Module({})
export class AppModule implements NestModule {
  /** `databaseUrl` is the resolved one: DATABASE_URL, or the embedded server's. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(config),
        ServerModule,
        TypeOrmModule.forRoot({
          ...dataSourceOptions({ url: databaseUrl, poolSize: config.dbPoolSize, statementTimeoutMs: config.statementTimeoutMs }),
          retryAttempts: 2,
          retryDelay: 500,
        }),
        LedgerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (c: AppConfig) => ({
            lockTimeoutMs: c.lockTimeoutMs,
            statementTimeoutMs: c.statementTimeoutMs,
            retriesMax: c.postingRetriesMax,
            groupCommitMaxSize: c.groupCommitMaxSize,
            groupCommitMaxWaitUs: c.groupCommitMaxWaitUs,
            groupCommitLanes: c.groupCommitLanes,
          }),
        }),
        AuthModule,
        UsersModule,
        AssetsModule,
        WalletsModule,
        TransfersModule,
        BatchesModule,
        HoldsModule,
        ExchangesModule,
        EventsModule,
        WebhooksModule,
        AdminModule,
        HealthModule,
        MetricsModule,
        ThrottlingModule,
        WebConsoleModule.forRoot(),
      ],
      providers: [
        SeedService,
        // Order matters: identity first, then throttling (per user, or per IP for anonymous and
        // invalid-token requests alike), then the 401/403 decisions.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: AppThrottlerGuard },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_FILTER, useClass: ProblemDetailsFilter },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(metricsMiddleware).forRoutes('{*splat}');
  }
}

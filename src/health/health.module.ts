import { Module } from '@nestjs/common';
import { ThrottleStoreModule } from '../throttling/throttle-store.module';
import { HealthController } from './health.controller';

@Module({ imports: [ThrottleStoreModule], controllers: [HealthController] })
export class HealthModule {}

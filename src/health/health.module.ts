import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { ThrottleStoreModule } from '../throttling/throttle-store.module';
import { HealthController } from './health.controller';

@Module({ imports: [ThrottleStoreModule, EventsModule], controllers: [HealthController] })
export class HealthModule {}

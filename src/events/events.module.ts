import { Module } from '@nestjs/common';
import { AmqpPublisher } from './amqp-publisher';
import { EventBacklog } from './event-backlog';
import { EventRelay } from './event-relay';
import { EventsController } from './events.controller';
import { EventsPurge } from './events-purge';
import { EventsService } from './events.service';
import { FeedSignal } from './feed-signal';

@Module({
  controllers: [EventsController],
  providers: [EventsService, EventRelay, EventsPurge, FeedSignal, AmqpPublisher, EventBacklog],
  exports: [FeedSignal, AmqpPublisher],
})
export class EventsModule {}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { EVENT_TYPES, type EventType } from '../../../libs/ledger/src';
import { PAGE_LIMIT_DEFAULT } from '../../common/pagination';
import { EVENT_ID_PATTERN } from '../event.presenter';
import type { Event, Page } from '../../../libs/contract/src';

/** `GET /events?after=&type=&limit=`: the feed, oldest first. */
export class EventQuery {
  @ApiPropertyOptional({ description: 'An event id (or a previous page\'s nextCursor): the page starts right after it', example: 'evt_1042' })
  @IsOptional()
  @IsString()
  @Matches(EVENT_ID_PATTERN, { message: 'after must be an event id' })
  after?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES })
  @IsOptional()
  @IsIn(EVENT_TYPES)
  type?: EventType;

  @ApiPropertyOptional({ example: 20, minimum: 1, maximum: 100, default: PAGE_LIMIT_DEFAULT })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = PAGE_LIMIT_DEFAULT;
}

export class EventDto implements Event {
  @ApiProperty({ description: 'Opaque, unique; its place in the feed. Also the webhook-id and the AMQP messageId', example: 'evt_1042' })
  id: string;

  @ApiProperty({ example: 'transaction.created', enum: EVENT_TYPES })
  type: EventType;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time', description: 'When the change was written' })
  createdAt: string;

  @ApiProperty({ example: { id: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', type: 'TRANSFER' }, type: 'object', additionalProperties: true, description: 'transaction.*: the Transaction; hold.*: the Hold; batch.completed: the Batch' })
  data: unknown;
}

export class EventPageDto implements Page<Event> {
  @ApiProperty({ type: [EventDto] })
  items: EventDto[];

  @ApiProperty({
    example: 'evt_1042',
    nullable: true,
    type: String,
    description: 'The last event\'s id, or `after` when the page is empty: pass it as `after` to continue (a feed has no last page)',
  })
  nextCursor: string | null;
}

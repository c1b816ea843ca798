import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsOptional, IsString, IsUrl, MaxLength } from 'class-validator';
import { EVENT_TYPES } from '../../../libs/ledger/src';
import type { Delivery, Page, Webhook } from '../../../libs/contract/src';
import type { CreatedWebhook } from '../../../libs/contract/src';

export const WEBHOOK_EVENT_FILTERS = [...EVENT_TYPES, '*'];
export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/hooks/wallet', maxLength: 2048, description: 'http: or https:' })
  @IsString()
  @MaxLength(2048)
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'url must be an http: or https: URL' })
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENT_FILTERS, example: ['transaction.created'], description: 'Event types, or ["*"] for all' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(WEBHOOK_EVENT_FILTERS.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_FILTERS, { each: true })
  events: string[];

  @ApiPropertyOptional({ example: 'orders', maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class WebhookDto implements Webhook {
  @ApiProperty({ example: 'c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b', format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'https://example.com/hooks/wallet' })
  url: string;

  @ApiProperty({ type: [String], enum: WEBHOOK_EVENT_FILTERS, example: ['transaction.created', 'hold.captured'] })
  events: string[];

  @ApiProperty({ example: 'orders', nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: 'ENABLED', enum: ['ENABLED'] })
  status: 'ENABLED';

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;
}

export class CreatedWebhookDto extends WebhookDto implements CreatedWebhook {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'whsec_ + base64 of the signing key. Shown only in this answer' })
  secret: string;
}

export class DeliveryDto implements Delivery {
  @ApiProperty({ example: 'evt_1042' })
  eventId: string;

  @ApiProperty({ example: 'transaction.created', enum: EVENT_TYPES })
  eventType: string;

  @ApiProperty({ example: 'SUCCEEDED', enum: ['PENDING', 'SUCCEEDED', 'FAILED'] })
  status: DeliveryStatus;

  @ApiProperty({ example: 1, description: 'Attempts started so far' })
  attempts: number;

  @ApiProperty({ example: 200, nullable: true, type: Number, description: 'The HTTP status of the last answer' })
  lastResponseStatus: number | null;

  @ApiProperty({ example: null, nullable: true, type: String })
  lastError: string | null;

  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time', description: 'PENDING only: when the next attempt may start' })
  nextAttemptAt: string | null;
}

export class DeliveryPageDto implements Page<Delivery> {
  @ApiProperty({ type: [DeliveryDto] })
  items: DeliveryDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  nextCursor: string | null;
}

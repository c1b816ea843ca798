import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import type { Batch, BatchItem, Page } from '../../../libs/contract/src';

export const BATCH_STATUSES = ['PENDING', 'PROCESSING', 'COMPLETED', 'COMPLETED_WITH_ERRORS'] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export const BATCH_ITEM_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];

/** The text fields of the multipart upload; the file itself arrives as `file`. */
export class CreateBatchDto {
  @ApiProperty({ example: 'GOLD_COINS', description: 'Asset of every payout; the payer is the caller’s wallet for it' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'asset must be an asset code such as GOLD_COINS' })
  asset: string;
}

/** `Batch` of docs/api.md. */
export class BatchDto implements Batch {
  @ApiProperty({ example: '0f3a4b5c-6d7e-4f80-9a1b-2c3d4e5f6a7b', format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'COMPLETED_WITH_ERRORS', enum: BATCH_STATUSES })
  status: BatchStatus;

  @ApiProperty({ example: 'GOLD_COINS' })
  asset: string;

  @ApiProperty({ example: 'payouts.csv' })
  fileName: string;

  @ApiProperty({ description: 'Payout rows in the file (the header and blank lines are not counted)', example: 3 })
  itemCount: number;

  @ApiProperty({ example: 3, description: 'Rows that reached a final status (SUCCEEDED or FAILED)' })
  processedCount: number;

  @ApiProperty({ example: 2 })
  succeededCount: number;

  @ApiProperty({ example: 1, description: 'Includes rows refused at upload for a bad cell' })
  failedCount: number;

  @ApiProperty({ example: 450, description: 'Sum of the valid amounts in the file, minor units' })
  totalAmount: number;

  @ApiProperty({ example: 300, description: 'Sum of the amounts paid so far, minor units' })
  succeededAmount: number;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time', nullable: true, type: String })
  completedAt: string | null;
}

/** `BatchItem` of docs/api.md: one row of the file. */
export class BatchItemDto implements BatchItem {
  @ApiProperty({ example: 1, description: 'Position among the payout rows of the file, from 1' })
  row: number;

  @ApiProperty({ example: 'bob@example.com', description: 'The recipient cell as given: an email or a user id' })
  recipient: string;

  @ApiProperty({ example: 150, nullable: true, type: Number, description: 'null when the amount cell is not a valid amount' })
  amount: number | null;

  @ApiProperty({ example: 'March prize', nullable: true, type: String })
  reference: string | null;

  @ApiProperty({ example: 'SUCCEEDED', enum: BATCH_ITEM_STATUSES })
  status: BatchItemStatus;

  @ApiProperty({
    nullable: true,
    type: String,
    example: 'INSUFFICIENT_FUNDS',
    description: 'VALIDATION_FAILED, RECIPIENT_NOT_FOUND, SAME_WALLET, INSUFFICIENT_FUNDS or BALANCE_LIMIT',
  })
  errorCode: string | null;

  @ApiProperty({ example: 'Not enough GOLD_COINS in the wallet', nullable: true, type: String })
  errorMessage: string | null;

  @ApiProperty({ example: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', format: 'uuid', nullable: true, type: String, description: 'The BATCH_PAYOUT transaction of a paid row' })
  transactionId: string | null;
}

export class BatchPageDto implements Page<Batch> {
  @ApiProperty({ type: [BatchDto] })
  items: BatchDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  nextCursor: string | null;
}

export class BatchItemPageDto implements Page<BatchItem> {
  @ApiProperty({ type: [BatchItemDto] })
  items: BatchItemDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  nextCursor: string | null;
}

/** `?status=&limit=&cursor=` of GET /batches/:id/items; rows come in file order. */
export class BatchItemQuery extends PageQuery {
  @ApiPropertyOptional({ enum: BATCH_ITEM_STATUSES })
  @IsOptional()
  @IsIn(BATCH_ITEM_STATUSES)
  status?: BatchItemStatus;
}

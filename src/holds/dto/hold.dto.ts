import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min } from 'class-validator';
import type { HoldStatus, Metadata } from '../../../libs/ledger/src';
import { IsAmount } from '../../common/amount.validator';
import { IsMetadata } from '../../common/metadata.validator';
import { PageQuery } from '../../common/pagination';
import { PartyDto } from '../../transfers/dto/transaction.dto';
import { IsDescription } from '../../common/description.validator';
import type { Hold, Page } from '../../../libs/contract/src';

export const HOLD_STATUSES: HoldStatus[] = ['PENDING', 'CAPTURED', 'VOIDED', 'EXPIRED'];
/** The lowest minimum HOLD_EXPIRY_SECONDS_MIN may set (default 60); the service checks the configured one. */
export const HOLD_TTL_SECONDS_MIN = 1;
export const HOLD_TTL_SECONDS_MAX = 2_592_000;
export const HOLD_TTL_SECONDS_DEFAULT = 604_800;

/** Body of POST /holds: the payer is the caller; exactly one of toUserId, toEmail, toSystem. */
export class CreateHoldDto {
  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/, { message: 'asset must be an asset code such as GOLD_COINS' })
  asset: string;

  @IsAmount()
  amount: number;

  @ApiPropertyOptional({ example: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  toUserId?: string;

  @ApiPropertyOptional({ example: 'seller@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  toEmail?: string;

  @ApiPropertyOptional({ example: 'REVENUE', enum: ['REVENUE'] })
  @IsOptional()
  @IsIn(['REVENUE'])
  toSystem?: 'REVENUE';

  @ApiPropertyOptional({
    example: 3600,
    minimum: 60,
    maximum: HOLD_TTL_SECONDS_MAX,
    default: HOLD_TTL_SECONDS_DEFAULT,
    description: 'At least 60 (HOLD_EXPIRY_SECONDS_MIN, lower only in test setups)',
  })
  @IsOptional()
  @IsInt()
  @Min(HOLD_TTL_SECONDS_MIN)
  @Max(HOLD_TTL_SECONDS_MAX)
  expiresInSeconds?: number;

  @IsDescription()
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

export class CaptureHoldDto {
  @ApiPropertyOptional({ description: 'Minor units; default: all of the held amount', minimum: 1, example: 500 })
  @IsOptional()
  @IsInt({ message: 'amount must be an integer in minor units' })
  @Min(1)
  @Max(9_007_199_254_740_991)
  amount?: number;

  @IsDescription()
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

export class VoidHoldDto {
  @ApiPropertyOptional({ example: 'out of stock', minLength: 1, maxLength: 500 })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  reason?: string;

  @IsMetadata()
  metadata?: Metadata;
}

export class HoldQuery extends PageQuery {
  @ApiPropertyOptional({ enum: HOLD_STATUSES })
  @IsOptional()
  @IsIn(HOLD_STATUSES)
  status?: HoldStatus;
}

export class HoldDto implements Hold {
  @ApiProperty({ example: '3e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7', format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'PENDING', enum: HOLD_STATUSES })
  status: HoldStatus;

  @ApiProperty({ example: 'USD' })
  asset: string;

  @ApiProperty({ description: 'Minor units held', example: 1500 })
  amount: number;

  @ApiProperty({ description: 'Minor units captured (0 unless CAPTURED)', example: 0 })
  capturedAmount: number;

  @ApiProperty({ example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', format: 'uuid' })
  payerUserId: string;

  @ApiProperty({ example: 42 })
  payerWalletId: number;

  @ApiProperty({ type: PartyDto })
  recipient: PartyDto;

  @ApiProperty({ example: null, nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: { orderId: '1042' }, type: 'object', additionalProperties: { type: 'string' } })
  metadata: Metadata;

  @ApiProperty({ example: '2026-12-03T10:00:00.000Z', format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;

  @ApiProperty({ example: null, format: 'date-time', nullable: true, type: String })
  resolvedAt: string | null;

  @ApiProperty({ type: [String], example: ['6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f'], description: 'The HOLD transaction, then the capture or release' })
  transactionIds: string[];
}

export class HoldPageDto implements Page<Hold> {
  @ApiProperty({ type: [HoldDto] })
  items: HoldDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  nextCursor: string | null;
}

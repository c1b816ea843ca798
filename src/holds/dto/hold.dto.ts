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

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  toUserId?: string;

  @ApiPropertyOptional({ example: 'seller@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  toEmail?: string;

  @ApiPropertyOptional({ enum: ['REVENUE'] })
  @IsOptional()
  @IsIn(['REVENUE'])
  toSystem?: 'REVENUE';

  @ApiPropertyOptional({
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
  @ApiPropertyOptional({ minLength: 1, maxLength: 500 })
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
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: HOLD_STATUSES })
  status: HoldStatus;

  @ApiProperty({ example: 'USD' })
  asset: string;

  @ApiProperty({ description: 'Minor units held', example: 1500 })
  amount: number;

  @ApiProperty({ description: 'Minor units captured (0 unless CAPTURED)', example: 0 })
  capturedAmount: number;

  @ApiProperty({ format: 'uuid' })
  payerUserId: string;

  @ApiProperty()
  payerWalletId: number;

  @ApiProperty({ type: PartyDto })
  recipient: PartyDto;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  metadata: Metadata;

  @ApiProperty({ format: 'date-time' })
  expiresAt: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolvedAt: string | null;

  @ApiProperty({ type: [String], description: 'The HOLD transaction, then the capture or release' })
  transactionIds: string[];
}

export class HoldPageDto implements Page<Hold> {
  @ApiProperty({ type: [HoldDto] })
  items: HoldDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

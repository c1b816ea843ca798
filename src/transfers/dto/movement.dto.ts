import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsAmount } from '../../common/amount.validator';
import { IsMetadata } from '../../common/metadata.validator';
import type { Metadata } from '../../../libs/ledger/src';

const ASSET_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;

/** Body of POST /spends and /withdrawals: the payer is the caller, from the token. */
export class CreateSpendDto {
  @ApiProperty({ example: 'GOLD_COINS' })
  @IsString()
  @Matches(ASSET_CODE, { message: 'asset must be an asset code such as GOLD_COINS' })
  asset: string;

  @IsAmount()
  amount: number;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

export class CreateWithdrawalDto extends CreateSpendDto {}

/** Body of POST /transfers: exactly one of `toUserId` and `toEmail`. */
export class CreateTransferDto extends CreateSpendDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Recipient user id (or give toEmail)' })
  @IsOptional()
  @IsUUID()
  toUserId?: string;

  @ApiPropertyOptional({ description: 'Recipient email, case-insensitive (or give toUserId)' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  toEmail?: string;
}

/** Body of POST /top-ups and /bonuses (admins): TREASURY pays the user. */
export class CreateTopUpDto extends CreateSpendDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId: string;
}

export class CreateBonusDto extends CreateTopUpDto {}

export class CreateReversalDto {
  @ApiProperty({ example: 'Duplicate payout', minLength: 1, maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason: string;

  @IsMetadata()
  metadata?: Metadata;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsEmail, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { IsAmount } from '../../common/amount.validator';
import { IsMetadata } from '../../common/metadata.validator';
import { Metadata, POSTINGS_MAX, SYSTEM_CODES, SystemCode } from '../../../libs/ledger/src';
import { IsDescription } from '../../common/description.validator';

const ASSET_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;

/** Body of POST /spends and /withdrawals: the payer is the caller, from the token. */
export class CreateSpendDto {
  @ApiProperty({ example: 'GOLD_COINS' })
  @IsString()
  @Matches(ASSET_CODE, { message: 'asset must be an asset code such as GOLD_COINS' })
  asset: string;

  @IsAmount()
  amount: number;

  @IsDescription()
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

export class CreateWithdrawalDto extends CreateSpendDto {}

/** Body of POST /transfers: exactly one of `toUserId` and `toEmail`. */
export class CreateTransferDto extends CreateSpendDto {
  @ApiPropertyOptional({ example: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', format: 'uuid', description: 'Recipient user id (or give toEmail)' })
  @IsOptional()
  @IsUUID()
  toUserId?: string;

  @ApiPropertyOptional({ example: 'bob@example.com', description: 'Recipient email, case-insensitive (or give toUserId)' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  toEmail?: string;
}

/** Body of POST /top-ups and /bonuses (admins): TREASURY pays the user. */
export class CreateTopUpDto extends CreateSpendDto {
  @ApiProperty({ example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', format: 'uuid' })
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

/** One side of a multi-leg posting: exactly one of userId, email, system. */
export class PartyRefDto {
  @ApiPropertyOptional({ example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', format: 'uuid' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ example: 'seller@example.com' })
  @IsOptional()
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'REVENUE', enum: SYSTEM_CODES })
  @IsOptional()
  @IsIn(SYSTEM_CODES)
  system?: SystemCode;
}

export class PostingInputDto {
  @ApiPropertyOptional({ type: PartyRefDto, description: 'Admins only (required for them); a user always pays from their own wallet' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => PartyRefDto)
  from?: PartyRefDto;

  @ApiProperty({ type: PartyRefDto })
  @IsObject()
  @ValidateNested()
  @Type(() => PartyRefDto)
  to: PartyRefDto;

  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(ASSET_CODE, { message: 'asset must be an asset code such as GOLD_COINS' })
  asset: string;

  @IsAmount()
  amount: number;
}

/** Body of POST /transactions: 1-25 postings applied in order, atomically. */
export class CreateMultiLegDto {
  @ApiProperty({ type: [PostingInputDto], minItems: 1, maxItems: POSTINGS_MAX })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(POSTINGS_MAX)
  @ValidateNested({ each: true })
  @Type(() => PostingInputDto)
  postings: PostingInputDto[];

  @IsDescription()
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

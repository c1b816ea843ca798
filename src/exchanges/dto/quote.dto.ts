import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { IsAmount } from '../../common/amount.validator';
import type { Quote } from '../../../libs/contract/src';

const ASSET_CODE = /^[A-Z][A-Z0-9_]{1,15}$/;

/** Body of POST /quotes: the caller asks what `fromAmount` of `fromAsset` buys of `toAsset`. */
export class CreateQuoteDto {
  @ApiProperty({ example: 'GOLD_COINS' })
  @IsString()
  @Matches(ASSET_CODE, { message: 'fromAsset must be an asset code such as GOLD_COINS' })
  fromAsset: string;

  @ApiProperty({ example: 'DIAMONDS' })
  @IsString()
  @Matches(ASSET_CODE, { message: 'toAsset must be an asset code such as DIAMONDS' })
  toAsset: string;

  @IsAmount()
  fromAmount: number;
}

export class QuoteDto implements Quote {
  @ApiProperty({ example: '9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e', format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'GOLD_COINS' })
  fromAsset: string;

  @ApiProperty({ example: 'DIAMONDS' })
  toAsset: string;

  @ApiProperty({ example: 250, description: 'Minor units of fromAsset the exchange debits' })
  fromAmount: number;

  @ApiProperty({ example: 2, description: 'floor(fromAmount × rate × 10^(toScale − fromScale)), minor units of toAsset credited' })
  toAmount: number;

  @ApiProperty({ type: String, example: '0.01', description: 'The rate fixed by this quote' })
  rate: string;

  @ApiProperty({ example: '2026-12-03T09:00:30.000Z', format: 'date-time', description: 'createdAt + QUOTE_TTL_SECONDS; an exchange must start before it' })
  expiresAt: string;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;
}

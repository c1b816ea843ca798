import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import type { Asset } from '../../../libs/contract/src';

export class CreateAssetDto {
  @ApiProperty({ pattern: '^[A-Z][A-Z0-9_]{1,15}$', example: 'RUBIES' })
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/)
  code: string;

  @ApiProperty({ example: 'Rubies', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ example: 0, minimum: 0, maximum: 8, description: 'Decimal places of the minor unit (USD: 2)' })
  @IsInt()
  @Min(0)
  @Max(8)
  scale: number;
}

export class AssetDto implements Asset {
  @ApiProperty({ example: 'GOLD_COINS' })
  code: string;

  @ApiProperty({ example: 'Gold coins' })
  name: string;

  @ApiProperty({ example: 0 })
  scale: number;
}

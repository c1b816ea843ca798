import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { Metadata } from '../../../libs/ledger/src';
import { IsMetadata } from '../../common/metadata.validator';

/** Body of POST /exchanges: the caller's own quote, used once before it expires. */
export class CreateExchangeDto {
  @ApiProperty({ format: 'uuid', description: 'A quote of the caller from POST /quotes' })
  @IsUUID()
  quoteId: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

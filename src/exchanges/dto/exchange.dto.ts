import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';
import type { Metadata } from '../../../libs/ledger/src';
import { IsMetadata } from '../../common/metadata.validator';
import { IsDescription } from '../../common/description.validator';

/** Body of POST /exchanges: the caller's own quote, used once before it expires. */
export class CreateExchangeDto {
  @ApiProperty({ example: '9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e', format: 'uuid', description: 'A quote of the caller from POST /quotes' })
  @IsUUID()
  quoteId: string;

  @IsDescription()
  description?: string;

  @IsMetadata()
  metadata?: Metadata;
}

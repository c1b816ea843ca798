import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import { Metadata, MOVEMENT_TYPES, MovementType, SYSTEM_CODES, SystemCode } from '../../../libs/ledger/src';
import { METADATA_KEY_PATTERN, METADATA_VALUE_LENGTH_MAX } from '../../common/metadata.validator';
import { PageQuery } from '../../common/pagination';
import { EntryDto } from '../../wallets/wallet.dto';
import type { Page, Party, Posting, Transaction } from '../../../libs/contract/src';
import type { TransactionWithEntries } from '../../../libs/contract/src';

export class PartyDto implements Party {
  @ApiProperty({ example: 42 })
  walletId: number;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, example: '1ac11f99-0e65-4669-b770-c7418c83569c', description: 'null for a system wallet' })
  userId: string | null;

  // OpenAPI 3.0 reads `nullable` as not extending `enum`: null must be listed to be allowed.
  @ApiProperty({ enum: [...SYSTEM_CODES, null], nullable: true, type: String, example: null, description: 'set for a system wallet; walletId is then the shard used' })
  systemCode: SystemCode | null;
}

export class PostingDto implements Posting {
  @ApiProperty({ type: PartyDto })
  from: PartyDto;

  @ApiProperty({ type: PartyDto })
  to: PartyDto;

  @ApiProperty({ example: 'USD' })
  asset: string;

  @ApiProperty({ description: 'Minor units', example: 1500 })
  amount: number;
}

const SINGLE = 'for a one-posting transaction; null when it has several postings';

export class TransactionDto implements Transaction {
  @ApiProperty({ example: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'TRANSFER', enum: MOVEMENT_TYPES })
  type: MovementType;

  @ApiProperty({ example: 'COMPLETED', enum: ['COMPLETED'] })
  status: 'COMPLETED';

  @ApiProperty({ example: 'GOLD_COINS', nullable: true, type: String, description: `The posting's asset, ${SINGLE}` })
  asset: string | null;

  @ApiProperty({ example: 1500, nullable: true, type: Number, description: `Minor units, ${SINGLE}` })
  amount: number | null;

  @ApiProperty({ example: 42, nullable: true, type: Number, description: SINGLE })
  fromWalletId: number | null;

  @ApiProperty({ example: 43, nullable: true, type: Number, description: SINGLE })
  toWalletId: number | null;

  @ApiProperty({ example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', format: 'uuid', nullable: true, type: String })
  fromUserId: string | null;

  @ApiProperty({ example: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d', format: 'uuid', nullable: true, type: String })
  toUserId: string | null;

  @ApiProperty({ example: 'order 1042', nullable: true, type: String })
  description: string | null;

  @ApiProperty({ example: null, format: 'uuid', nullable: true, type: String })
  batchId: string | null;

  @ApiProperty({ example: null, format: 'uuid', nullable: true, type: String })
  reversalOf: string | null;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: [PostingDto], description: 'Applied in order, atomically' })
  postings: PostingDto[];

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { orderId: '1042' } })
  metadata: Metadata;

  @ApiProperty({ example: null, format: 'uuid', nullable: true, type: String })
  holdId: string | null;
}

export class TransactionWithEntriesDto extends TransactionDto implements TransactionWithEntries {
  @ApiProperty({ type: [EntryDto] })
  entries: EntryDto[];
}

export class TransactionPageDto implements Page<Transaction> {
  @ApiProperty({ type: [TransactionDto] })
  items: TransactionDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  nextCursor: string | null;
}

/** `metadata[KEY]=VALUE`: exactly one pair (src/common/query-parser.ts gathers it). */
function isMetadataFilter(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return false;
  const entries = Object.entries(value);
  if (entries.length !== 1) return false;
  const [[key, item]] = entries;
  return METADATA_KEY_PATTERN.test(key) && typeof item === 'string' && item.length <= METADATA_VALUE_LENGTH_MAX;
}

export class TransactionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: MOVEMENT_TYPES })
  @IsOptional()
  @IsIn(MOVEMENT_TYPES)
  type?: MovementType;

  @ApiPropertyOptional({ example: 'USD' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Z][A-Z0-9_]{1,15}$/)
  asset?: string;

  @ApiPropertyOptional({
    example: { orderId: '1042' },
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'One exact key/value pair: `metadata[orderId]=1042`',
  })
  @IsOptional()
  @ValidateBy({
    name: 'isMetadataFilter',
    validator: { validate: isMetadataFilter, defaultMessage: () => 'give one filter as metadata[KEY]=VALUE' },
  })
  metadata?: Metadata;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MOVEMENT_TYPES, SYSTEM_CODES, SystemCode } from '../../libs/ledger/src';
import type { Entry, Page, Wallet } from '../../libs/contract/src';

export class WalletDto implements Wallet {
  @ApiProperty({ example: 42, description: 'Positive integer; for a sharded system wallet, its first shard' })
  id: number;

  @ApiProperty({ example: 'GOLD_COINS' })
  asset: string;

  @ApiProperty({ example: '5d1c2a7e-8b3f-4c1d-9e2a-7f6b5c4d3e2a', format: 'uuid', nullable: true, type: String })
  ownerId: string | null;

  @ApiProperty({ example: 'USER', enum: ['USER', 'SYSTEM'] })
  kind: 'USER' | 'SYSTEM';

  @ApiPropertyOptional({ example: 'TREASURY', enum: SYSTEM_CODES })
  systemCode?: SystemCode;

  @ApiProperty({ description: 'Minor units the owner can spend now; for a system wallet the sum of its shards', example: 1500 })
  balance: number;

  @ApiProperty({ description: 'Minor units in PENDING holds paid from this wallet (not part of balance)', example: 0 })
  held: number;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  updatedAt: string;
}

export class EntryDto implements Entry {
  @ApiProperty({ example: 1337 })
  id: number;

  @ApiProperty({ example: 42, description: 'The wallet (for a system wallet: the shard) this entry belongs to' })
  walletId: number;

  @ApiProperty({ example: '6c1f0b9e-2d4a-4e8b-b7c3-1a2b3c4d5e6f', format: 'uuid' })
  transactionId: string;

  @ApiProperty({ example: 'TRANSFER', enum: MOVEMENT_TYPES })
  type: string;

  @ApiProperty({ example: 'DEBIT', enum: ['DEBIT', 'CREDIT'] })
  direction: 'DEBIT' | 'CREDIT';

  @ApiProperty({ example: 1500, description: 'Always positive; direction gives the sign' })
  amount: number;

  @ApiProperty({
    example: 8500,
    description: "The wallet's (for a system wallet: the shard's) balance right after this entry; " +
      "null in a transaction's entries for a wallet the caller does not own (another user's balance is private)",
    nullable: true,
    type: Number,
  })
  balanceAfter: number | null;

  @ApiProperty({ example: '2026-12-03T09:00:00.000Z', format: 'date-time' })
  createdAt: string;
}

export class EntryPageDto implements Page<Entry> {
  @ApiProperty({ type: [EntryDto] })
  items: EntryDto[];

  @ApiProperty({ example: null, nullable: true, type: String })
  nextCursor: string | null;
}

export class WalletListQuery {
  @ApiPropertyOptional({ example: 'USER', enum: ['USER', 'SYSTEM'], description: 'SYSTEM (admins only) lists the system wallets' })
  @IsOptional()
  @IsIn(['USER', 'SYSTEM'])
  kind?: 'USER' | 'SYSTEM';
}

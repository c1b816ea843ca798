import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { MOVEMENT_TYPES, SYSTEM_CODES, SystemCode } from '../../libs/ledger/src';
import type { Entry, Page, Wallet } from '../../libs/contract/src';

export class WalletDto implements Wallet {
  @ApiProperty({ example: 42, description: 'Positive integer; for a sharded system wallet, its first shard' })
  id: number;

  @ApiProperty({ example: 'GOLD_COINS' })
  asset: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  ownerId: string | null;

  @ApiProperty({ enum: ['USER', 'SYSTEM'] })
  kind: 'USER' | 'SYSTEM';

  @ApiPropertyOptional({ enum: SYSTEM_CODES })
  systemCode?: SystemCode;

  @ApiProperty({ description: 'Minor units the owner can spend now; for a system wallet the sum of its shards', example: 1500 })
  balance: number;

  @ApiProperty({ description: 'Minor units in PENDING holds paid from this wallet (not part of balance)', example: 0 })
  held: number;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class EntryDto implements Entry {
  @ApiProperty()
  id: number;

  @ApiProperty({ description: 'The wallet (for a system wallet: the shard) this entry belongs to' })
  walletId: number;

  @ApiProperty({ format: 'uuid' })
  transactionId: string;

  @ApiProperty({ enum: MOVEMENT_TYPES })
  type: string;

  @ApiProperty({ enum: ['DEBIT', 'CREDIT'] })
  direction: 'DEBIT' | 'CREDIT';

  @ApiProperty({ description: 'Always positive; direction gives the sign' })
  amount: number;

  @ApiProperty({
    description: "The wallet's (for a system wallet: the shard's) balance right after this entry; " +
      "null in a transaction's entries for a wallet the caller does not own (another user's balance is private)",
    nullable: true,
    type: Number,
  })
  balanceAfter: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class EntryPageDto implements Page<Entry> {
  @ApiProperty({ type: [EntryDto] })
  items: EntryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class WalletListQuery {
  @ApiPropertyOptional({ enum: ['USER', 'SYSTEM'], description: 'SYSTEM (admins only) lists the system wallets' })
  @IsOptional()
  @IsIn(['USER', 'SYSTEM'])
  kind?: 'USER' | 'SYSTEM';
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { MOVEMENT_TYPES, MovementType } from '../../../libs/ledger/src';
import { PageQuery } from '../../common/pagination';
import { EntryDto } from '../../wallets/wallet.dto';

export class TransactionDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: MOVEMENT_TYPES })
  type: MovementType;

  @ApiProperty({ enum: ['COMPLETED'] })
  status: 'COMPLETED';

  @ApiProperty({ example: 'GOLD_COINS' })
  asset: string;

  @ApiProperty({ description: 'Minor units', example: 1500 })
  amount: number;

  @ApiProperty()
  fromWalletId: number;

  @ApiProperty()
  toWalletId: number;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  fromUserId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  toUserId: string | null;

  @ApiProperty({ nullable: true, type: String })
  description: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  batchId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  reversalOf: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class TransactionWithEntriesDto extends TransactionDto {
  @ApiProperty({ type: [EntryDto] })
  entries: EntryDto[];
}

export class TransactionPageDto {
  @ApiProperty({ type: [TransactionDto] })
  items: TransactionDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
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
}

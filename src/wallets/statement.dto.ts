import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsString, Matches } from 'class-validator';
import type { BalanceAt, Statement } from '../../libs/contract/src';

/**
 * An instant with an explicit offset, to the millisecond (docs/api.md, "Balance at a point in time"): the API shows
 * times to the millisecond, so a time copied from an entry's createdAt names that entry.
 */
function IsInstant(name: string, description: string): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ format: 'date-time', example: '2026-12-01T00:00:00Z', description }),
    IsString(),
    Matches(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/, {
      message: `${name} must be an ISO-8601 time with Z or an offset, at most millisecond precision`,
    }),
    IsISO8601({ strict: true }, { message: `${name} must be a valid calendar time` }),
  );
}

export class BalanceAtQuery {
  @IsInstant('at', 'The balance right after the last entry at or before this time (0 before the first)')
  at: string;
}

export class StatementQuery {
  @IsInstant('from', 'Window start, inclusive')
  from: string;

  @IsInstant('to', 'Window end, exclusive; after from and at most 366 days later')
  to: string;
}

export class BalanceAtDto implements BalanceAt {
  @ApiProperty({ example: 42, description: 'For a system wallet, its first shard' })
  walletId: number;

  @ApiProperty({ example: 'GOLD_COINS' })
  asset: string;

  @ApiProperty({ example: '2026-11-30T23:59:59.999Z', format: 'date-time' })
  at: string;

  @ApiProperty({ example: 8500, description: 'Minor units; for a system wallet the sum over its shards' })
  balance: number;
}

export class StatementDto implements Statement {
  @ApiProperty({ example: 42, description: 'For a system wallet, its first shard' })
  walletId: number;

  @ApiProperty({ example: 'GOLD_COINS' })
  asset: string;

  @ApiProperty({ example: '2026-11-01T00:00:00.000Z', format: 'date-time' })
  from: string;

  @ApiProperty({ example: '2026-12-01T00:00:00.000Z', format: 'date-time' })
  to: string;

  @ApiProperty({ example: 10000, description: 'Balance after the last entry before from (0 if none)' })
  openingBalance: number;

  @ApiProperty({ example: 8500, description: 'openingBalance + credits − debits: the balance after the last entry before to' })
  closingBalance: number;

  @ApiProperty({ example: 1500, description: 'Sum of the window’s debit entries' })
  debits: number;

  @ApiProperty({ example: 0, description: 'Sum of the window’s credit entries' })
  credits: number;

  @ApiProperty({ example: 1 })
  entryCount: number;
}

import { Injectable } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { DataSource } from 'typeorm';
import { Asset, LedgerDirectory, NotFoundError, ValidationFailedError } from '../../libs/ledger/src';
import { PutRateDto, RateDto } from './dto/rate.dto';
import { formatRate, parseRate } from './rate-math';
import type { Rate } from '../../libs/contract/src';

interface RateRow {
  from: string;
  to: string;
  rate: string;
  updated_at: Date;
}

function present(row: RateRow): Rate {
  return { from: row.from, to: row.to, rate: row.rate, updatedAt: row.updated_at.toISOString() };
}

/** The rate table of exchanges: admins set and delete rates, every user reads them. */
@Injectable()
export class RatesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
  ) {}

  async list(): Promise<RateDto[]> {
    const rows: RateRow[] = await this.dataSource.query(
      `SELECT f.code AS "from", t.code AS "to", r.rate::text AS rate, r.updated_at
         FROM rates r JOIN assets f ON f.id = r.from_asset_id JOIN assets t ON t.id = r.to_asset_id
        ORDER BY f.id, t.id`,
    );
    return rows.map(present);
  }

  async put(fromCode: string, toCode: string, dto: PutRateDto): Promise<RateDto> {
    const [from, to] = await this.pair(fromCode, toCode);
    const rate = parseRate(dto.rate);
    assert(rate !== null, 'the DTO validated the rate');
    // Stored in canonical form, so GET answers "0.01" for a PUT of "0.0100".
    const [row]: Array<Omit<RateRow, 'from' | 'to'>> = await this.dataSource.query(
      `INSERT INTO rates (from_asset_id, to_asset_id, rate) VALUES ($1, $2, $3::numeric)
       ON CONFLICT (from_asset_id, to_asset_id) DO UPDATE SET rate = EXCLUDED.rate, updated_at = now()
       RETURNING rate::text AS rate, updated_at`,
      [from.id, to.id, formatRate(rate)],
    );
    return present({ from: from.code, to: to.code, ...row });
  }

  async remove(fromCode: string, toCode: string): Promise<void> {
    const [from, to] = await this.pair(fromCode, toCode);
    const [, deleted]: [unknown, number] = await this.dataSource.query(
      'DELETE FROM rates WHERE from_asset_id = $1 AND to_asset_id = $2',
      [from.id, to.id],
    );
    if (deleted === 0) throw new NotFoundError('Rate');
  }

  private async pair(fromCode: string, toCode: string): Promise<[Asset, Asset]> {
    if (fromCode === toCode) {
      throw new ValidationFailedError('A rate needs two different assets', [{ field: 'to', message: 'must differ from from' }]);
    }
    return [await this.directory.asset(fromCode), await this.directory.asset(toCode)];
  }
}

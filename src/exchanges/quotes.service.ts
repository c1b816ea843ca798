import { Inject, Injectable } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { DataSource } from 'typeorm';
import { AmountTooSmallError, DomainError, LedgerDirectory, MONEY_MAX, RateNotFoundError, toJsonNumber, ValidationFailedError } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CreateQuoteDto, QuoteDto } from './dto/quote.dto';
import { convertAmount, parseRate } from './rate-math';

/** Quotes: a rate and both amounts fixed for QUOTE_TTL_SECONDS, for the caller only. */
@Injectable()
export class QuotesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(caller: AuthUser, dto: CreateQuoteDto): Promise<QuoteDto> {
    if (dto.fromAsset === dto.toAsset) {
      throw new ValidationFailedError('A quote needs two different assets', [{ field: 'toAsset', message: 'must differ from fromAsset' }]);
    }
    const from = await this.directory.asset(dto.fromAsset);
    const to = await this.directory.asset(dto.toAsset);
    const [found]: Array<{ rate: string }> = await this.dataSource.query(
      'SELECT rate::text AS rate FROM rates WHERE from_asset_id = $1 AND to_asset_id = $2',
      [from.id, to.id],
    );
    if (found === undefined) throw new RateNotFoundError(from.code, to.code);
    const rate = parseRate(found.rate);
    assert(rate !== null, `rates.rate ${found.rate} passed the table's checks but not parseRate`);
    const fromAmount = BigInt(dto.fromAmount);
    const toAmount = convertAmount(fromAmount, rate, from.scale, to.scale);
    if (toAmount < 1n) throw new AmountTooSmallError(to.code);
    // No wallet could ever be credited with it: the same refusal as a credit past the bound.
    if (toAmount > MONEY_MAX) throw new DomainError('BALANCE_LIMIT', `toAmount would be ${toAmount}, above ${MONEY_MAX}`);
    const [row]: Array<{ id: string; expires_at: Date; created_at: Date }> = await this.dataSource.query(
      `INSERT INTO quotes (user_id, from_asset_id, to_asset_id, from_amount, to_amount, rate, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6::numeric, now() + make_interval(secs => $7))
       RETURNING id, expires_at, created_at`,
      [caller.id, from.id, to.id, fromAmount.toString(), toAmount.toString(), found.rate, this.config.quoteTtlSeconds],
    );
    return {
      id: row.id,
      fromAsset: from.code,
      toAsset: to.code,
      fromAmount: dto.fromAmount,
      toAmount: toJsonNumber(toAmount),
      rate: found.rate,
      expiresAt: row.expires_at.toISOString(),
      createdAt: row.created_at.toISOString(),
    };
  }
}

import { Injectable } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import {
  IdempotentRequest,
  IdempotentResult,
  InsufficientFundsError,
  LedgerTransaction,
  Movement,
  NotFoundError,
  PostingEngine,
  QuoteExpiredError,
  QuoteUsedError,
} from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CreateExchangeDto } from './dto/exchange.dto';

interface QuoteRow {
  id: string;
  user_id: string;
  from_asset: string;
  to_asset: string;
  from_amount: string;
  to_amount: string;
  transaction_id: string | null;
  expired: boolean;
}

/**
 * Locks the quote, so that two exchanges of one quote take turns and the second one sees it
 * used. Expiry is judged by now(): the transaction's start, the time the engine stamps on it.
 */
const QUOTE_SQL = `
  SELECT q.id, q.user_id, f.code AS from_asset, t.code AS to_asset, q.from_amount, q.to_amount, q.transaction_id,
         q.expires_at <= now() AS expired
    FROM quotes q JOIN assets f ON f.id = q.from_asset_id JOIN assets t ON t.id = q.to_asset_id
   WHERE q.id = $1
     FOR UPDATE OF q`;

/** The database's guard (migration 1764200000000) refuses a second marking whatever this code does. */
const MARK_USED_SQL = 'UPDATE quotes SET transaction_id = $2 WHERE id = $1 AND transaction_id IS NULL';

/** Exchanges: one EXCHANGE transaction of two postings through the TREASURY wallets of both assets. */
@Injectable()
export class ExchangesService {
  constructor(private readonly engine: PostingEngine) {}

  exchange(caller: AuthUser, dto: CreateExchangeDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const [quote]: QuoteRow[] = await tx.queryRunner.query(QUOTE_SQL, [dto.quoteId.toLowerCase()]);
      if (quote === undefined || quote.user_id !== caller.id) throw new NotFoundError('Quote');
      if (quote.transaction_id !== null) throw new QuoteUsedError();
      if (quote.expired) throw new QuoteExpiredError();
      const movement = await this.movement(tx, caller, quote, dto);
      // Refusals (funds, balance bounds) first, while the quote is untouched: a refused exchange
      // commits its stored refusal, and the quote must stay usable. The engine prepares again.
      tx.prepare(movement);
      const [, marked]: [unknown, number] = await tx.queryRunner.query(MARK_USED_SQL, [quote.id, movement.id]);
      assert.equal(marked, 1, `quote ${quote.id} is locked by this transaction and was unused`);
      return movement;
    });
  }

  /** Caller → TREASURY of fromAsset for fromAmount, then TREASURY of toAsset → caller for toAmount. */
  private async movement(tx: LedgerTransaction, caller: AuthUser, quote: QuoteRow, dto: CreateExchangeDto): Promise<Movement> {
    const [from, to] = [await tx.asset(quote.from_asset), await tx.asset(quote.to_asset)];
    const [payer, fromTreasury, toTreasury, payee] = await tx.lockSides([
      { asset: from, endpoint: { user: caller.id, createIfMissing: false } },
      { asset: from, endpoint: { system: 'TREASURY' } },
      { asset: to, endpoint: { system: 'TREASURY' } },
      { asset: to, endpoint: { user: caller.id, createIfMissing: true } },
    ]);
    // No wallet of fromAsset yet: a balance of 0 cannot pay.
    if (payer === undefined) throw new InsufficientFundsError(from.code);
    assert(fromTreasury !== undefined && toTreasury !== undefined && payee !== undefined, 'treasuries exist and the caller can hold toAsset');
    return {
      id: randomUUID(),
      type: 'EXCHANGE',
      postings: [
        { asset: from, amount: BigInt(quote.from_amount), from: payer, to: fromTreasury },
        { asset: to, amount: BigInt(quote.to_amount), from: toTreasury, to: payee },
      ],
      description: dto.description ?? null,
      metadata: dto.metadata,
    };
  }
}

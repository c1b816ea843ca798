import { Injectable } from '@nestjs/common';
import {
  AlreadyReversedError,
  IdempotentRequest,
  IdempotentResult,
  MovementType,
  NotFoundError,
  PostingEngine,
  RecipientNotFoundError,
  SameWalletError,
  ValidationFailedError,
} from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CreateReversalDto, CreateSpendDto, CreateTopUpDto, CreateTransferDto } from './dto/movement.dto';

/** Every API money movement: each one is a single posting-engine call. */
@Injectable()
export class TransfersService {
  constructor(private readonly engine: PostingEngine) {}

  transfer(caller: AuthUser, dto: CreateTransferDto, request: IdempotentRequest): Promise<IdempotentResult> {
    if ((dto.toUserId === undefined) === (dto.toEmail === undefined)) {
      throw new ValidationFailedError('Give exactly one of toUserId and toEmail', [
        { field: 'toUserId', message: 'exactly one of toUserId and toEmail is required' },
      ]);
    }
    return this.engine.post(request, async (tx) => {
      const asset = await tx.asset(dto.asset);
      const toUserId = dto.toUserId?.toLowerCase() ?? (await tx.userIdByEmail(dto.toEmail as string));
      if (toUserId === null) throw new RecipientNotFoundError();
      if (toUserId === caller.id) throw new SameWalletError();
      const { from, to } = await tx.lock(asset, { user: caller.id, createIfMissing: false }, { user: toUserId, createIfMissing: true });
      return { type: 'TRANSFER', asset, amount: BigInt(dto.amount), from, to, description: dto.description ?? null };
    });
  }

  /** SPEND pays the asset's REVENUE wallet; WITHDRAWAL returns the money to its TREASURY. */
  payOut(type: 'SPEND' | 'WITHDRAWAL', caller: AuthUser, dto: CreateSpendDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const asset = await tx.asset(dto.asset);
      const system = type === 'SPEND' ? 'REVENUE' : 'TREASURY';
      const { from, to } = await tx.lock(asset, { user: caller.id, createIfMissing: false }, { system });
      return { type, asset, amount: BigInt(dto.amount), from, to, description: dto.description ?? null };
    });
  }

  /** TOP_UP and BONUS: the TREASURY issues money to a user (admins only). */
  issue(type: Extract<MovementType, 'TOP_UP' | 'BONUS'>, dto: CreateTopUpDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const asset = await tx.asset(dto.asset);
      const { from, to } = await tx.lock(asset, { system: 'TREASURY' }, { user: dto.userId.toLowerCase(), createIfMissing: true });
      return { type, asset, amount: BigInt(dto.amount), from, to, description: dto.description ?? null };
    });
  }

  /** Moves the original's amount back from its credited wallet to its debited one, once. */
  reverse(transactionId: string, dto: CreateReversalDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const [original] = await tx.queryRunner.query(
        `SELECT t.id, a.code AS asset, t.amount, t.from_wallet_id, t.to_wallet_id FROM transactions t
           JOIN assets a ON a.id = t.asset_id WHERE t.id = $1`,
        [transactionId],
      );
      if (original === undefined) throw new NotFoundError('Transaction');
      const asset = await tx.asset(original.asset);
      const { from, to } = await tx.lock(asset, { walletId: String(original.to_wallet_id) }, { walletId: String(original.from_wallet_id) });
      // Checked after the lock: a concurrent reversal holds the same two wallets, so it has committed by now.
      const reversed: unknown[] = await tx.queryRunner.query('SELECT 1 FROM transactions WHERE reversal_of = $1', [transactionId]);
      if (reversed.length > 0) throw new AlreadyReversedError();
      return { type: 'REVERSAL', asset, amount: BigInt(original.amount), from, to, description: dto.reason, reversalOf: original.id };
    });
  }
}

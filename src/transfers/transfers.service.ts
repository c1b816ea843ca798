import { Injectable } from '@nestjs/common';
import {
  AlreadyReversedError,
  HOLD_STEP_TYPES,
  IdempotentRequest,
  IdempotentResult,
  LedgerTransaction,
  MovementType,
  NotFoundError,
  NotReversibleError,
  onePosting,
  Posting,
  PostingEngine,
  PostingRow,
  POSTINGS_OF_SQL,
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
      const wallets = await tx.lock(asset, { user: caller.id, createIfMissing: false }, { user: toUserId, createIfMissing: true });
      return onePosting('TRANSFER', asset, BigInt(dto.amount), wallets, details(dto));
    });
  }

  /** SPEND pays the asset's REVENUE wallet; WITHDRAWAL returns the money to its TREASURY. */
  payOut(type: 'SPEND' | 'WITHDRAWAL', caller: AuthUser, dto: CreateSpendDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const asset = await tx.asset(dto.asset);
      const system = type === 'SPEND' ? 'REVENUE' : 'TREASURY';
      const wallets = await tx.lock(asset, { user: caller.id, createIfMissing: false }, { system });
      return onePosting(type, asset, BigInt(dto.amount), wallets, details(dto));
    });
  }

  /** TOP_UP and BONUS: the TREASURY issues money to a user (admins only). */
  issue(type: Extract<MovementType, 'TOP_UP' | 'BONUS'>, dto: CreateTopUpDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const asset = await tx.asset(dto.asset);
      const wallets = await tx.lock(asset, { system: 'TREASURY' }, { user: dto.userId.toLowerCase(), createIfMissing: true });
      return onePosting(type, asset, BigInt(dto.amount), wallets, details(dto));
    });
  }

  /**
   * Moves every posting of the original back (to → from, last posting first), once. Hold
   * steps are undone by voiding the hold, never by a reversal.
   */
  reverse(transactionId: string, dto: CreateReversalDto, request: IdempotentRequest): Promise<IdempotentResult> {
    return this.engine.post(request, async (tx) => {
      const [original] = await tx.queryRunner.query('SELECT id, type FROM transactions WHERE id = $1', [transactionId]);
      if (original === undefined) throw new NotFoundError('Transaction');
      if (HOLD_STEP_TYPES.includes(original.type)) throw new NotReversibleError(original.type);
      const postings = await this.reversedPostings(tx, transactionId);
      // Checked after the lock: a concurrent reversal holds the same wallets, so it has committed by now.
      const reversed: unknown[] = await tx.queryRunner.query('SELECT 1 FROM transactions WHERE reversal_of = $1', [transactionId]);
      if (reversed.length > 0) throw new AlreadyReversedError();
      return { type: 'REVERSAL', postings, description: dto.reason, metadata: dto.metadata, reversalOf: original.id };
    });
  }

  private async reversedPostings(tx: LedgerTransaction, transactionId: string): Promise<Posting[]> {
    const originals: PostingRow[] = await tx.queryRunner.query(POSTINGS_OF_SQL, [[transactionId]]);
    const reversed = originals.reverse();
    const assets = await Promise.all(reversed.map((p) => tx.asset(p.asset)));
    const sides = reversed.flatMap((p, i) => [
      { asset: assets[i], endpoint: { walletId: String(p.to_wallet_id) } },
      { asset: assets[i], endpoint: { walletId: String(p.from_wallet_id) } },
    ]);
    const wallets = await tx.lockSides(sides);
    return reversed.map((p, i) => {
      const [from, to] = [wallets[2 * i], wallets[2 * i + 1]];
      if (from === undefined || to === undefined) throw new Error(`wallets of transaction ${transactionId} vanished`);
      return { asset: assets[i], amount: BigInt(p.amount), from, to };
    });
  }
}

function details(dto: { description?: string; metadata?: Record<string, string> }) {
  return { description: dto.description ?? null, metadata: dto.metadata };
}

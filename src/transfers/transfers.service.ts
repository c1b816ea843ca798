import { Injectable } from '@nestjs/common';
import {
  AlreadyReversedError,
  Asset,
  atPosting,
  DomainError,
  Endpoint,
  InsufficientFundsError,
  Side,
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
import { CreateMultiLegDto, CreateReversalDto, CreateSpendDto, CreateTopUpDto, CreateTransferDto, PartyRefDto, PostingInputDto } from './dto/movement.dto';

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
   * A multi-leg transaction: every posting resolved, all wallets locked in one ascending-id
   * statement, postings checked in order; any refusal refuses all, naming its posting.
   */
  multiLeg(caller: AuthUser, dto: CreateMultiLegDto, request: IdempotentRequest): Promise<IdempotentResult> {
    dto.postings.forEach((posting, i) => checkPostingInput(caller, posting, i));
    return this.engine.post(request, async (tx) => {
      const assets: Asset[] = [];
      const sides: Side[] = [];
      for (const [i, p] of dto.postings.entries()) {
        const asset = await tx.asset(p.asset).catch((error: unknown) => {
          throw error instanceof DomainError ? atPosting(error, i) : error;
        });
        const from = p.from === undefined ? { user: caller.id, createIfMissing: false } : await endpointOf(tx, p.from, false, i);
        const to = await endpointOf(tx, p.to, true, i);
        if (isSameEndpoint(from, to)) throw atPosting(new SameWalletError(), i);
        assets.push(asset);
        sides.push({ asset, endpoint: from }, { asset, endpoint: to });
      }
      const wallets = await tx.lockSides(sides);
      const postings = dto.postings.map((p, i): Posting => {
        const [from, to] = [wallets[2 * i], wallets[2 * i + 1]];
        if (to === undefined) throw atPosting(new RecipientNotFoundError(), i);
        // A payer without a wallet for the asset has a balance of 0.
        if (from === undefined) throw atPosting(new InsufficientFundsError(p.asset), i);
        return { asset: assets[i], amount: BigInt(p.amount), from, to };
      });
      return { type: 'MULTI_LEG', postings, description: dto.description ?? null, metadata: dto.metadata };
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

/** Who may name what (docs/api.md "Multi-leg transactions"); a breach is a 400 before anything is locked. */
function checkPostingInput(caller: AuthUser, posting: PostingInputDto, i: number): void {
  const refuse = (field: string, message: string) => {
    throw new ValidationFailedError(`postings[${i}].${field} ${message}`, [{ field: `postings.${i}.${field}`, message }]);
  };
  for (const [field, party] of [['from', posting.from], ['to', posting.to]] as const) {
    if (party === undefined) continue;
    const named = [party.userId, party.email, party.system].filter((v) => v !== undefined).length;
    if (named !== 1) refuse(field, 'must give exactly one of userId, email and system');
  }
  if (posting.to.system === 'HOLDING' || posting.from?.system === 'HOLDING') refuse('to', 'cannot name HOLDING: use holds');
  if (caller.role === 'admin') {
    if (posting.from === undefined) refuse('from', 'is required for an admin');
    return;
  }
  if (posting.from !== undefined) refuse('from', 'must not be given: a user pays from their own wallet');
  if (posting.to.system !== undefined && posting.to.system !== 'REVENUE') refuse('to', 'may name REVENUE only among system wallets');
}

async function endpointOf(tx: LedgerTransaction, party: PartyRefDto, isRecipient: boolean, i: number): Promise<Endpoint> {
  if (party.system !== undefined) return { system: party.system };
  const user = await tx.userIdOf(party);
  if (user === null) throw atPosting(new RecipientNotFoundError(), i);
  return { user, createIfMissing: isRecipient };
}

function isSameEndpoint(a: Endpoint, b: Endpoint): boolean {
  if ('user' in a && 'user' in b) return a.user === b.user;
  if ('system' in a && 'system' in b) return a.system === b.system;
  return false;
}

function details(dto: { description?: string; metadata?: Record<string, string> }) {
  return { description: dto.description ?? null, metadata: dto.metadata };
}

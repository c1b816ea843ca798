import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import {
  Asset,
  CaptureExceedsHoldError,
  InsufficientFundsError,
  EventDraft,
  EventType,
  HoldResolution,
  IdempotentRequest,
  IdempotentResult,
  LedgerTransaction,
  LockedHold,
  LockedWallet,
  moneyJson,
  Movement,
  NewHold,
  NotFoundError,
  Posting,
  PostedTransaction,
  PostingEngine,
  RecipientNotFoundError,
  SameWalletError,
  ValidationFailedError,
} from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { checkExpiry, checkResolvable } from './hold-rules';
import { CursorCodec, Page, toPage } from '../common/pagination';
import { CaptureHoldDto, CreateHoldDto, HOLD_TTL_SECONDS_DEFAULT, HoldDto, HoldQuery, VoidHoldDto } from './dto/hold.dto';
import { HOLD_COLUMNS, HoldRow, presentHold } from './hold.presenter';

const HOLDS_CURSOR = new CursorCodec('holds', ['timestamp', 'uuid']);

const HOLD_SQL = `SELECT ${HOLD_COLUMNS} FROM holds h JOIN assets a ON a.id = h.asset_id WHERE h.id = $1`;

/** Holds where the caller pays or receives, newest first: each side walks its own index. */
function side(column: 'payer_user_id' | 'recipient_user_id'): string {
  return `(SELECT h.id, h.created_at FROM holds h
            WHERE h.${column} = $1 AND ($2::text IS NULL OR h.status = $2)
              AND ($3::timestamptz IS NULL OR (h.created_at, h.id) < ($3::timestamptz, $4::uuid))
            ORDER BY h.created_at DESC, h.id DESC LIMIT $5)`;
}

const LIST_SQL = `
  WITH page AS (${side('payer_user_id')} UNION ${side('recipient_user_id')} ORDER BY created_at DESC, id DESC LIMIT $5)
  SELECT ${HOLD_COLUMNS} FROM page JOIN holds h ON h.id = page.id JOIN assets a ON a.id = h.asset_id
   ORDER BY h.created_at DESC, h.id DESC`;

/** The oldest PENDING hold past its expiry that no other sweeper (any instance) holds. */
const NEXT_EXPIRED_SQL = `
  SELECT id FROM holds WHERE status = 'PENDING' AND expires_at <= now()
   ORDER BY expires_at LIMIT 1 FOR UPDATE SKIP LOCKED`;

/**
 * Holds: money moved from the payer into the asset's HOLDING wallet (a HOLD transaction),
 * then captured to the recipient or released back (HOLD_CAPTURE, HOLD_RELEASE). Every step
 * is one posting-engine call; the hold row is locked before the wallets, always in that order.
 */
@Injectable()
export class HoldsService {
  constructor(
    private readonly engine: PostingEngine,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  create(caller: AuthUser, dto: CreateHoldDto, request: IdempotentRequest): Promise<IdempotentResult> {
    checkExpiry(dto.expiresInSeconds ?? HOLD_TTL_SECONDS_DEFAULT, this.config.holdExpirySecondsMin);
    const named = [dto.toUserId, dto.toEmail, dto.toSystem].filter((r) => r !== undefined).length;
    if (named !== 1) {
      throw new ValidationFailedError('Give exactly one of toUserId, toEmail and toSystem', [
        { field: 'toUserId', message: 'exactly one of toUserId, toEmail and toSystem is required' },
      ]);
    }
    let hold: NewHold;
    return this.engine.post(
      request,
      async (tx) => {
        const asset = await tx.asset(dto.asset);
        const amount = BigInt(dto.amount);
        const [payer, holding, recipient] = await this.lockForHold(tx, caller, asset, dto);
        if (payer === undefined) throw new InsufficientFundsError(asset.code);
        hold = {
          id: randomUUID(),
          assetId: asset.id,
          amount,
          payerUserId: caller.id,
          payerWalletId: payer.id,
          recipientUserId: recipient.userId,
          recipientSystemCode: recipient.systemCode === 'REVENUE' ? 'REVENUE' : null,
          recipientWalletId: recipient.id,
          description: dto.description ?? null,
          metadata: dto.metadata ?? {},
          expiresInSeconds: dto.expiresInSeconds ?? HOLD_TTL_SECONDS_DEFAULT,
        };
        const postings: Posting[] = [{ asset, amount, from: payer, to: holding }];
        return { type: 'HOLD', postings, description: hold.description, metadata: dto.metadata, holdId: hold.id, hold: { create: hold } };
      },
      {
        respond: (posted) => presentNewHold(hold, posted.postings[0].asset, posted.id, posted.createdAt),
        announce: (posted) => [holdEvent('hold.created', presentNewHold(hold, posted.postings[0].asset, posted.id, posted.createdAt))],
      },
    );
  }

  /** Payer's wallet, a HOLDING shard and the recipient's wallet (created if missing, which also proves the user exists). */
  private async lockForHold(tx: LedgerTransaction, caller: AuthUser, asset: Asset, dto: CreateHoldDto) {
    if (dto.toSystem === 'REVENUE') {
      const [payer, holding] = await tx.lockSides([
        { asset, endpoint: { user: caller.id, createIfMissing: false } },
        { asset, endpoint: { system: 'HOLDING' } },
      ]);
      const revenue = await tx.systemWalletId(asset, 'REVENUE');
      const recipient = { id: revenue, userId: null, systemCode: 'REVENUE' } as const;
      return [payer, holding as LockedWallet, recipient] as const;
    }
    const recipientId = await tx.userIdOf({ userId: dto.toUserId, email: dto.toEmail });
    if (recipientId === null) throw new RecipientNotFoundError();
    if (recipientId === caller.id) throw new SameWalletError();
    const [payer, holding, recipient] = await tx.lockSides([
      { asset, endpoint: { user: caller.id, createIfMissing: false } },
      { asset, endpoint: { system: 'HOLDING' } },
      { asset, endpoint: { user: recipientId, createIfMissing: true } },
    ]);
    if (recipient === undefined) throw new RecipientNotFoundError();
    return [payer, holding as LockedWallet, recipient] as const;
  }

  capture(caller: AuthUser, id: string, dto: CaptureHoldDto, request: IdempotentRequest): Promise<IdempotentResult> {
    let planned: { hold: LockedHold; resolution: HoldResolution };
    return this.engine.post(
      request,
      async (tx) => {
        const hold = await this.lockPending(tx, caller, id);
        const amount = dto.amount === undefined ? hold.amount : BigInt(dto.amount);
        if (amount > hold.amount) throw new CaptureExceedsHoldError(hold.amount);
        planned = { hold, resolution: { id: hold.id, status: 'CAPTURED', capturedAmount: amount } };
        return { ...(await this.captureMovement(tx, hold, amount)), description: dto.description ?? null, metadata: dto.metadata };
      },
      { announce: (posted) => [resolvedEvent(planned.hold, posted, planned.resolution)] },
    );
  }

  /** HOLDING → recipient for the captured amount and, when less than all was captured, HOLDING → payer for the rest. */
  private async captureMovement(tx: LedgerTransaction, hold: LockedHold, amount: bigint): Promise<Movement> {
    const asset = await tx.asset(hold.asset);
    const [holding, recipient, payer] = (await tx.lockSides([
      { asset, endpoint: { system: 'HOLDING' } },
      { asset, endpoint: hold.recipientSystemCode === 'REVENUE' ? { system: 'REVENUE' } : { walletId: hold.recipientWalletId } },
      { asset, endpoint: { walletId: hold.payerWalletId } },
    ])) as LockedWallet[];
    const postings: Posting[] = [{ asset, amount, from: holding, to: recipient }];
    if (amount < hold.amount) postings.push({ asset, amount: hold.amount - amount, from: holding, to: payer });
    return {
      type: 'HOLD_CAPTURE',
      postings,
      description: null,
      holdId: hold.id,
      hold: { resolve: { id: hold.id, status: 'CAPTURED', capturedAmount: amount } },
    };
  }

  void(caller: AuthUser, id: string, dto: VoidHoldDto, request: IdempotentRequest): Promise<IdempotentResult> {
    let hold: LockedHold;
    return this.engine.post(
      request,
      async (tx) => {
        hold = await this.lockPending(tx, caller, id);
        return this.release(tx, hold, 'VOIDED', dto.reason ?? null, dto.metadata);
      },
      { announce: (posted) => [resolvedEvent(hold, posted, { id: hold.id, status: 'VOIDED', capturedAmount: 0n })] },
    );
  }

  /** Releases one PENDING hold past its expiry, if there is one no other instance is releasing; false when none. */
  async expireNext(): Promise<boolean> {
    return this.engine.transaction(async (tx) => {
      const [next]: Array<{ id: string }> = await tx.queryRunner.query(NEXT_EXPIRED_SQL);
      if (next === undefined) return false;
      const hold = (await tx.lockHold(next.id)) as LockedHold;
      const movement = await this.release(tx, hold, 'EXPIRED', 'hold expired', undefined);
      const posted = tx.prepare(movement);
      await tx.write(posted, movement.hold, undefined, [resolvedEvent(hold, posted, movement.hold.resolve)]);
      return true;
    });
  }

  private async release(tx: LedgerTransaction, hold: LockedHold, status: 'VOIDED' | 'EXPIRED', description: string | null, metadata?: Record<string, string>) {
    const asset = await tx.asset(hold.asset);
    const [holding, payer] = await tx.lockSides([
      { asset, endpoint: { system: 'HOLDING' } },
      { asset, endpoint: { walletId: hold.payerWalletId } },
    ]);
    return {
      type: 'HOLD_RELEASE' as const,
      postings: [{ asset, amount: hold.amount, from: holding as LockedWallet, to: payer as LockedWallet }],
      description,
      metadata,
      holdId: hold.id,
      hold: { resolve: { id: hold.id, status, capturedAmount: 0n } },
    };
  }

  /** Locks the hold, then checks the caller may resolve it now (hold-rules.ts). */
  private async lockPending(tx: LedgerTransaction, caller: AuthUser, id: string): Promise<LockedHold> {
    return checkResolvable(await tx.lockHold(id), caller);
  }


  async get(caller: AuthUser, id: string): Promise<HoldDto> {
    const rows: HoldRow[] = await this.dataSource.query(HOLD_SQL, [id]);
    const row = rows[0];
    const visible = row !== undefined && (caller.role === 'admin' || row.payer_user_id === caller.id || row.recipient_user_id === caller.id);
    if (!visible) throw new NotFoundError('Hold');
    return presentHold(row);
  }

  async list(caller: AuthUser, query: HoldQuery): Promise<Page<HoldDto>> {
    const [at, id] = HOLDS_CURSOR.decode(query.cursor) ?? [null, null];
    const rows: HoldRow[] = await this.dataSource.query(LIST_SQL, [caller.id, query.status ?? null, at, id, query.limit + 1]);
    return toPage(rows, query.limit, presentHold, HOLDS_CURSOR, (row) => [row.cursor_at, row.id]);
  }
}

const RESOLVED_EVENTS = { CAPTURED: 'hold.captured', VOIDED: 'hold.voided', EXPIRED: 'hold.expired' } as const;

function holdEvent(type: EventType, hold: HoldDto): EventDraft {
  return { type, userIds: [hold.payerUserId, ...(hold.recipient.userId === null ? [] : [hold.recipient.userId])], data: hold };
}

/** The `Hold` as the resolving transaction leaves it, announced in that transaction. */
function resolvedEvent(hold: LockedHold, posted: PostedTransaction, { status, capturedAmount }: HoldResolution): EventDraft {
  return holdEvent(RESOLVED_EVENTS[status], {
    id: hold.id,
    status,
    asset: hold.asset,
    amount: moneyJson(hold.amount),
    capturedAmount: moneyJson(capturedAmount),
    payerUserId: hold.payerUserId,
    payerWalletId: Number(hold.payerWalletId),
    recipient: { walletId: Number(hold.recipientWalletId), userId: hold.recipientUserId, systemCode: hold.recipientSystemCode },
    description: hold.description,
    metadata: hold.metadata,
    expiresAt: hold.expiresAt.toISOString(),
    createdAt: hold.createdAt.toISOString(),
    resolvedAt: posted.createdAt.toISOString(),
    transactionIds: [hold.holdTransactionId, posted.id],
  });
}

function presentNewHold(hold: NewHold, asset: string, transactionId: string, createdAt: Date): HoldDto {
  return {
    id: hold.id,
    status: 'PENDING',
    asset,
    amount: moneyJson(hold.amount),
    capturedAmount: 0,
    payerUserId: hold.payerUserId,
    payerWalletId: Number(hold.payerWalletId),
    recipient: { walletId: Number(hold.recipientWalletId), userId: hold.recipientUserId, systemCode: hold.recipientSystemCode },
    description: hold.description,
    metadata: hold.metadata,
    expiresAt: new Date(createdAt.getTime() + hold.expiresInSeconds * 1000).toISOString(),
    createdAt: createdAt.toISOString(),
    resolvedAt: null,
    transactionIds: [transactionId],
  };
}

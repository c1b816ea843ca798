import { TRANSACTION_TYPES, TransactionType } from '../../contract/src';

export const MOVEMENT_TYPES = TRANSACTION_TYPES;
export type MovementType = TransactionType;

/** Hold steps move money in and out of HOLDING: they are undone by a void, never by a reversal. */
export const HOLD_STEP_TYPES: readonly MovementType[] = ['HOLD', 'HOLD_CAPTURE', 'HOLD_RELEASE'];

export const SYSTEM_CODES = ['TREASURY', 'REVENUE', 'HOLDING'] as const;
export type SystemCode = (typeof SYSTEM_CODES)[number];

/** At most this many postings in one transaction (docs/api.md, "Multi-leg transactions"). */
export const POSTINGS_MAX = 25;

/** Free-form string tags of a transaction or hold; validated at the edge, stored as jsonb. */
export type Metadata = Record<string, string>;

export interface Asset {
  id: number;
  code: string;
  name: string;
  scale: number;
}

/** A wallet row locked FOR UPDATE by the current transaction. */
export interface LockedWallet {
  id: string;
  kind: 'USER' | 'SYSTEM';
  userId: string | null;
  systemCode: SystemCode | null;
  assetId: number;
  balance: bigint;
}

/** One side of a posting, before it is resolved to a wallet row. */
export type Endpoint = { user: string; createIfMissing: boolean } | { system: SystemCode } | { walletId: string };

/** One amount of one asset from one locked wallet to another. */
export interface Posting {
  asset: Asset;
  amount: bigint;
  from: LockedWallet;
  to: LockedWallet;
}

/** What a caller hands the engine: postings applied in order, atomically, and what describes them. */
export interface Movement {
  /**
   * The transaction's id, when the caller must write it elsewhere in the same database
   * transaction before the engine writes the transaction (an exchange marks its quote with it).
   */
  id?: string;
  type: MovementType;
  postings: Posting[];
  description: string | null;
  metadata?: Metadata;
  holdId?: string;
  hold?: HoldChange;
  batchId?: string;
  batchRow?: number;
  reversalOf?: string;
}

/** A side of a posting as the API shows it. */
export interface Party {
  walletId: string;
  userId: string | null;
  systemCode: SystemCode | null;
}

export interface PostingFields {
  from: Party;
  to: Party;
  asset: string;
  amount: bigint;
}

/** What a `transactions` row and its entries say, as the API presents it. */
export interface TransactionFields {
  id: string;
  type: MovementType;
  postings: PostingFields[];
  description: string | null;
  metadata: Metadata;
  holdId: string | null;
  batchId: string | null;
  reversalOf: string | null;
  createdAt: Date;
}

/** A ledger entry computed by `prepare`: its wallet's balance right after it. */
export interface PostedEntry {
  wallet: LockedWallet;
  posting: number;
  direction: 'DEBIT' | 'CREDIT';
  amount: bigint;
  balanceAfter: bigint;
}

/** A movement whose balances were checked and computed, ready to be written. */
export interface PostedTransaction extends TransactionFields {
  batchRow: number | null;
  entries: PostedEntry[];
  /** Each touched wallet's balance once the whole transaction is applied. */
  balancesAfter: Map<LockedWallet, bigint>;
}

export function partyOf(wallet: LockedWallet): Party {
  return { walletId: wallet.id, userId: wallet.userId, systemCode: wallet.systemCode };
}

export type HoldStatus = 'PENDING' | 'CAPTURED' | 'VOIDED' | 'EXPIRED';

/** Who pays and who receives a hold, and what describes it. */
export interface HoldParties {
  id: string;
  amount: bigint;
  payerUserId: string;
  payerWalletId: string;
  recipientUserId: string | null;
  recipientSystemCode: 'REVENUE' | null;
  recipientWalletId: string;
  description: string | null;
  metadata: Metadata;
}

/** A hold as its HOLD transaction creates it. */
export interface NewHold extends HoldParties {
  assetId: number;
  expiresInSeconds: number;
}

/** How a HOLD_CAPTURE or HOLD_RELEASE transaction resolves its hold. */
export interface HoldResolution {
  id: string;
  status: Exclude<HoldStatus, 'PENDING'>;
  capturedAmount: bigint;
}

/** What a hold step writes to `holds`, in the same database transaction as its postings. */
export type HoldChange = { create: NewHold } | { resolve: HoldResolution };

/** The v1 shape: one amount of one asset between two locked wallets. */
export function onePosting(
  type: MovementType,
  asset: Asset,
  amount: bigint,
  wallets: { from: LockedWallet; to: LockedWallet },
  details: Omit<Movement, 'type' | 'postings'>,
): Movement {
  return { type, postings: [{ asset, amount, from: wallets.from, to: wallets.to }], ...details };
}

export const EVENT_TYPES = ['transaction.created', 'hold.created', 'hold.captured', 'hold.voided', 'hold.expired', 'batch.completed'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** An event written in the same database transaction as the change it describes. */
export interface EventDraft {
  type: EventType;
  /** The users whose feed shows it. */
  userIds: string[];
  data: unknown;
}

export const MOVEMENT_TYPES = ['TRANSFER', 'SPEND', 'WITHDRAWAL', 'TOP_UP', 'BONUS', 'REVERSAL', 'BATCH_PAYOUT'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];

export type SystemCode = 'TREASURY' | 'REVENUE';

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
  balance: bigint;
}

/** One side of a movement, before it is resolved to a wallet row. */
export type Endpoint =
  | { user: string; createIfMissing: boolean }
  | { system: SystemCode }
  | { walletId: string };

export interface Movement {
  type: MovementType;
  asset: Asset;
  amount: bigint;
  from: LockedWallet;
  to: LockedWallet;
  description: string | null;
  batchId?: string;
  batchRow?: number;
  reversalOf?: string;
}

/** What a `transactions` row says, as the API presents it. */
export interface TransactionFields {
  id: string;
  type: MovementType;
  asset: string;
  amount: bigint;
  fromWalletId: string;
  toWalletId: string;
  fromUserId: string | null;
  toUserId: string | null;
  description: string | null;
  batchId: string | null;
  reversalOf: string | null;
  createdAt: Date;
}

/** A movement whose balances were checked and computed, ready to be written. */
export interface PostedTransaction extends TransactionFields {
  assetId: number;
  batchRow: number | null;
  fromBalanceAfter: bigint;
  toBalanceAfter: bigint;
}

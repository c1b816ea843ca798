export type Role = 'user' | 'admin';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
  errors?: unknown;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface LoginResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface Asset {
  code: string;
  name: string;
  scale: number;
}

export interface Wallet {
  id: number;
  asset: string;
  ownerId: string | null;
  kind: 'USER' | 'SYSTEM';
  systemCode?: 'TREASURY' | 'REVENUE' | 'HOLDING';
  balance: number;
  held: number;
  updatedAt: string;
}

export interface Entry {
  id: number;
  walletId: number;
  transactionId: string;
  type: string;
  direction: 'DEBIT' | 'CREDIT';
  amount: number;
  /** null in a transaction's entries for a wallet the caller does not own (another user's balance is private). */
  balanceAfter: number | null;
  createdAt: string;
}

export const TRANSACTION_TYPES = [
  'TRANSFER',
  'SPEND',
  'WITHDRAWAL',
  'TOP_UP',
  'BONUS',
  'REVERSAL',
  'BATCH_PAYOUT',
  'MULTI_LEG',
  'EXCHANGE',
  'HOLD',
  'HOLD_CAPTURE',
  'HOLD_RELEASE',
] as const;

export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export interface Party {
  walletId: number;
  userId: string | null;
  systemCode: 'TREASURY' | 'REVENUE' | 'HOLDING' | null;
}

export interface Posting {
  from: Party;
  to: Party;
  asset: string;
  amount: number;
}

/** The six single-posting fields are null when the transaction has several postings. */
export interface Transaction {
  id: string;
  type: TransactionType;
  status: 'COMPLETED';
  asset: string | null;
  amount: number | null;
  fromWalletId: number | null;
  toWalletId: number | null;
  fromUserId: string | null;
  toUserId: string | null;
  description: string | null;
  batchId: string | null;
  reversalOf: string | null;
  createdAt: string;
  postings: Posting[];
  metadata: Record<string, string>;
  holdId: string | null;
}

export interface TransactionDetail extends Transaction {
  entries: Entry[];
}

export type BatchStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS';

export interface Batch {
  id: string;
  status: BatchStatus;
  asset: string;
  fileName: string;
  itemCount: number;
  processedCount: number;
  succeededCount: number;
  failedCount: number;
  totalAmount: number;
  succeededAmount: number;
  createdAt: string;
  completedAt: string | null;
}

export interface BatchItem {
  row: number;
  recipient: string;
  amount: number | null;
  reference: string | null;
  status: 'PENDING' | 'SUCCEEDED' | 'FAILED';
  errorCode: string | null;
  errorMessage: string | null;
  transactionId: string | null;
}

export interface ReconciliationProblem {
  invariant: string;
  detail: string;
}

export interface Reconciliation {
  ok: boolean;
  checkedAt: string;
  wallets: number;
  transactions: number;
  problems: ReconciliationProblem[];
}

export const TRANSACTION_TYPE_LABELS: Record<TransactionType, string> = {
  TRANSFER: 'Transfer',
  SPEND: 'Spend',
  WITHDRAWAL: 'Withdrawal',
  TOP_UP: 'Top-up',
  BONUS: 'Bonus',
  REVERSAL: 'Reversal',
  BATCH_PAYOUT: 'Batch payout',
  MULTI_LEG: 'Split payment',
  EXCHANGE: 'Exchange',
  HOLD: 'Hold',
  HOLD_CAPTURE: 'Hold captured',
  HOLD_RELEASE: 'Hold released',
};

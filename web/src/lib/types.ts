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
  systemCode?: 'TREASURY' | 'REVENUE';
  balance: number;
  updatedAt: string;
}

export interface Entry {
  id: number;
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
] as const;

export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export interface Transaction {
  id: string;
  type: TransactionType;
  status: 'COMPLETED';
  asset: string;
  amount: number;
  fromWalletId: number;
  toWalletId: number;
  fromUserId: string | null;
  toUserId: string | null;
  description: string | null;
  batchId: string | null;
  reversalOf: string | null;
  createdAt: string;
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
};

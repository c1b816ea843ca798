/**
 * The API's response shapes, declared once: the server's presenters and DTO classes implement them (so the
 * compiler checks that they agree), the console and libs/client import them. Plain types, no runtime code.
 * Money is a JSON number of minor units (at most 2^53 - 1); read it into a bigint before doing arithmetic.
 */

export type Role = 'user' | 'admin';
export type AccountStatus = 'ACTIVE' | 'DISABLED';
export type SystemCode = 'TREASURY' | 'REVENUE' | 'HOLDING';
/** Every transaction type, in the order lists show them: the one list the server and the console share. */
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
export type HoldStatus = 'PENDING' | 'CAPTURED' | 'VOIDED' | 'EXPIRED';
export type EventType = 'transaction.created' | 'hold.created' | 'hold.captured' | 'hold.voided' | 'hold.expired' | 'batch.completed';
export type BatchStatus = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'COMPLETED_WITH_ERRORS';
export type BatchItemStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';
export type DeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';
export type Metadata = Record<string, string>;

/** A keyset page: pass nextCursor back as `cursor`; null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface FieldError {
  field: string;
  message: string;
}

/** RFC 9457 problem details (application/problem+json). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  instance?: string;
  /** Which posting of a multi-posting transaction was refused (0-based). */
  posting?: number;
}

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: AccountStatus;
  createdAt: string;
}

export interface Token {
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
  systemCode?: SystemCode;
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

export interface Party {
  walletId: number;
  userId: string | null;
  systemCode: SystemCode | null;
}

export interface Posting {
  from: Party;
  to: Party;
  asset: string;
  amount: number;
}

/** The six single-posting fields (asset … toUserId) are null when the transaction has several postings. */
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
  metadata: Metadata;
  holdId: string | null;
}

export interface TransactionWithEntries extends Transaction {
  entries: Entry[];
}

export interface Hold {
  id: string;
  status: HoldStatus;
  asset: string;
  amount: number;
  capturedAmount: number;
  payerUserId: string;
  payerWalletId: number;
  recipient: Party;
  description: string | null;
  metadata: Metadata;
  expiresAt: string;
  createdAt: string;
  resolvedAt: string | null;
  transactionIds: string[];
}

export interface Rate {
  from: string;
  to: string;
  /** A decimal string ("0.92"), never a JSON number. */
  rate: string;
  updatedAt: string;
}

export interface Quote {
  id: string;
  fromAsset: string;
  toAsset: string;
  fromAmount: number;
  toAmount: number;
  rate: string;
  expiresAt: string;
  createdAt: string;
}

export interface BalanceAt {
  walletId: number;
  asset: string;
  at: string;
  balance: number;
}

export interface Statement {
  walletId: number;
  asset: string;
  from: string;
  to: string;
  openingBalance: number;
  closingBalance: number;
  debits: number;
  credits: number;
  entryCount: number;
}

export interface Event {
  id: string;
  type: EventType;
  createdAt: string;
  data: unknown;
}

export interface Webhook {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  status: 'ENABLED';
  createdAt: string;
}

/** The answer to POST /webhooks: the only time the signing secret is shown. */
export interface CreatedWebhook extends Webhook {
  secret: string;
}

export interface Delivery {
  eventId: string;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  lastResponseStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
}

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
  status: BatchItemStatus;
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

import type { AccountStatus, BatchItemStatus, EventType, HoldStatus, Metadata, Role, SystemCode, TransactionType } from '../../contract/src';

/** Request bodies and filters, as the service validates them (amounts in minor units). */

export interface Described {
  description?: string;
  metadata?: Metadata;
}

export interface MovementInput extends Described {
  asset: string;
  amount: number;
}

export interface TransferInput extends MovementInput {
  toUserId?: string;
  toEmail?: string;
}

export interface TopUpInput extends MovementInput {
  userId: string;
}

export interface PartyRef {
  userId?: string;
  email?: string;
  system?: SystemCode;
}

export interface PostingInput {
  /** Default: the caller. */
  from?: PartyRef;
  to: PartyRef;
  asset: string;
  amount: number;
}

export interface MultiLegInput extends Described {
  postings: PostingInput[];
}

export interface HoldInput extends MovementInput {
  toUserId?: string;
  toEmail?: string;
  toSystem?: 'REVENUE';
  expiresInSeconds?: number;
}

export interface CaptureInput extends Described {
  /** Default: all of the held amount. */
  amount?: number;
}

export interface VoidInput {
  reason?: string;
  metadata?: Metadata;
}

export interface QuoteInput {
  fromAsset: string;
  toAsset: string;
  fromAmount: number;
}

export interface ExchangeInput extends Described {
  quoteId: string;
}

export interface WebhookInput {
  url: string;
  events: Array<EventType | '*'>;
  description?: string;
}

export interface UserUpdate {
  role?: Role;
  status?: AccountStatus;
}

export interface PageFilter {
  limit?: number;
}

export interface TransactionFilter extends PageFilter {
  type?: TransactionType;
  asset?: string;
}

export interface HoldFilter extends PageFilter {
  status?: HoldStatus;
}

export interface BatchItemFilter extends PageFilter {
  status?: BatchItemStatus;
}

export interface EventFilter extends PageFilter {
  after?: string;
  type?: EventType;
}

export interface FollowOptions extends EventFilter {
  /** How long to wait before asking again once the feed is read to its end. */
  pollMs?: number;
  /** Stops following (checked between polls). */
  signal?: AbortSignal;
}

/** One intended action: pass the same key to send the same action again after a failure the client gave up on. */
export interface WriteOptions {
  idempotencyKey?: string;
}

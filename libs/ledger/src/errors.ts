/**
 * Domain errors carry a stable code; only the HTTP layer turns codes into statuses
 * (src/common/problem/problem.ts). Services never throw HttpException.
 */
export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'IDEMPOTENCY_KEY_REQUIRED'
  | 'UNAUTHENTICATED'
  | 'INVALID_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'RECIPIENT_NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'IDEMPOTENCY_KEY_IN_PROGRESS'
  | 'ALREADY_REVERSED'
  | 'INSUFFICIENT_FUNDS'
  | 'SAME_WALLET'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'ASSET_NOT_FOUND'
  | 'BALANCE_LIMIT'
  | 'HOLD_NOT_PENDING'
  | 'CAPTURE_EXCEEDS_HOLD'
  | 'NOT_REVERSIBLE'
  | 'QUOTE_EXPIRED'
  | 'QUOTE_USED'
  | 'RATE_NOT_FOUND'
  | 'AMOUNT_TOO_SMALL'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'TOO_MANY_OPEN_BATCHES'
  | 'OWN_ACCOUNT_LOCKOUT'
  | 'RATE_LIMITED'
  | 'BUSY'
  | 'INTERNAL';

export interface FieldError {
  field: string;
  message: string;
}

export class DomainError extends Error {
  /** The 0-based index of the posting that was refused, for transactions of several postings. */
  posting?: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly fieldErrors?: FieldError[],
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(detail: string, fieldErrors?: FieldError[]) {
    super('VALIDATION_FAILED', detail, fieldErrors);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('NOT_FOUND', `${what} not found`);
  }
}

export class RecipientNotFoundError extends DomainError {
  constructor() {
    super('RECIPIENT_NOT_FOUND', 'The recipient does not exist');
  }
}

export class AssetNotFoundError extends DomainError {
  constructor(asset: string) {
    super('ASSET_NOT_FOUND', `Unknown asset ${asset}`);
  }
}

export class InsufficientFundsError extends DomainError {
  constructor(asset: string) {
    super('INSUFFICIENT_FUNDS', `Not enough ${asset} in the wallet`);
  }
}

export class SameWalletError extends DomainError {
  constructor() {
    super('SAME_WALLET', 'The source and destination wallets are the same');
  }
}

export class BalanceLimitError extends DomainError {
  constructor() {
    super('BALANCE_LIMIT', 'The movement would take a balance past 9007199254740991');
  }
}

export class QuoteExpiredError extends DomainError {
  constructor() {
    super('QUOTE_EXPIRED', 'The quote has expired; ask for a new one');
  }
}

export class QuoteUsedError extends DomainError {
  constructor() {
    super('QUOTE_USED', 'The quote has already been used');
  }
}

export class RateNotFoundError extends DomainError {
  constructor(from: string, to: string) {
    super('RATE_NOT_FOUND', `No rate from ${from} to ${to}`);
  }
}

export class AmountTooSmallError extends DomainError {
  constructor(to: string) {
    super('AMOUNT_TOO_SMALL', `The amount converts to less than one minor unit of ${to}`);
  }
}

export class AlreadyReversedError extends DomainError {
  constructor() {
    super('ALREADY_REVERSED', 'The transaction has already been reversed');
  }
}

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different request');
  }
}

export class IdempotencyKeyInProgressError extends DomainError {
  constructor() {
    super('IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry later');
  }
}

export class TooManyOpenBatchesError extends DomainError {
  constructor(openMax: number) {
    super('TOO_MANY_OPEN_BATCHES', `You already have ${openMax} unfinished batches; upload again when one has completed`);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor(detail: string) {
    super('UNSUPPORTED_MEDIA_TYPE', detail);
  }
}

/** An admin demoting or disabling themself: refused so that the service always keeps an admin. */
export class OwnAccountLockoutError extends DomainError {
  constructor() {
    super('OWN_ACCOUNT_LOCKOUT', 'Administrators cannot change their own role or status; ask another administrator', [
      { field: 'id', message: 'must not be your own account' },
    ]);
  }
}

export class BusyError extends DomainError {
  constructor() {
    super('BUSY', 'The ledger is busy; nothing was applied, retry later');
  }
}

export class HoldNotPendingError extends DomainError {
  constructor(status: string) {
    super('HOLD_NOT_PENDING', `The hold is ${status.toLowerCase()}: it can no longer be captured or voided`);
  }
}

export class CaptureExceedsHoldError extends DomainError {
  constructor(held: bigint) {
    super('CAPTURE_EXCEEDS_HOLD', `The capture is larger than the ${held} held`);
  }
}

export class NotReversibleError extends DomainError {
  constructor(type: string) {
    super('NOT_REVERSIBLE', `A ${type} transaction is a hold step: void the hold instead of reversing it`);
  }
}

/** Marks a refusal with the posting it concerns (docs/api.md: `posting` in the problem body). */
export function atPosting<E extends DomainError>(error: E, posting: number): E {
  error.posting ??= posting;
  return error;
}

/**
 * Refusals that reached the ledger: they are stored with the idempotency key and replayed,
 * so a retry never flips the outcome (docs/api.md, "Idempotency").
 */
export function isStoredRefusal(error: unknown): error is DomainError {
  if (!(error instanceof DomainError)) return false;
  switch (error.code) {
    case 'INSUFFICIENT_FUNDS':
    case 'SAME_WALLET':
    case 'ASSET_NOT_FOUND':
    case 'BALANCE_LIMIT':
    case 'ALREADY_REVERSED':
    case 'RECIPIENT_NOT_FOUND':
    case 'HOLD_NOT_PENDING':
    case 'CAPTURE_EXCEEDS_HOLD':
    case 'NOT_REVERSIBLE':
    case 'QUOTE_USED':
    case 'QUOTE_EXPIRED':
      return true;
    default:
      return false;
  }
}

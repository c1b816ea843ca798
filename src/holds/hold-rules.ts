import { DomainError, HoldNotPendingError, LockedHold, NotFoundError } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';

/**
 * Whether `caller` may capture or void `hold` now; throws the refusal otherwise. The
 * recipient user or an admin may (only an admin for a REVENUE hold, which has no recipient
 * user); the payer sees the hold but may not resolve it (403); anyone else does not see it
 * (404). A hold resolved, or past `expiresAt` by the transaction's time, is no longer pending.
 */
export function checkResolvable(hold: LockedHold | null, caller: AuthUser): LockedHold {
  const isRecipient = hold !== null && hold.recipientUserId === caller.id;
  const isAdmin = caller.role === 'admin';
  if (hold === null || (!isAdmin && !isRecipient && hold.payerUserId !== caller.id)) throw new NotFoundError('Hold');
  if (!isAdmin && !isRecipient) throw new DomainError('FORBIDDEN', 'Only the recipient or an admin may capture or void a hold');
  if (hold.status !== 'PENDING') throw new HoldNotPendingError(hold.status);
  if (hold.expired) throw new HoldNotPendingError('EXPIRED');
  return hold;
}

/** `expiresInSeconds` within [minimum, 30 days]; the minimum is HOLD_EXPIRY_SECONDS_MIN (60 unless configured lower for tests). */
export function checkExpiry(expiresInSeconds: number, minimumSeconds: number): void {
  if (expiresInSeconds < minimumSeconds) {
    throw new DomainError('VALIDATION_FAILED', `expiresInSeconds must be at least ${minimumSeconds}`, [
      { field: 'expiresInSeconds', message: `must be at least ${minimumSeconds}` },
    ]);
  }
}

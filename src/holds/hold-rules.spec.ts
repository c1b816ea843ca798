import { LockedHold } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { checkExpiry, checkResolvable } from './hold-rules';

describe('checkResolvable', () => {
  const hold = (over: Partial<LockedHold> = {}): LockedHold => ({
    id: 'h',
    status: 'PENDING',
    expired: false,
    asset: 'USD',
    amount: 10n,
    payerUserId: 'payer',
    payerWalletId: '1',
    recipientUserId: 'payee',
    recipientSystemCode: null,
    recipientWalletId: '2',
    description: null,
    metadata: {},
    expiresAt: new Date(),
    createdAt: new Date(),
    holdTransactionId: 't',
    ...over,
  });
  const who = (id: string, role: AuthUser['role'] = 'user'): AuthUser => ({ id, email: `${id}@x`, role });

  it('lets the recipient and an admin resolve a pending hold', () => {
    expect(checkResolvable(hold(), who('payee')).id).toBe('h');
    expect(checkResolvable(hold(), who('someone', 'admin')).id).toBe('h');
  });

  it('shows the payer a 403 and anyone else a 404', () => {
    expect(() => checkResolvable(hold(), who('payer'))).toThrow(expect.objectContaining({ code: 'FORBIDDEN' }));
    expect(() => checkResolvable(hold(), who('stranger'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => checkResolvable(null, who('payee', 'admin'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it('leaves a REVENUE hold to admins', () => {
    const revenue = hold({ recipientUserId: null, recipientSystemCode: 'REVENUE' });
    expect(() => checkResolvable(revenue, who('payee'))).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(checkResolvable(revenue, who('a', 'admin')).id).toBe('h');
  });

  it.each(['CAPTURED', 'VOIDED', 'EXPIRED'] as const)('refuses a %s hold, even to an admin', (status) => {
    expect(() => checkResolvable(hold({ status }), who('a', 'admin'))).toThrow(expect.objectContaining({ code: 'HOLD_NOT_PENDING' }));
  });

  it('refuses a pending hold past its expiry (by time, not by the sweeper)', () => {
    expect(() => checkResolvable(hold({ expired: true }), who('payee'))).toThrow(expect.objectContaining({ code: 'HOLD_NOT_PENDING' }));
  });
});

describe('checkExpiry', () => {
  it('enforces the configured minimum', () => {
    expect(() => checkExpiry(59, 60)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => checkExpiry(60, 60)).not.toThrow();
    expect(() => checkExpiry(1, 1)).not.toThrow();
  });
});

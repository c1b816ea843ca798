import { DomainError, ErrorCode, InsufficientFundsError, isStoredRefusal, OwnAccountLockoutError, ValidationFailedError } from './errors';
import { problemFromError, problemOf, statusOf } from './problem';

describe('error mapping', () => {
  it('maps every code of docs/api.md to its status', () => {
    const expected: Array<[ErrorCode, number]> = [
      ['VALIDATION_FAILED', 400], ['IDEMPOTENCY_KEY_REQUIRED', 400], ['UNAUTHENTICATED', 401], ['INVALID_CREDENTIALS', 401],
      ['FORBIDDEN', 403], ['NOT_FOUND', 404], ['RECIPIENT_NOT_FOUND', 404], ['EMAIL_TAKEN', 409],
      ['IDEMPOTENCY_KEY_IN_PROGRESS', 409], ['ALREADY_REVERSED', 409], ['INSUFFICIENT_FUNDS', 422], ['SAME_WALLET', 422],
      ['IDEMPOTENCY_KEY_REUSED', 422], ['ASSET_NOT_FOUND', 422], ['BALANCE_LIMIT', 422], ['RATE_LIMITED', 429], ['BUSY', 503],
      ['QUOTE_EXPIRED', 409], ['QUOTE_USED', 409], ['RATE_NOT_FOUND', 422], ['AMOUNT_TOO_SMALL', 422],
      ['TOO_MANY_OPEN_BATCHES', 409], ['UNSUPPORTED_MEDIA_TYPE', 415],
    ];
    expect(expected.map(([code]) => [code, statusOf(code)])).toEqual(expected);
  });

  it('builds RFC 9457 bodies with field errors only when there are some', () => {
    expect(problemFromError(new InsufficientFundsError('USD'))).toEqual({
      type: 'urn:problem-type:wallet:insufficient-funds',
      title: 'Insufficient funds',
      status: 422,
      detail: 'Not enough USD in the wallet',
      code: 'INSUFFICIENT_FUNDS',
    });
    expect(problemFromError(new ValidationFailedError('bad', [{ field: 'amount', message: 'x' }])).errors).toEqual([{ field: 'amount', message: 'x' }]);
    expect(problemOf('NOT_FOUND', 'x', [])).not.toHaveProperty('errors');
  });

  it('answers an admin changing their own account as a 422 with the code docs/api.md gives it', () => {
    expect(problemFromError(new OwnAccountLockoutError())).toMatchObject({ status: 422, code: 'VALIDATION_FAILED', errors: [{ field: 'id' }] });
  });

  it('stores only refusals that reached the ledger', () => {
    expect(isStoredRefusal(new InsufficientFundsError('USD'))).toBe(true);
    expect(isStoredRefusal(new DomainError('RECIPIENT_NOT_FOUND', 'x'))).toBe(true);
    expect(isStoredRefusal(new DomainError('NOT_FOUND', 'x'))).toBe(false);
    expect(isStoredRefusal(new DomainError('BUSY', 'x'))).toBe(false);
    expect(isStoredRefusal(new Error('x'))).toBe(false);
  });
});

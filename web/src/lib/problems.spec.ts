import type { ApiFailure } from './api';
import { describeFailure, fieldErrors } from './problems';

function failure(code: string, extra: Partial<ApiFailure> = {}, detail = ''): ApiFailure {
  return {
    ok: false,
    status: 422,
    problem: { type: 'about:blank', title: 'Unprocessable', status: 422, code, detail },
    replayed: false,
    retryAfter: null,
    ...extra,
  };
}

describe('describeFailure', () => {
  it('names the asset that is short', () => {
    expect(describeFailure(failure('INSUFFICIENT_FUNDS'), { asset: 'DIAMONDS' }).message).toBe('Not enough DIAMONDS.');
    expect(describeFailure(failure('INSUFFICIENT_FUNDS')).message).toBe('Not enough funds.');
  });

  it('explains recipient and same-wallet refusals', () => {
    expect(describeFailure(failure('RECIPIENT_NOT_FOUND')).message).toBe('There is no user with that email or id.');
    expect(describeFailure(failure('SAME_WALLET')).message).toBe('You cannot send money to yourself.');
  });

  it('uses Retry-After when throttled or busy', () => {
    expect(describeFailure(failure('RATE_LIMITED', { status: 429, retryAfter: 12 })).message).toBe(
      'Too many requests. Try again in 12 seconds.',
    );
    expect(describeFailure(failure('BUSY', { status: 503 })).message).toBe(
      'The service is busy and nothing was applied. Try again in a moment.',
    );
  });

  it('lists field errors of a validation failure', () => {
    const validation = failure('VALIDATION_FAILED', { status: 400 });
    validation.problem.errors = [{ field: 'amount', message: 'must be an integer' }];
    expect(describeFailure(validation)).toEqual({
      message: 'Some values were not accepted.',
      fieldErrors: ['amount: must be an integer'],
    });
  });

  it('falls back to the detail, then the title, for unknown codes', () => {
    expect(describeFailure(failure('SOMETHING_NEW', {}, 'A detail.')).message).toBe('A detail.');
    expect(describeFailure(failure('SOMETHING_NEW')).message).toBe('Unprocessable');
  });
});

describe('fieldErrors', () => {
  it('accepts the common shapes', () => {
    expect(fieldErrors(['amount must be positive'])).toEqual(['amount must be positive']);
    expect(fieldErrors([{ property: 'asset', constraints: { isString: 'asset must be a string' } }])).toEqual([
      'asset: asset must be a string',
    ]);
    expect(fieldErrors([{ pointer: '/amount', detail: 'too large' }])).toEqual(['/amount: too large']);
    expect(fieldErrors({ email: ['is taken', 'is long'] })).toEqual(['email: is taken; is long']);
    expect(fieldErrors(undefined)).toEqual([]);
    expect(fieldErrors([42])).toEqual([]);
  });
});

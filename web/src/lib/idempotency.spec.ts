import type { ApiFailure, ApiResult } from './api';
import { isSettled, isTransient, KeyKeeper, newIdempotencyKey } from './idempotency';

function failure(status: number, code: string): ApiFailure {
  return { ok: false, status, problem: { type: 'about:blank', title: '', status, detail: '', code }, replayed: false, retryAfter: null };
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newIdempotencyKey', () => {
  it('returns distinct UUID v4 strings', () => {
    const a = newIdempotencyKey();
    const b = newIdempotencyKey();
    expect(a).toMatch(UUID_V4);
    expect(a).not.toBe(b);
  });
});

describe('KeyKeeper', () => {
  function keeper() {
    let n = 0;
    return new KeyKeeper(() => `key-${++n}`);
  }

  it('reuses the key while the same action is retried', () => {
    const keys = keeper();
    expect(keys.keyFor('send 5')).toBe('key-1');
    expect(keys.keyFor('send 5')).toBe('key-1');
  });

  it('makes a new key when the form values change', () => {
    const keys = keeper();
    keys.keyFor('send 5');
    expect(keys.keyFor('send 6')).toBe('key-2');
    expect(keys.keyFor('send 5')).toBe('key-3');
  });

  it('makes a new key after the action settled', () => {
    const keys = keeper();
    keys.keyFor('send 5');
    keys.release();
    expect(keys.keyFor('send 5')).toBe('key-2');
  });
});

describe('isTransient and isSettled', () => {
  const success: ApiResult<unknown> = { ok: true, status: 201, data: {}, replayed: false };

  it('settles on success and on stored business refusals', () => {
    expect(isSettled(success)).toBe(true);
    expect(isSettled(failure(422, 'INSUFFICIENT_FUNDS'))).toBe(true);
    expect(isSettled(failure(404, 'RECIPIENT_NOT_FOUND'))).toBe(true);
    expect(isSettled(failure(409, 'ALREADY_REVERSED'))).toBe(true);
  });

  it('keeps the key for answers that stored nothing', () => {
    for (const [status, code] of [
      [0, 'NETWORK_ERROR'],
      [503, 'BUSY'],
      [429, 'RATE_LIMITED'],
      [409, 'IDEMPOTENCY_KEY_IN_PROGRESS'],
      [400, 'VALIDATION_FAILED'],
      [401, 'UNAUTHENTICATED'],
    ] as const) {
      expect(isSettled(failure(status, code))).toBe(false);
    }
  });

  it('marks only retry-worthy failures as transient', () => {
    expect(isTransient(failure(503, 'BUSY'))).toBe(true);
    expect(isTransient(failure(0, 'NETWORK_ERROR'))).toBe(true);
    expect(isTransient(failure(400, 'VALIDATION_FAILED'))).toBe(false);
    expect(isTransient(success)).toBe(false);
  });
});

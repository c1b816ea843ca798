import { backoffMs, isDatabaseUnavailable, isRetryable } from './retry';

describe('retry policy', () => {
  it('retries deadlocks, serialization failures and lock timeouts only', () => {
    expect(['40P01', '40001', '55P03'].map((code) => isRetryable({ code }))).toEqual([true, true, true]);
    expect(['23505', '23514', '57014', undefined].map((code) => isRetryable({ code }))).toEqual([false, false, false, false]);
    expect(isRetryable(new Error('x'))).toBe(false);
  });

  it('waits a jittered, growing, capped time', () => {
    expect(backoffMs(0, 4, 200, () => 0.999)).toBe(3);
    expect(backoffMs(3, 4, 200, () => 0.5)).toBe(16);
    expect(backoffMs(20, 4, 200, () => 0.999)).toBe(199);
    expect(backoffMs(5, 4, 200, () => 0)).toBe(0);
  });
});

describe('isDatabaseUnavailable', () => {
  it('recognises timeouts, overload, shutdown and an exhausted pool', () => {
    for (const code of ['57014', '53300', '57P01', '40P01', 'ECONNREFUSED']) expect(isDatabaseUnavailable({ code })).toBe(true);
    expect(isDatabaseUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isDatabaseUnavailable({ code: '23505' })).toBe(false);
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
  });
});

import { retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  const schedule = [5_000, 30_000, 120_000];

  it('follows the schedule, repeating its last entry', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 9].map((attempt) => retryDelayMs(attempt, schedule, middle))).toEqual([5_000, 30_000, 120_000, 120_000, 120_000]);
  });

  it('spreads each delay over ±20 %', () => {
    expect(retryDelayMs(1, schedule, () => 0)).toBe(4_000);
    expect(retryDelayMs(1, schedule, () => 0.999_999)).toBe(6_000);
  });
});

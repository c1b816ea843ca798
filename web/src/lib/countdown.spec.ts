import { formatRemaining } from './countdown';

describe('formatRemaining', () => {
  const now = Date.parse('2026-12-03T10:00:00Z');

  it('shows the two largest units left, rounding partial seconds up', () => {
    expect(formatRemaining(now + 7 * 86_400_000, now)).toBe('7d 00h');
    expect(formatRemaining(now + 3_900_000, now)).toBe('1h 05m');
    expect(formatRemaining(now + 249_000, now)).toBe('4m 09s');
    expect(formatRemaining(now + 8_001, now)).toBe('9s');
  });

  it('says expired once the time has come', () => {
    expect(formatRemaining(now, now)).toBe('expired');
    expect(formatRemaining(now - 5_000, now)).toBe('expired');
  });
});

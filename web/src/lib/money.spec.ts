import { formatMinor, parseAmount } from './money';

describe('parseAmount', () => {
  it('converts units to minor units exactly', () => {
    expect(parseAmount('12.34', 2)).toEqual({ ok: true, minor: 1234 });
    expect(parseAmount('0.1', 2)).toEqual({ ok: true, minor: 10 });
    expect(parseAmount('19.99', 2)).toEqual({ ok: true, minor: 1999 });
    expect(parseAmount('12', 2)).toEqual({ ok: true, minor: 1200 });
    expect(parseAmount('12.', 2)).toEqual({ ok: true, minor: 1200 });
    expect(parseAmount('.05', 2)).toEqual({ ok: true, minor: 5 });
    expect(parseAmount(' 007 ', 0)).toEqual({ ok: true, minor: 7 });
  });

  it('accepts the largest safe integer and nothing above it', () => {
    expect(parseAmount('9007199254740991', 0)).toEqual({ ok: true, minor: 9007199254740991 });
    expect(parseAmount('90071992547409.91', 2)).toEqual({ ok: true, minor: 9007199254740991 });
    expect(parseAmount('9007199254740992', 0)).toEqual({ ok: false, error: 'The amount is too large.' });
    expect(parseAmount('90071992547409.92', 2).ok).toBe(false);
  });

  it('rejects more decimals than the scale', () => {
    expect(parseAmount('1.234', 2)).toEqual({ ok: false, error: 'Use at most 2 decimal places.' });
    expect(parseAmount('1.5', 0)).toEqual({ ok: false, error: 'Use whole units only, without decimals.' });
  });

  it('rejects zero, negatives, empty and malformed input', () => {
    expect(parseAmount('0', 2)).toEqual({ ok: false, error: 'The amount must be greater than zero.' });
    expect(parseAmount('0.00', 2).ok).toBe(false);
    expect(parseAmount('-1', 2)).toEqual({ ok: false, error: 'The amount must be positive.' });
    expect(parseAmount('', 2)).toEqual({ ok: false, error: 'Enter an amount.' });
    for (const bad of ['.', 'abc', '1e3', '1,000', '+5', '1.2.3', '0x10', '١٢']) {
      expect(parseAmount(bad, 2).ok).toBe(false);
    }
  });
});

describe('formatMinor', () => {
  it('formats by scale', () => {
    expect(formatMinor(1234, 2)).toBe('12.34');
    expect(formatMinor(5, 2)).toBe('0.05');
    expect(formatMinor(0, 2)).toBe('0.00');
    expect(formatMinor(42, 0)).toBe('42');
    expect(formatMinor(1, 8)).toBe('0.00000001');
  });

  it('formats negative balances', () => {
    expect(formatMinor(-5, 2)).toBe('-0.05');
    expect(formatMinor(-1200, 0)).toBe('-1200');
  });

  it('formats the largest amounts exactly', () => {
    expect(formatMinor(9007199254740991, 2)).toBe('90071992547409.91');
    expect(formatMinor(-9007199254740991n, 0)).toBe('-9007199254740991');
  });

  it('round-trips with parseAmount', () => {
    expect(parseAmount(formatMinor(123456, 2), 2)).toEqual({ ok: true, minor: 123456 });
  });
});

import { isAmount, isWithinBounds, MONEY_MAX, parseAmountCell, toJsonNumber, toMinor } from './money';

describe('money', () => {
  it('accepts only safe positive integers as amounts', () => {
    expect([1, 42, 9_007_199_254_740_991].every(isAmount)).toBe(true);
    expect([0, -1, 1.5, 9_007_199_254_740_992, Number.NaN, Infinity, '1', null].some(isAmount)).toBe(false);
  });

  it('bounds balances to ±(2^53 - 1)', () => {
    expect(isWithinBounds(MONEY_MAX)).toBe(true);
    expect(isWithinBounds(-MONEY_MAX)).toBe(true);
    expect(isWithinBounds(MONEY_MAX + 1n)).toBe(false);
    expect(isWithinBounds(-MONEY_MAX - 1n)).toBe(false);
  });

  it('parses pg bigint strings exactly and refuses anything else', () => {
    expect(toMinor('9007199254740993')).toBe(9_007_199_254_740_993n);
    expect(toMinor('-5')).toBe(-5n);
    expect(() => toMinor('1.5')).toThrow(RangeError);
    expect(() => toMinor(0.1)).toThrow(RangeError);
  });

  it('converts to a JSON number only inside the bound', () => {
    expect(toJsonNumber(MONEY_MAX)).toBe(9_007_199_254_740_991);
    expect(() => toJsonNumber(MONEY_MAX + 1n)).toThrow(RangeError);
  });

  it('parses CSV amount cells strictly', () => {
    expect(parseAmountCell(' 15 ')).toBe(15n);
    expect(parseAmountCell('9007199254740991')).toBe(MONEY_MAX);
    for (const bad of ['', '0', '-1', '1.5', '1e3', 'abc', '9007199254740992', '00000000000000001000']) {
      expect(parseAmountCell(bad)).toBeNull();
    }
  });
});

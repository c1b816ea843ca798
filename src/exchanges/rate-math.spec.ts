import { convertAmount, DecimalRate, formatRate, parseRate } from './rate-math';

function rate(text: string): DecimalRate {
  const parsed = parseRate(text);
  if (parsed === null) throw new Error(`test rate ${text} does not parse`);
  return parsed;
}

/**
 * The defining property of the floor, checked with BigInt on the exact rational value:
 * toAmount ≤ fromAmount × rate × 10^(toScale − fromScale) < toAmount + 1, with the scale
 * difference moved to whichever side keeps every factor an integer.
 */
function expectFloor(fromAmount: bigint, text: string, fromScale: number, toScale: number, toAmount: bigint): void {
  const [whole, fraction = ''] = text.split('.');
  const numerator = fromAmount * BigInt(`${whole}${fraction}`) * 10n ** BigInt(toScale);
  const denominator = 10n ** BigInt(fraction.length + fromScale);
  expect(toAmount * denominator <= numerator).toBe(true);
  expect(numerator < (toAmount + 1n) * denominator).toBe(true);
}

describe('parseRate / formatRate', () => {
  it.each([
    ['0.01', 1n, 2, '0.01'],
    ['1', 1n, 0, '1'],
    ['1.50', 15n, 1, '1.5'],
    ['0100.0', 100n, 0, '100'],
    ['0.000000000001', 1n, 12, '0.000000000001'],
    ['999999999999999999', 999999999999999999n, 0, '999999999999999999'],
    ['123456.789012345678', 123456789012345678n, 12, '123456.789012345678'],
    ['1.000000000000', 1n, 0, '1'],
  ])('parses %p exactly', (text, units, decimals, canonical) => {
    expect(parseRate(text)).toEqual({ units, decimals });
    expect(formatRate(rate(text))).toBe(canonical);
  });

  it.each([
    ['0'], ['0.000'], ['-1'], ['+1'], ['1e3'], ['.5'], ['5.'], [' 1'], ['1,5'], [''], ['0x10'], ['١'],
    ['0.0000000000001'], // 13 decimals
    ['1.0000000000000'], // 13 decimals as written, even if zero
    ['1000000000000000000'], // 19 significant digits
    ['1234567890.123456789'], // 19 significant digits
  ])('refuses %p', (text) => {
    expect(parseRate(text)).toBeNull();
  });
});

describe('convertAmount: floor(fromAmount × rate × 10^(toScale − fromScale))', () => {
  it.each([
    // [fromAmount, rate, fromScale, toScale, toAmount]
    [100n, '0.01', 0, 0, 1n], // 100 gold coins buy 1 diamond (docs/exchanges.md)
    [199n, '0.01', 0, 0, 1n], // the 99 coins' worth below one diamond stays with the treasury
    [99n, '0.01', 0, 0, 0n],
    [7n, '1.25', 0, 2, 875n], // scale 0 → 2: 7 points × 1.25 = 8.75 USD = 875 cents
    [3n, '0.333333333333', 0, 2, 99n],
    [875n, '4', 2, 0, 35n], // scale 2 → 0: 8.75 USD × 4 = 35 coins
    [874n, '4', 2, 0, 34n], // 34.96 → 34
    [1234n, '0.92', 2, 2, 1135n], // 2 → 2: 12.34 USD × 0.92 = 11.3528 → 11.35
    [150000000n, '30000', 8, 0, 45000n], // 8 → 0: 1.5 BTC-like × 30000
    [1n, '30000', 8, 0, 0n], // one satoshi-like unit is worth 0.0003: rounds to nothing
    [1n, '0.000000000001', 0, 8, 0n], // tiny rate
    [1_000_000_000_000n, '0.000000000001', 0, 0, 1n],
    [1n, '999999999999999999', 0, 0, 999999999999999999n], // huge rate
    // (2^53 − 1) × (10^18 − 1) × 10^8, written so it can be checked by eye
    [9_007_199_254_740_991n, '999999999999999999', 0, 8, 9_007_199_254_740_991n * 10n ** 26n - 9_007_199_254_740_991n * 10n ** 8n],
  ])('%p at %p, scale %p → %p = %p', (fromAmount, text, fromScale, toScale, expected) => {
    const toAmount = convertAmount(fromAmount, rate(text), fromScale, toScale);
    expect(toAmount).toBe(expected);
    expectFloor(fromAmount, text, fromScale, toScale, toAmount);
  });

  it('is exact at 18 significant digits where a double would round', () => {
    // 123456789.012345678 has no exact double; × 10^9 the float product is off in the units.
    const text = '123456789.012345678';
    const toAmount = convertAmount(1_000_000_000n, rate(text), 0, 0);
    expect(toAmount).toBe(123456789012345678n);
    expect(Number(text) * 1e9).not.toBe(123456789012345678);
    expectFloor(1_000_000_000n, text, 0, 0, toAmount);
  });

  it('matches the BigInt floor for many amounts, rates and scales', () => {
    let seed = 42n;
    const next = (bound: bigint): bigint => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return (seed >> 11n) % bound;
    };
    for (let i = 0; i < 2_000; i++) {
      const fromAmount = 1n + next(9_007_199_254_740_991n);
      const decimals = Number(next(13n));
      const units = 1n + next(10n ** BigInt(Math.min(18, decimals + 6)));
      const text = formatRate({ units, decimals });
      const fromScale = Number(next(9n));
      const toScale = Number(next(9n));
      expectFloor(fromAmount, text, fromScale, toScale, convertAmount(fromAmount, rate(text), fromScale, toScale));
    }
  });
});

/**
 * Exchange rates as exact decimals, and the conversion of a quote, in BigInt only: no float
 * ever touches a rate or an amount (DESIGN.md invariant 7).
 *
 * A rate is how many major units of the `to` asset one major unit of the `from` asset buys
 * (docs/exchanges.md); it is held as `units / 10^decimals`.
 */
export interface DecimalRate {
  units: bigint;
  decimals: number;
}

export const RATE_SIGNIFICANT_DIGITS_MAX = 18;
export const RATE_DECIMALS_MAX = 12;

const RATE_PATTERN = /^(\d+)(?:\.(\d+))?$/;

/**
 * Parses a rate string: plain decimal notation, > 0, at most 12 decimals and at most 18
 * significant digits (from the first non-zero digit to the last non-zero decimal, or to the
 * units digit), so every rate lies in [10^-12, 10^18). Anything else is `null`.
 */
export function parseRate(text: string): DecimalRate | null {
  const match = RATE_PATTERN.exec(text);
  if (match === null) return null;
  const [, whole, written = ''] = match;
  if (written.length > RATE_DECIMALS_MAX) return null;
  const fraction = written.replace(/0+$/, '');
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  if (digits === '' || digits.length > RATE_SIGNIFICANT_DIGITS_MAX) return null;
  return { units: BigInt(digits), decimals: fraction.length };
}

/** The canonical text of a rate: no leading zeros, no trailing decimal zeros ("0.01", "250"). */
export function formatRate(rate: DecimalRate): string {
  const digits = rate.units.toString().padStart(rate.decimals + 1, '0');
  if (rate.decimals === 0) return digits;
  return `${digits.slice(0, -rate.decimals)}.${digits.slice(-rate.decimals)}`;
}

/**
 * `floor(fromAmount × rate × 10^(toScale − fromScale))` in minor units, exactly: one integer
 * division of the exact numerator by the exact denominator. Everything is positive, so
 * BigInt's truncating division is the floor. What the floor drops stays with the treasury.
 */
export function convertAmount(fromAmount: bigint, rate: DecimalRate, fromScale: number, toScale: number): bigint {
  if (fromAmount < 1n || rate.units < 1n) throw new RangeError('amounts and rates are positive');
  const numerator = fromAmount * rate.units * 10n ** BigInt(toScale);
  const denominator = 10n ** BigInt(rate.decimals + fromScale);
  return numerator / denominator;
}

/**
 * Money is `bigint` minor units everywhere in the service. It becomes a JSON number only at
 * the HTTP edge, and only after this module checked it fits the API's bound.
 */

/** The API's bound on amounts and balances: JSON integers stay exact up to 2^53 - 1. */
export const MONEY_MAX = 9_007_199_254_740_991n;
export const MONEY_MIN = -MONEY_MAX;

export function isAmount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 1;
}

export function isWithinBounds(balance: bigint): boolean {
  return balance >= MONEY_MIN && balance <= MONEY_MAX;
}

/** Parses a bigint coming back from `pg` (as a string) or from code. */
export function toMinor(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`not an integer: ${value}`);
  return BigInt(value);
}

/** Converts for a JSON response. Outside the bound is a bug, never a client error. */
export function toJsonNumber(value: bigint): number {
  if (!isWithinBounds(value)) throw new RangeError(`money out of bounds: ${value}`);
  return Number(value);
}

/** Parses a CSV cell: digits only, 1 <= amount <= MONEY_MAX; anything else is `null`. */
export function parseAmountCell(cell: string): bigint | null {
  const trimmed = cell.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return null;
  const amount = BigInt(trimmed);
  return amount >= 1n && amount <= MONEY_MAX ? amount : null;
}

/** A bigint column as `pg` returns it (a string), straight to its JSON number. */
export function moneyJson(value: string | number | bigint): number {
  return toJsonNumber(toMinor(value));
}

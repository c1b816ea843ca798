import { formatMinor, parseAmount } from './money';

/** The service takes 1–25 postings per transaction. */
export const SPLIT_LEGS_MAX = 25;

export interface SplitLeg {
  email: string;
  amount: string;
}

export type LegErrors = Partial<Record<keyof SplitLeg, string>>;

export interface SplitBody {
  postings: Array<{ to: { email: string }; asset: string; amount: number }>;
  description?: string;
}

export type SplitCheck = { ok: true; body: SplitBody } | { ok: false; errors: LegErrors[] };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkLeg(leg: SplitLeg, scale: number): { errors: LegErrors; amount: number | null } {
  const errors: LegErrors = {};
  if (!EMAIL.test(leg.email.trim())) errors.email = 'Enter an email address like name@example.com.';
  const amount = parseAmount(leg.amount, scale);
  if (!amount.ok) errors.amount = amount.error;
  return { errors, amount: amount.ok ? amount.minor : null };
}

/** Validates every leg of a split payment (one posting per recipient, all paid by the caller, applied atomically). */
export function checkSplit(asset: string, legs: SplitLeg[], scale: number, description = ''): SplitCheck {
  const checked = legs.map((leg) => checkLeg(leg, scale));
  if (checked.some((leg) => Object.keys(leg.errors).length > 0)) return { ok: false, errors: checked.map((leg) => leg.errors) };
  const postings = legs.map((leg, i) => ({ to: { email: leg.email.trim() }, asset, amount: checked[i].amount! }));
  const text = description.trim();
  return { ok: true, body: text ? { postings, description: text } : { postings } };
}

/** The sum of the legs that parse, exactly (BigInt), formatted in the asset's units. */
export function splitTotal(legs: SplitLeg[], scale: number): string {
  let total = 0n;
  for (const leg of legs) {
    const amount = parseAmount(leg.amount, scale);
    if (amount.ok) total += BigInt(amount.minor);
  }
  return formatMinor(total, scale);
}

import type { ApiRequest, ApiResult } from './api';
import { newIdempotencyKey } from './idempotency';
import type { MovementBody } from './movement';
import type { Transaction, Wallet } from '../../../libs/contract/src';

export interface ReplayOutcome {
  key: string;
  before: number | null;
  after: number | null;
  first: ApiResult<Transaction>;
  second: ApiResult<Transaction>;
}

export interface Tally {
  succeeded: number;
  refused: number;
  other: Record<string, number>;
}

export interface ConcurrencyOutcome extends Tally {
  before: number | null;
  after: number | null;
}

/** The caller's balance of one asset (0 when no wallet exists yet), or null if it could not be read. */
export async function readBalance(request: ApiRequest, asset: string): Promise<number | null> {
  const result = await request<Wallet[]>('/wallets');
  if (!result.ok) return null;
  return result.data.find((wallet) => wallet.asset === asset)?.balance ?? 0;
}

function transfer(request: ApiRequest, body: MovementBody, key: string): Promise<ApiResult<Transaction>> {
  return request<Transaction>('/transfers', { method: 'POST', body, idempotencyKey: key });
}

/** Sends one transfer twice with the same Idempotency-Key; the money must move once. */
export async function runReplayDemo(request: ApiRequest, body: MovementBody, key = newIdempotencyKey()): Promise<ReplayOutcome> {
  const before = await readBalance(request, String(body.asset));
  const first = await transfer(request, body, key);
  const second = await transfer(request, body, key);
  const after = await readBalance(request, String(body.asset));
  return { key, before, after, first, second };
}

export function tallyOutcomes(results: ApiResult<unknown>[]): Tally {
  const tally: Tally = { succeeded: 0, refused: 0, other: {} };
  for (const result of results) {
    if (result.ok) tally.succeeded += 1;
    else if (result.problem.code === 'INSUFFICIENT_FUNDS') tally.refused += 1;
    else tally.other[result.problem.code] = (tally.other[result.problem.code] ?? 0) + 1;
  }
  return tally;
}

/** Fires `count` transfers at once, each with its own key, and tallies what the ledger allowed. */
export async function runConcurrencyDemo(
  request: ApiRequest,
  body: MovementBody,
  count: number,
  newKey: () => string = newIdempotencyKey,
): Promise<ConcurrencyOutcome> {
  const before = await readBalance(request, String(body.asset));
  const results = await Promise.all(Array.from({ length: count }, () => transfer(request, body, newKey())));
  const after = await readBalance(request, String(body.asset));
  return { before, after, ...tallyOutcomes(results) };
}

export const MAX_CONCURRENT = 100;

/** The number of concurrent transfers: a whole number from 1 to MAX_CONCURRENT. */
export function parseCount(text: string): { ok: true; count: number } | { ok: false; error: string } {
  const count = /^\d+$/.test(text.trim()) ? Number(text.trim()) : NaN;
  if (!Number.isInteger(count) || count < 1 || count > MAX_CONCURRENT) {
    return { ok: false, error: `Enter a whole number from 1 to ${MAX_CONCURRENT}.` };
  }
  return { ok: true, count };
}

/** "201", or "422 INSUFFICIENT_FUNDS" for a problem. */
export function statusLabel(result: ApiResult<unknown>): string {
  return result.ok ? String(result.status) : `${result.status} ${result.problem.code}`;
}

export interface ReplaySummary {
  sameTransaction: boolean;
  moved: number | null;
  movedOnce: boolean;
}

export function summarizeReplay(outcome: ReplayOutcome, amount: number): ReplaySummary {
  const { first, second, before, after } = outcome;
  const sameTransaction = first.ok && second.ok && first.data.id === second.data.id;
  const moved = before === null || after === null ? null : before - after;
  return { sameTransaction, moved, movedOnce: sameTransaction && second.replayed && moved === amount };
}

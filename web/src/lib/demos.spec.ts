import type { ApiRequest, ApiResult, RequestOptions } from './api';
import { parseCount, readBalance, runConcurrencyDemo, runReplayDemo, statusLabel, summarizeReplay, tallyOutcomes } from './demos';

/** A tiny in-memory server: /wallets reports the balance, /transfers debits it once per key. */
function fakeServer(start: number) {
  let balance = start;
  const seen = new Map<string, ApiResult<unknown>>();
  const request = async (path: string, options: RequestOptions = {}): Promise<ApiResult<unknown>> => {
    if (path === '/wallets') {
      return { ok: true, status: 200, data: [{ asset: 'USD', balance }], replayed: false };
    }
    const key = options.idempotencyKey ?? '';
    const stored = seen.get(key);
    if (stored) return { ...stored, replayed: true };
    const amount = (options.body as { amount: number }).amount;
    const result: ApiResult<unknown> =
      balance >= amount
        ? { ok: true, status: 201, data: { id: `tx-${key}` }, replayed: false }
        : {
            ok: false,
            status: 422,
            problem: { type: 'about:blank', title: '', status: 422, detail: '', code: 'INSUFFICIENT_FUNDS' },
            replayed: false,
            retryAfter: null,
          };
    if (result.ok) balance -= amount;
    seen.set(key, result);
    return result;
  };
  return request as ApiRequest;
}

const body = { asset: 'USD', amount: 300, toEmail: 'bob@example.com' };

describe('readBalance', () => {
  it('reads the asset balance and defaults to 0', async () => {
    const request = fakeServer(1000);
    expect(await readBalance(request, 'USD')).toBe(1000);
    expect(await readBalance(request, 'GOLD_COINS')).toBe(0);
  });
});

describe('runReplayDemo', () => {
  it('moves the money once and marks the second answer as replayed', async () => {
    const outcome = await runReplayDemo(fakeServer(1000), body, 'key-1');
    expect(outcome.before).toBe(1000);
    expect(outcome.after).toBe(700);
    expect(outcome.first.replayed).toBe(false);
    expect(outcome.second.replayed).toBe(true);
    expect(outcome.second.ok && outcome.second.data.id).toBe('tx-key-1');
    expect(summarizeReplay(outcome, 300)).toEqual({ sameTransaction: true, moved: 300, movedOnce: true });
    expect(statusLabel(outcome.second)).toBe('201');
  });

  it('replays a refusal without moving money', async () => {
    const outcome = await runReplayDemo(fakeServer(100), body, 'key-2');
    expect(statusLabel(outcome.first)).toBe('422 INSUFFICIENT_FUNDS');
    expect(outcome.second.replayed).toBe(true);
    expect(summarizeReplay(outcome, 300)).toEqual({ sameTransaction: false, moved: 0, movedOnce: false });
  });
});

describe('runConcurrencyDemo', () => {
  it('tallies successes and refusals', async () => {
    let n = 0;
    const outcome = await runConcurrencyDemo(fakeServer(1000), body, 5, () => `k${++n}`);
    expect(outcome).toEqual({ before: 1000, after: 100, succeeded: 3, refused: 2, other: {} });
  });
});

describe('tallyOutcomes', () => {
  it('groups other failures by code', () => {
    const busy: ApiResult<unknown> = {
      ok: false,
      status: 503,
      problem: { type: 'about:blank', title: '', status: 503, detail: '', code: 'BUSY' },
      replayed: false,
      retryAfter: 1,
    };
    expect(tallyOutcomes([busy, busy])).toEqual({ succeeded: 0, refused: 0, other: { BUSY: 2 } });
  });
});

describe('parseCount', () => {
  it('accepts whole numbers from 1 to 100', () => {
    expect(parseCount(' 20 ')).toEqual({ ok: true, count: 20 });
    expect(parseCount('100')).toEqual({ ok: true, count: 100 });
    for (const bad of ['0', '101', '2.5', '', 'ten', '-3']) {
      expect(parseCount(bad)).toEqual({ ok: false, error: 'Enter a whole number from 1 to 100.' });
    }
  });
});

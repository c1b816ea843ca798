import { TestUser } from './support/api-client';
import { startTestApp, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const shift = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

describe('balances in time and statements', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;
  let walletId: number;
  /** createdAt of each of Alice's movements, in order, and her balance right after it. */
  const moves: Array<{ at: string; balance: number }> = [];

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
    [alice, bob, carol] = [await t.api.register('alice'), await t.api.register('bob'), await t.api.register('carol')];
    await t.api.fund(admin, bob.id, 'GOLD_COINS', 100);
    const steps: Array<[string, unknown, string, number]> = [
      ['/api/v1/top-ups', { userId: alice.id, asset: 'GOLD_COINS', amount: 1000 }, admin, 1000],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 100, toUserId: bob.id, description: '=1+1' }, alice.token, 900],
      ['/api/v1/spends', { asset: 'GOLD_COINS', amount: 50, description: '@SUM(A1)' }, alice.token, 850],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 25, toUserId: bob.id, description: 'a;b\tc' }, alice.token, 825],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 10, toUserId: alice.id, description: 'say "hi",\nok' }, bob.token, 835],
      ['/api/v1/withdrawals', { asset: 'GOLD_COINS', amount: 5, description: '-3' }, alice.token, 830],
    ];
    for (const [path, body, token, balance] of steps) {
      // Apart by more than a millisecond, so "just before the next one" is a time of its own.
      await sleep(15);
      const res = await t.api.post(path, body, token);
      expect(res.status).toBe(201);
      moves.push({ at: res.body.createdAt, balance });
    }
    walletId = (await t.api.get('/api/v1/wallets', alice.token)).body.find((w: { asset: string }) => w.asset === 'GOLD_COINS').id;
  });
  afterAll(() => t.close());

  const balanceAt = (at: string, token = alice.token, id = walletId) => t.api.get(`/api/v1/wallets/${id}/balance?at=${encodeURIComponent(at)}`, token);
  const statement = (from: string, to: string, token = alice.token, id = walletId, accept?: string) =>
    t.api.request('GET', `/api/v1/wallets/${id}/statement?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, undefined, {
      token,
      headers: accept === undefined ? {} : { accept },
    });

  /** The same figures, computed in SQL straight from the entries' createdAt. */
  async function sqlStatement(walletIds: number[], from: string, to: string) {
    const { rows } = await t.sql.query(
      `SELECT coalesce(sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) FILTER (WHERE created_at < $2), 0)::bigint AS opening,
              coalesce(sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) FILTER (WHERE created_at < $3), 0)::bigint AS closing,
              coalesce(sum(amount) FILTER (WHERE direction = 'DEBIT' AND created_at >= $2 AND created_at < $3), 0)::bigint AS debits,
              coalesce(sum(amount) FILTER (WHERE direction = 'CREDIT' AND created_at >= $2 AND created_at < $3), 0)::bigint AS credits,
              count(*) FILTER (WHERE created_at >= $2 AND created_at < $3)::int AS "entryCount"
         FROM ledger_entries WHERE wallet_id = ANY($1::bigint[])`,
      [walletIds, from, to],
    );
    const r = rows[0];
    return { openingBalance: Number(r.opening), closingBalance: Number(r.closing), debits: Number(r.debits), credits: Number(r.credits), entryCount: r.entryCount };
  }

  it('answers the balance right after the last entry at or before a time, and 0 before the first', async () => {
    const before = await balanceAt(shift(moves[0].at, -1));
    expect([before.status, before.body]).toEqual([200, { walletId, asset: 'GOLD_COINS', at: shift(moves[0].at, -1), balance: 0 }]);
    for (const [i, move] of moves.entries()) {
      expect((await balanceAt(move.at)).body.balance).toBe(move.balance);
      const next = moves[i + 1];
      if (next !== undefined) expect((await balanceAt(shift(next.at, -1))).body.balance).toBe(move.balance);
    }
    expect((await balanceAt('2999-01-01T00:00:00Z')).body.balance).toBe(830);
    expect((await balanceAt('2000-01-01T00:00:00+02:00')).body).toMatchObject({ at: '1999-12-31T22:00:00.000Z', balance: 0 });
  });

  it('sums the window between known movements, matching sums computed in SQL', async () => {
    const res = await statement(moves[1].at, moves[4].at);
    expect(res.status).toBe(200);
    const expected = { openingBalance: 1000, closingBalance: 825, debits: 175, credits: 0, entryCount: 3 };
    expect(res.body).toEqual({ walletId, asset: 'GOLD_COINS', from: moves[1].at, to: moves[4].at, ...expected });
    expect(await sqlStatement([walletId], moves[1].at, moves[4].at)).toEqual(expected);

    const all = await statement(shift(moves[0].at, -1000), shift(moves[5].at, 1));
    expect(all.body).toMatchObject({ openingBalance: 0, closingBalance: 830, debits: 180, credits: 1010, entryCount: 6 });
    const empty = await statement('2001-01-01T00:00:00Z', '2001-01-02T00:00:00Z');
    expect(empty.body).toMatchObject({ openingBalance: 0, closingBalance: 0, debits: 0, credits: 0, entryCount: 0 });
  });

  it('sums a system wallet over its shards', async () => {
    const system = (await t.api.get('/api/v1/wallets?kind=SYSTEM', admin)).body;
    const treasury = system.find((w: { asset: string; systemCode: string }) => w.asset === 'GOLD_COINS' && w.systemCode === 'TREASURY');
    const { rows } = await t.sql.query(
      `SELECT array_agg(id::int) AS ids FROM wallets WHERE system_code = 'TREASURY' AND asset_id = (SELECT asset_id FROM wallets WHERE id = $1)`,
      [treasury.id],
    );
    expect(rows[0].ids.length).toBeGreaterThan(1);
    const [from, to] = [shift(moves[0].at, -5000), shift(moves[5].at, 1)];
    const res = await statement(from, to, admin, treasury.id);
    expect(res.status).toBe(200);
    // Two top-ups (Bob's, Alice's) out of the treasury, one withdrawal back in.
    expect(res.body).toEqual({ walletId: treasury.id, asset: 'GOLD_COINS', from, to, ...(await sqlStatement(rows[0].ids, from, to)) });
    expect(res.body).toMatchObject({ openingBalance: 0, debits: 1100, credits: 5, closingBalance: -1095, entryCount: 3 });
    expect((await balanceAt(moves[5].at, admin, treasury.id)).body.balance).toBe(treasury.balance);
  });

  it('writes the window as CSV with formula-safe, quoted cells', async () => {
    const res = await statement(moves[1].at, shift(moves[5].at, 1), alice.token, walletId, 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (res.body as string).split('\n');
    expect(lines[0]).toBe('createdAt,transactionId,type,direction,amount,balanceAfter,description');
    const ids: string[] = (await t.sql.query('SELECT transaction_id FROM ledger_entries WHERE wallet_id = $1 ORDER BY id', [walletId])).rows.map((r) => r.transaction_id);
    expect(lines.slice(1)).toEqual([
      `${moves[1].at},${ids[1]},TRANSFER,DEBIT,100,900,'=1+1`,
      `${moves[2].at},${ids[2]},SPEND,DEBIT,50,850,'@SUM(A1)`,
      `${moves[3].at},${ids[3]},TRANSFER,DEBIT,25,825,"a;b\tc"`,
      `${moves[4].at},${ids[4]},TRANSFER,CREDIT,10,835,"say ""hi"",`,
      'ok"',
      `${moves[5].at},${ids[5]},WITHDRAWAL,DEBIT,5,830,'-3`,
      '',
    ]);
    const json = await statement(moves[1].at, shift(moves[5].at, 1), alice.token, walletId, 'application/json');
    expect(json.body.entryCount).toBe(5);
  });

  it('marks negative system balances as text in CSV and writes only the header for an empty window', async () => {
    const system = (await t.api.get('/api/v1/wallets?kind=SYSTEM', admin)).body;
    const treasury = system.find((w: { asset: string; systemCode: string }) => w.asset === 'GOLD_COINS' && w.systemCode === 'TREASURY');
    const res = await statement(shift(moves[0].at, -5000), shift(moves[5].at, 1), admin, treasury.id, 'text/csv');
    const rows = (res.body as string).trim().split('\n').slice(1);
    expect(rows).toHaveLength(3);
    // The two top-ups took their shard below 0 (the withdrawal's shard may be another one).
    const debits = rows.filter((row) => row.includes(',DEBIT,'));
    expect(debits).toHaveLength(2);
    expect(debits.every((row) => /,DEBIT,\d+,'-\d+,$/.test(row))).toBe(true);
    const empty = await statement('2001-01-01T00:00:00Z', '2001-01-02T00:00:00Z', alice.token, walletId, 'text/csv');
    expect(empty.body).toBe('createdAt,transactionId,type,direction,amount,balanceAfter,description\n');
  });

  it('shows them to the owner and admins only: others get 404', async () => {
    const [from, to] = ['2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'];
    expect((await balanceAt(from, admin)).status).toBe(200);
    expect((await statement(from, to, admin)).status).toBe(200);
    for (const res of [await balanceAt(from, carol.token), await statement(from, to, carol.token), await statement(from, to, carol.token, walletId, 'text/csv')]) {
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await balanceAt(from, alice.token, 999_999_999)).status).toBe(404);
    expect((await t.api.get(`/api/v1/wallets/${walletId}/balance?at=${from}`)).status).toBe(401);
  });

  it.each([
    ['balance', ''],
    ['balance', 'at=yesterday'],
    ['balance', 'at=2026-12-01T00:00:00'],
    ['balance', 'at=2026-02-30T00:00:00Z'],
    ['balance', 'at=2026-12-01T00:00:00.1234Z'],
    ['balance', 'at=2026-12-01T00:00:00Z&extra=1'],
    ['statement', 'from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z'],
    ['statement', 'from=2026-12-01T00:00:00Z&to=2026-12-01T00:00:00Z'],
    ['statement', 'from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00.001Z'],
    ['statement', 'from=2026-12-01T00:00:00Z'],
    ['statement', 'from=2026-12-01&to=2026-12-02'],
  ])('refuses %s?%s with 400', async (what, query) => {
    for (const accept of ['application/json', 'text/csv']) {
      const res = await t.api.request('GET', `/api/v1/wallets/${walletId}/${what}?${query}`, undefined, { token: alice.token, headers: { accept } });
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('allows a window of exactly 366 days', async () => {
    const res = await statement('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z');
    expect(res.status).toBe(200);
  });
});

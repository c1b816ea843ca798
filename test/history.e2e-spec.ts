import { TestUser } from './support/api-client';
import { startTestApp, TestApp } from './support/test-app';

describe('wallets and history', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;
  let carol: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
    [alice, bob, carol] = [await t.api.register('alice'), await t.api.register('bob'), await t.api.register('carol')];
    await t.api.fund(admin, alice.id, 'GOLD_COINS', 1_000);
    await t.api.fund(admin, alice.id, 'USD', 5_000);
    for (let i = 1; i <= 25; i++) {
      const res = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: i, toUserId: bob.id }, alice.token);
      expect(res.status).toBe(201);
    }
    await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 5, toUserId: alice.id }, bob.token);
    await t.api.post('/api/v1/spends', { asset: 'USD', amount: 250 }, alice.token);
  });
  afterAll(() => t.close());

  it('lists my wallets, one per asset touched', async () => {
    const res = await t.api.get('/api/v1/wallets', alice.token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual([
      { id: expect.any(Number), asset: 'GOLD_COINS', ownerId: alice.id, kind: 'USER', balance: 1_000 - 325 + 5, held: 0, updatedAt: expect.any(String) },
      { id: expect.any(Number), asset: 'USD', ownerId: alice.id, kind: 'USER', balance: 4_750, held: 0, updatedAt: expect.any(String) },
    ]);
    expect((await t.api.get('/api/v1/wallets', carol.token)).body).toEqual([]);
  });

  it('shows a wallet to its owner and admins only; others get 404', async () => {
    const [wallet] = (await t.api.get('/api/v1/wallets', alice.token)).body;
    expect((await t.api.get(`/api/v1/wallets/${wallet.id}`, alice.token)).body).toEqual(wallet);
    expect((await t.api.get(`/api/v1/wallets/${wallet.id}`, admin)).status).toBe(200);
    for (const path of [`/api/v1/wallets/${wallet.id}`, `/api/v1/wallets/${wallet.id}/entries`]) {
      const res = await t.api.get(path, carol.token);
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect((await t.api.get('/api/v1/wallets/999999999', alice.token)).status).toBe(404);
    expect((await t.api.get('/api/v1/wallets/abc', alice.token)).status).toBe(404);
    const system = await t.api.get('/api/v1/wallets?kind=SYSTEM', alice.token);
    expect(system.status).toBe(403);
  });

  it('pages ledger entries newest first with a keyset cursor and running balances', async () => {
    const [wallet] = (await t.api.get('/api/v1/wallets', bob.token)).body;
    const seen: Array<{ id: number; amount: number; direction: string; balanceAfter: number; type: string }> = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=10' : `?limit=10&cursor=${cursor}`;
      const res: { status: number; body: { items: typeof seen; nextCursor: string | null } } = await t.api.get(`/api/v1/wallets/${wallet.id}/entries${query}`, bob.token);
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toHaveLength(26);
    expect(seen.map((e) => e.id)).toEqual([...seen.map((e) => e.id)].sort((a, b) => b - a));
    expect(seen[0]).toMatchObject({ direction: 'DEBIT', amount: 5, type: 'TRANSFER', balanceAfter: 325 - 5 });
    expect(seen[seen.length - 1]).toMatchObject({ direction: 'CREDIT', amount: 1, balanceAfter: 1 });
    expect(seen.every((e) => e.amount > 0)).toBe(true);
  });

  it('lists transactions where I am sender or receiver, filtered and paged', async () => {
    const all: Array<{ id: string; type: string; asset: string; createdAt: string }> = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { items: typeof all; nextCursor: string | null } } = await t.api.get(
        `/api/v1/transactions?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`,
        alice.token,
      );
      expect(res.status).toBe(200);
      all.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor !== null);
    // 2 top-ups + 25 transfers out + 1 transfer in + 1 spend, no duplicates.
    expect(all).toHaveLength(29);
    expect(new Set(all.map((x) => x.id)).size).toBe(29);
    const times = all.map((x) => x.createdAt);
    expect(times).toEqual([...times].sort().reverse());
    const spends = await t.api.get('/api/v1/transactions?type=SPEND', alice.token);
    expect(spends.body.items.map((x: { type: string }) => x.type)).toEqual(['SPEND']);
    const usd = await t.api.get('/api/v1/transactions?asset=USD', alice.token);
    expect(usd.body.items).toHaveLength(2);
    expect((await t.api.get('/api/v1/transactions', carol.token)).body).toEqual({ items: [], nextCursor: null });
  });

  it('validates list queries', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'type=GIFT', 'cursor=%25%25', 'cursor=bm9wZQ', 'extra=1']) {
      const res = await t.api.get(`/api/v1/transactions?${query}`, alice.token);
      expect({ query, status: res.status, code: res.body.code }).toEqual({ query, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it('shows a transaction with its entries to its parties and admins; others get 404', async () => {
    const [latest] = (await t.api.get('/api/v1/transactions?type=TRANSFER&limit=1', bob.token)).body.items;
    const res = await t.api.get(`/api/v1/transactions/${latest.id}`, bob.token);
    expect(res.status).toBe(200);
    expect(res.body.entries).toHaveLength(2);
    const signed = res.body.entries.map((e: { direction: string; amount: number }) => (e.direction === 'CREDIT' ? e.amount : -e.amount));
    expect(signed.reduce((a: number, b: number) => a + b, 0)).toBe(0);
    // Bob sees his own running balance but not Alice's.
    const own = res.body.entries.find((e: { walletId: number }) => e.walletId === latest.toWalletId);
    const theirs = res.body.entries.find((e: { walletId: number }) => e.walletId === latest.fromWalletId);
    const byAlice = await t.api.get(`/api/v1/transactions/${latest.id}`, alice.token);
    expect(latest.toUserId === bob.id ? [typeof own.balanceAfter, theirs.balanceAfter] : [typeof theirs.balanceAfter, own.balanceAfter]).toEqual(['number', null]);
    expect(byAlice.body.entries.filter((e: { balanceAfter: number | null }) => e.balanceAfter === null)).toHaveLength(1);
    expect((await t.api.get(`/api/v1/transactions/${latest.id}`, admin)).status).toBe(200);
    const other = await t.api.get(`/api/v1/transactions/${latest.id}`, carol.token);
    expect([other.status, other.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await t.api.get('/api/v1/transactions/not-a-uuid', bob.token)).status).toBe(404);
  });

  it('lists assets and lets an admin create one with its system wallets', async () => {
    const assets = await t.api.get('/api/v1/assets', alice.token);
    expect(assets.body.map((a: { code: string }) => a.code)).toEqual(['GOLD_COINS', 'DIAMONDS', 'LOYALTY_POINTS', 'USD']);
    expect(assets.body.find((a: { code: string }) => a.code === 'USD').scale).toBe(2);
    const created = await t.api.request('POST', '/api/v1/assets', { code: 'RUBIES', name: 'Rubies', scale: 0 }, { token: admin });
    expect(created.status).toBe(201);
    expect((await t.api.request('POST', '/api/v1/assets', { code: 'RUBIES', name: 'Again', scale: 0 }, { token: admin })).status).toBe(400);
    expect((await t.api.request('POST', '/api/v1/assets', { code: 'bad code', name: 'x', scale: 9 }, { token: admin })).status).toBe(400);
    expect((await t.api.request('POST', '/api/v1/assets', { code: 'EMERALDS', name: 'x', scale: 0 }, { token: alice.token })).status).toBe(403);
    const topUp = await t.api.post('/api/v1/top-ups', { userId: carol.id, asset: 'RUBIES', amount: 3 }, admin);
    expect(topUp.status).toBe(201);
    const { rows } = await t.sql.query(
      `SELECT system_code, count(*)::int AS n FROM wallets w JOIN assets a ON a.id = w.asset_id WHERE a.code = 'RUBIES' AND kind = 'SYSTEM' GROUP BY system_code ORDER BY 1`,
    );
    expect(rows.map((r) => r.system_code)).toEqual(['HOLDING', 'REVENUE', 'TREASURY']);
  });
});

import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { startTestApp, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('exchanges', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
    [alice, bob] = [await t.api.register('alice'), await t.api.register('bob')];
    await t.api.fund(admin, alice.id, 'GOLD_COINS', 10_000);
    await t.api.request('PUT', '/api/v1/rates/GOLD_COINS/DIAMONDS', { rate: '0.01' }, { token: admin });
  });
  afterAll(() => t.close());

  async function quote(user: TestUser, fromAmount: number, fromAsset = 'GOLD_COINS', toAsset = 'DIAMONDS'): Promise<{ id: string; toAmount: number }> {
    const res = await t.api.request('POST', '/api/v1/quotes', { fromAsset, toAsset, fromAmount }, { token: user.token });
    expect(res.status).toBe(201);
    return res.body;
  }
  const exchange = (user: TestUser, body: unknown, key: string | null = randomUUID()) => t.api.post('/api/v1/exchanges', body, user.token, key);
  const quoteRow = async (id: string) => (await t.sql.query('SELECT transaction_id FROM quotes WHERE id = $1', [id])).rows[0];
  const reconciles = async () => expect((await t.api.get('/api/v1/admin/reconciliation', admin)).body).toMatchObject({ ok: true, problems: [] });

  it('moves fromAmount to the TREASURY and toAmount from the other TREASURY in one EXCHANGE transaction', async () => {
    const q = await quote(alice, 250);
    expect(q.toAmount).toBe(2);
    const key = randomUUID();
    const res = await exchange(alice, { quoteId: q.id, description: 'coins for diamonds', metadata: { order: '7' } }, key);
    expect(res.status).toBe(201);
    const [coins, diamonds] = ['GOLD_COINS', 'DIAMONDS'].map((asset) => ({ asset, userId: alice.id }));
    expect(res.body).toMatchObject({
      type: 'EXCHANGE',
      status: 'COMPLETED',
      asset: null,
      amount: null,
      fromWalletId: null,
      toWalletId: null,
      fromUserId: null,
      toUserId: null,
      description: 'coins for diamonds',
      metadata: { order: '7' },
      postings: [
        { from: { userId: coins.userId, systemCode: null }, to: { userId: null, systemCode: 'TREASURY' }, asset: 'GOLD_COINS', amount: 250 },
        { from: { userId: null, systemCode: 'TREASURY' }, to: { userId: diamonds.userId, systemCode: null }, asset: 'DIAMONDS', amount: 2 },
      ],
    });
    expect(await quoteRow(q.id)).toEqual({ transaction_id: res.body.id });
    expect([await t.api.balance(alice.token, 'GOLD_COINS'), await t.api.balance(alice.token, 'DIAMONDS')]).toEqual([9_750, 2]);
    const events = await t.sql.query(`SELECT user_ids, data->>'type' AS type FROM events WHERE type = 'transaction.created' AND data->>'id' = $1`, [res.body.id]);
    expect(events.rows).toEqual([{ user_ids: [alice.id], type: 'EXCHANGE' }]);

    // The same key replays the answer and moves nothing.
    const replay = await exchange(alice, { quoteId: q.id, description: 'coins for diamonds', metadata: { order: '7' } }, key);
    expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body]).toEqual([201, 'true', res.body]);
    // Another key finds the quote used, and that refusal is stored with its key too.
    const otherKey = randomUUID();
    const used = await exchange(alice, { quoteId: q.id }, otherKey);
    expect([used.status, used.body.code]).toEqual([409, 'QUOTE_USED']);
    const usedAgain = await exchange(alice, { quoteId: q.id }, otherKey);
    expect([usedAgain.status, usedAgain.body.code, usedAgain.headers.get('idempotent-replayed')]).toEqual([409, 'QUOTE_USED', 'true']);
    expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(9_750);
    await reconciles();
  });

  it('lets one of many concurrent exchanges of one quote through: the others get QUOTE_USED', async () => {
    const q = await quote(alice, 1_000);
    const results = await Promise.all(Array.from({ length: 8 }, () => exchange(alice, { quoteId: q.id })));
    const outcomes = results.map((r) => (r.status === 201 ? 201 : `${r.status} ${r.body.code}`)).sort();
    expect(outcomes).toEqual([201, ...Array(7).fill('409 QUOTE_USED')]);
    const winner = results.find((r) => r.status === 201);
    const { rows } = await t.sql.query(
      `SELECT count(*)::int AS n FROM transactions t JOIN ledger_entries e ON e.transaction_id = t.id
        WHERE t.type = 'EXCHANGE' AND t.id = (SELECT transaction_id FROM quotes WHERE id = $1)`,
      [q.id],
    );
    expect([rows[0].n, (await quoteRow(q.id)).transaction_id]).toEqual([4, winner?.body.id]);
    expect([await t.api.balance(alice.token, 'GOLD_COINS'), await t.api.balance(alice.token, 'DIAMONDS')]).toEqual([8_750, 12]);
    await reconciles();
  });

  it('refuses an exchange without the funds, leaving the quote usable', async () => {
    await t.api.fund(admin, bob.id, 'GOLD_COINS', 100);
    const q = await quote(bob, 300);
    const refused = await exchange(bob, { quoteId: q.id });
    expect([refused.status, refused.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
    expect(await quoteRow(q.id)).toEqual({ transaction_id: null });
    expect(await t.api.balance(bob.token, 'DIAMONDS')).toBe(0);
    await t.api.fund(admin, bob.id, 'GOLD_COINS', 200);
    const paid = await exchange(bob, { quoteId: q.id });
    expect(paid.status).toBe(201);
    expect([await t.api.balance(bob.token, 'GOLD_COINS'), await t.api.balance(bob.token, 'DIAMONDS')]).toEqual([0, 3]);
  });

  it('refuses a payer who never held fromAsset', async () => {
    const carol = await t.api.register('carol');
    const q = await quote(carol, 100);
    const res = await exchange(carol, { quoteId: q.id });
    expect([res.status, res.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
  });

  it("answers 404 for another user's quote and an unknown one, 400 for a malformed body or no key", async () => {
    const q = await quote(alice, 100);
    for (const res of [await exchange(bob, { quoteId: q.id }), await exchange(alice, { quoteId: randomUUID() })]) {
      expect([res.status, res.body.code]).toEqual([404, 'NOT_FOUND']);
    }
    expect(await quoteRow(q.id)).toEqual({ transaction_id: null });
    for (const body of [{ quoteId: 'nope' }, {}, { quoteId: q.id, metadata: { 'bad key': 'x' } }, { quoteId: q.id, fromUserId: bob.id }, { quoteId: q.id, description: 'x'.repeat(501) }]) {
      const res = await exchange(alice, body);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    const noKey = await exchange(alice, { quoteId: q.id }, null);
    expect([noKey.status, noKey.body.code]).toEqual([400, 'IDEMPOTENCY_KEY_REQUIRED']);
    expect((await exchange(alice, { quoteId: q.id })).status).toBe(201);
  });

  it('reverses both postings of an exchange, once; the quote stays used', async () => {
    const q = await quote(alice, 500);
    const done = await exchange(alice, { quoteId: q.id });
    const [coins, diamonds] = [await t.api.balance(alice.token, 'GOLD_COINS'), await t.api.balance(alice.token, 'DIAMONDS')];
    const reversal = await t.api.post(`/api/v1/transactions/${done.body.id}/reversal`, { reason: 'customer changed their mind' }, admin);
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ type: 'REVERSAL', reversalOf: done.body.id });
    expect(reversal.body.postings.map((p: { asset: string; amount: number; from: { systemCode: string | null } }) => [p.asset, p.amount, p.from.systemCode])).toEqual([
      ['DIAMONDS', 5, null],
      ['GOLD_COINS', 500, 'TREASURY'],
    ]);
    expect([await t.api.balance(alice.token, 'GOLD_COINS'), await t.api.balance(alice.token, 'DIAMONDS')]).toEqual([coins + 500, diamonds - 5]);
    const again = await exchange(alice, { quoteId: q.id });
    expect([again.status, again.body.code]).toEqual([409, 'QUOTE_USED']);
    await reconciles();
  });

  it('refuses the reversal when the diamonds were spent', async () => {
    const q = await quote(bob, 100);
    await t.api.fund(admin, bob.id, 'GOLD_COINS', 100);
    const done = await exchange(bob, { quoteId: q.id });
    const diamonds = await t.api.balance(bob.token, 'DIAMONDS');
    expect((await t.api.post('/api/v1/spends', { asset: 'DIAMONDS', amount: diamonds }, bob.token)).status).toBe(201);
    const reversal = await t.api.post(`/api/v1/transactions/${done.body.id}/reversal`, { reason: 'too late' }, admin);
    expect([reversal.status, reversal.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
  });

  it('lists exchanges and a reversal in the statement of the diamonds wallet', async () => {
    const wallets = (await t.api.get('/api/v1/wallets', alice.token)).body as Array<{ id: number; asset: string }>;
    const diamonds = wallets.find((w) => w.asset === 'DIAMONDS');
    const csv = await t.api.request('GET', `/api/v1/wallets/${diamonds?.id}/statement?from=2000-01-01T00:00:00Z&to=2000-12-31T00:00:00Z`, undefined, {
      token: alice.token,
      headers: { accept: 'text/csv' },
    });
    expect(csv.body).toBe('createdAt,transactionId,type,direction,amount,balanceAfter,description\n');
    const now = new Date();
    const from = new Date(now.getTime() - 3_600_000).toISOString();
    const to = new Date(now.getTime() + 60_000).toISOString();
    const res = await t.api.request('GET', `/api/v1/wallets/${diamonds?.id}/statement?from=${from}&to=${to}`, undefined, { token: alice.token, headers: { accept: 'text/csv' } });
    const types = (res.body as string).trim().split('\n').slice(1).map((line) => line.split(',')[2]);
    expect(types).toEqual(['EXCHANGE', 'EXCHANGE', 'EXCHANGE', 'EXCHANGE', 'REVERSAL']);
  });
});

describe('exchanges with a short quote TTL', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ QUOTE_TTL_SECONDS: '1' });
  });
  afterAll(() => t.close());

  it('refuses an expired quote with QUOTE_EXPIRED and leaves it unused', async () => {
    const admin = await t.api.adminToken();
    const user = await t.api.register('late');
    await t.api.fund(admin, user.id, 'USD', 10_000);
    await t.api.request('PUT', '/api/v1/rates/USD/LOYALTY_POINTS', { rate: '12.5' }, { token: admin });
    const q = await t.api.request('POST', '/api/v1/quotes', { fromAsset: 'USD', toAsset: 'LOYALTY_POINTS', fromAmount: 199 }, { token: user.token });
    // 1.99 USD × 12.5 = 24.875 points: the treasury keeps the 0.875.
    expect([q.body.toAmount, Date.parse(q.body.expiresAt) - Date.parse(q.body.createdAt)]).toEqual([24, 1_000]);
    await sleep(1_100);
    const res = await t.api.post('/api/v1/exchanges', { quoteId: q.body.id }, user.token);
    expect([res.status, res.body.code]).toEqual([409, 'QUOTE_EXPIRED']);
    expect((await t.sql.query('SELECT transaction_id FROM quotes WHERE id = $1', [q.body.id])).rows).toEqual([{ transaction_id: null }]);
    expect(await t.api.balance(user.token, 'USD')).toBe(10_000);
    const fresh = await t.api.request('POST', '/api/v1/quotes', { fromAsset: 'USD', toAsset: 'LOYALTY_POINTS', fromAmount: 199 }, { token: user.token });
    expect((await t.api.post('/api/v1/exchanges', { quoteId: fresh.body.id }, user.token)).status).toBe(201);
    expect([await t.api.balance(user.token, 'USD'), await t.api.balance(user.token, 'LOYALTY_POINTS')]).toEqual([9_801, 24]);
  });
});

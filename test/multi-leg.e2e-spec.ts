import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

describe('multi-leg transactions, postings and metadata', () => {
  let t: TestApp;
  let admin: string;
  let buyer: TestUser;
  let seller: TestUser;
  let courier: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
  });
  beforeEach(async () => {
    buyer = await t.api.register('buyer');
    seller = await t.api.register('seller');
    courier = await t.api.register('courier');
  });
  afterEach(async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
  afterAll(() => t.close());

  const count = async () => (await t.sql.query('SELECT count(*)::int AS n FROM transactions')).rows[0].n;

  it('splits one payment between users and REVENUE, in one transaction every party sees', async () => {
    await t.api.fund(admin, buyer.id, 'USD', 10_000);
    const res = await t.api.post(
      '/api/v1/transactions',
      {
        postings: [
          { to: { email: seller.email }, asset: 'USD', amount: 9_000 },
          { to: { userId: courier.id }, asset: 'USD', amount: 500 },
          { to: { system: 'REVENUE' }, asset: 'USD', amount: 500 },
        ],
        description: 'order 1042',
        metadata: { orderId: '1042' },
      },
      buyer.token,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: 'MULTI_LEG',
      asset: null,
      amount: null,
      fromWalletId: null,
      toWalletId: null,
      fromUserId: null,
      toUserId: null,
      metadata: { orderId: '1042' },
      holdId: null,
    });
    expect(res.body.postings).toHaveLength(3);
    expect(res.body.postings[0]).toMatchObject({ from: { userId: buyer.id, systemCode: null }, to: { userId: seller.id }, asset: 'USD', amount: 9_000 });
    expect(res.body.postings[2].to).toMatchObject({ userId: null, systemCode: 'REVENUE' });
    expect(await t.api.balance(buyer.token, 'USD')).toBe(0);
    expect(await t.api.balance(seller.token, 'USD')).toBe(9_000);
    for (const party of [buyer, seller, courier]) {
      const history = await t.api.get('/api/v1/transactions', party.token);
      expect(history.body.items.map((i: { id: string }) => i.id)).toContain(res.body.id);
      const one = await t.api.get(`/api/v1/transactions/${res.body.id}`, party.token);
      expect(one.status).toBe(200);
      expect(one.body.entries).toHaveLength(6);
    }
    const stranger = await t.api.register('stranger');
    expect((await t.api.get(`/api/v1/transactions/${res.body.id}`, stranger.token)).status).toBe(404);
    const { rows } = await t.sql.query('SELECT posting, direction, amount::int FROM ledger_entries WHERE transaction_id = $1 ORDER BY id', [res.body.id]);
    expect(rows.map((r) => [r.posting, r.direction, r.amount])).toEqual([
      [0, 'DEBIT', 9_000],
      [0, 'CREDIT', 9_000],
      [1, 'DEBIT', 500],
      [1, 'CREDIT', 500],
      [2, 'DEBIT', 500],
      [2, 'CREDIT', 500],
    ]);
  });

  it('counts earlier postings for later debits and moves several assets at once (admin)', async () => {
    const res = await t.api.post(
      '/api/v1/transactions',
      {
        postings: [
          { from: { system: 'TREASURY' }, to: { userId: seller.id }, asset: 'GOLD_COINS', amount: 300 },
          { from: { userId: seller.id }, to: { userId: courier.id }, asset: 'GOLD_COINS', amount: 300 },
          { from: { system: 'TREASURY' }, to: { email: courier.email }, asset: 'DIAMONDS', amount: 2 },
        ],
      },
      admin,
    );
    expect(res.status).toBe(201);
    expect(await t.api.balance(seller.token, 'GOLD_COINS')).toBe(0);
    expect(await t.api.balance(courier.token, 'GOLD_COINS')).toBe(300);
    expect(await t.api.balance(courier.token, 'DIAMONDS')).toBe(2);
  });

  it('refuses the whole transaction, naming the first refused posting, and changes nothing', async () => {
    await t.api.fund(admin, buyer.id, 'USD', 1_000);
    const before = await count();
    const cases: Array<[object[], number, string, number]> = [
      [[{ to: { userId: seller.id }, asset: 'USD', amount: 600 }, { to: { userId: courier.id }, asset: 'USD', amount: 401 }], 422, 'INSUFFICIENT_FUNDS', 1],
      [[{ to: { userId: seller.id }, asset: 'USD', amount: 1 }, { to: { userId: randomUUID() }, asset: 'USD', amount: 1 }], 404, 'RECIPIENT_NOT_FOUND', 1],
      [[{ to: { email: 'nobody@example.com' }, asset: 'USD', amount: 1 }], 404, 'RECIPIENT_NOT_FOUND', 0],
      [[{ to: { userId: seller.id }, asset: 'USD', amount: 1 }, { to: { userId: seller.id }, asset: 'NOPE', amount: 1 }], 422, 'ASSET_NOT_FOUND', 1],
      [[{ to: { userId: seller.id }, asset: 'USD', amount: 1 }, { to: { email: buyer.email }, asset: 'USD', amount: 1 }], 422, 'SAME_WALLET', 1],
    ];
    for (const [postings, status, code, posting] of cases) {
      const res = await t.api.post('/api/v1/transactions', { postings }, buyer.token);
      expect([res.status, res.body.code, res.body.posting]).toEqual([status, code, posting]);
    }
    expect(await t.api.balance(buyer.token, 'USD')).toBe(1_000);
    // Stored refusals write no transaction.
    expect(await count()).toBe(before);
  });

  it.each([
    ['no postings', { postings: [] }],
    ['26 postings', { postings: Array.from({ length: 26 }, () => ({ to: { system: 'REVENUE' }, asset: 'USD', amount: 1 })) }],
    ['a user naming from', { postings: [{ from: { system: 'TREASURY' }, to: { system: 'REVENUE' }, asset: 'USD', amount: 1 }] }],
    ['a user paying TREASURY', { postings: [{ to: { system: 'TREASURY' }, asset: 'USD', amount: 1 }] }],
    ['a user paying HOLDING', { postings: [{ to: { system: 'HOLDING' }, asset: 'USD', amount: 1 }] }],
    ['two recipients in one party', { postings: [{ to: { system: 'REVENUE', email: 'a@example.com' }, asset: 'USD', amount: 1 }] }],
    ['an empty party', { postings: [{ to: {}, asset: 'USD', amount: 1 }] }],
    ['an unknown party field', { postings: [{ to: { wallet: 1 }, asset: 'USD', amount: 1 }] }],
    ['a fractional amount', { postings: [{ to: { system: 'REVENUE' }, asset: 'USD', amount: 1.5 }] }],
    ['metadata with a number', { postings: [{ to: { system: 'REVENUE' }, asset: 'USD', amount: 1 }], metadata: { n: 1 } }],
    ['metadata with a bad key', { postings: [{ to: { system: 'REVENUE' }, asset: 'USD', amount: 1 }], metadata: { 'a b': 'x' } }],
    ['metadata with 21 keys', { postings: [{ to: { system: 'REVENUE' }, asset: 'USD', amount: 1 }], metadata: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, 'v'])) }],
  ])('answers 400 to %s', async (_, body) => {
    await t.api.fund(admin, buyer.id, 'USD', 10);
    const res = await t.api.post('/api/v1/transactions', body, buyer.token);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('requires an admin to name from on every posting', async () => {
    const res = await t.api.post('/api/v1/transactions', { postings: [{ to: { userId: seller.id }, asset: 'USD', amount: 1 }] }, admin);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('replays a retried multi-leg with its key and refuses the key with another body', async () => {
    await t.api.fund(admin, buyer.id, 'USD', 100);
    const body = { postings: [{ to: { userId: seller.id }, asset: 'USD', amount: 10 }], metadata: { orderId: 'A' } };
    const key = randomUUID();
    const first = await t.api.post('/api/v1/transactions', body, buyer.token, key);
    const again = await t.api.post('/api/v1/transactions', body, buyer.token, key);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const changed = await t.api.post('/api/v1/transactions', { ...body, metadata: { orderId: 'B' } }, buyer.token, key);
    expect([changed.status, changed.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await t.api.balance(seller.token, 'USD')).toBe(10);
  });

  it('reverses every posting of a multi-leg once, and refuses when a recipient spent the money', async () => {
    await t.api.fund(admin, buyer.id, 'USD', 1_000);
    const split = await t.api.post(
      '/api/v1/transactions',
      { postings: [{ to: { userId: seller.id }, asset: 'USD', amount: 700 }, { to: { system: 'REVENUE' }, asset: 'USD', amount: 300 }] },
      buyer.token,
    );
    const reversal = await t.api.post(`/api/v1/transactions/${split.body.id}/reversal`, { reason: 'refund', metadata: { ticket: 'T-1' } }, admin);
    expect(reversal.status).toBe(201);
    expect(reversal.body).toMatchObject({ type: 'REVERSAL', reversalOf: split.body.id, metadata: { ticket: 'T-1' } });
    expect(reversal.body.postings.map((p: { from: { systemCode: string | null }; amount: number }) => [p.from.systemCode, p.amount])).toEqual([
      ['REVENUE', 300],
      [null, 700],
    ]);
    expect(await t.api.balance(buyer.token, 'USD')).toBe(1_000);
    expect(await t.api.balance(seller.token, 'USD')).toBe(0);
    const twice = await t.api.post(`/api/v1/transactions/${split.body.id}/reversal`, { reason: 'again' }, admin);
    expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_REVERSED']);

    const second = await t.api.post('/api/v1/transactions', { postings: [{ to: { userId: seller.id }, asset: 'USD', amount: 500 }] }, buyer.token);
    await t.api.post('/api/v1/spends', { asset: 'USD', amount: 1 }, seller.token);
    const refused = await t.api.post(`/api/v1/transactions/${second.body.id}/reversal`, { reason: 'refund' }, admin);
    expect([refused.status, refused.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
  });

  it('finds transactions by one metadata pair, with keyset pages, through the GIN index', async () => {
    await t.api.fund(admin, buyer.id, 'USD', 1_000);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: seller.id, metadata: { orderId: 'X-9', n: String(i) } }, buyer.token);
      ids.push(res.body.id);
    }
    await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: seller.id, metadata: { orderId: 'other' } }, buyer.token);
    const first = await t.api.get('/api/v1/transactions?metadata[orderId]=X-9&limit=2', buyer.token);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { id: string }) => i.id)).toEqual([ids[2], ids[1]]);
    const next = await t.api.get(`/api/v1/transactions?metadata[orderId]=X-9&limit=2&cursor=${first.body.nextCursor}`, buyer.token);
    expect(next.body.items.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(next.body.nextCursor).toBeNull();
    // The recipient finds it too, a stranger does not; type and asset combine with it.
    expect((await t.api.get('/api/v1/transactions?metadata[orderId]=X-9&type=TRANSFER&asset=USD', seller.token)).body.items).toHaveLength(3);
    expect((await t.api.get('/api/v1/transactions?metadata[orderId]=X-9&type=SPEND', seller.token)).body.items).toHaveLength(0);
    expect((await t.api.get('/api/v1/transactions?metadata[orderId]=X-9', courier.token)).body.items).toHaveLength(0);
    for (const bad of ['metadata[a]=1&metadata[b]=2', 'metadata=x', 'metadata[a%20b]=1']) {
      const res = await t.api.get(`/api/v1/transactions?${bad}`, buyer.token);
      expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    }
    // With a tiny table the planner prefers a scan; with scans priced out it must find the index usable.
    const client = await t.sql.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL enable_seqscan = off');
      const plan = await client.query(`EXPLAIN SELECT id FROM transactions t WHERE t.metadata @> '{"orderId":"X-9"}'::jsonb AND t.metadata <> '{}'::jsonb`);
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('transactions_metadata_idx');
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('keeps the v1 fields of one-posting transactions and adds postings, metadata and holdId', async () => {
    const res = await t.api.post('/api/v1/top-ups', { userId: buyer.id, asset: 'USD', amount: 5, metadata: { source: 'promo' } }, admin);
    expect(res.body).toMatchObject({ type: 'TOP_UP', asset: 'USD', amount: 5, toUserId: buyer.id, metadata: { source: 'promo' }, holdId: null });
    expect(res.body.postings).toEqual([
      { from: { walletId: res.body.fromWalletId, userId: null, systemCode: 'TREASURY' }, to: { walletId: res.body.toWalletId, userId: buyer.id, systemCode: null }, asset: 'USD', amount: 5 },
    ]);
    const listed = (await t.api.get('/api/v1/transactions', buyer.token)).body.items[0];
    expect(listed).toEqual(res.body);
  });
});

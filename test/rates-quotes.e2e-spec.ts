import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { startTestApp, TestApp } from './support/test-app';

describe('rates and quotes', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ QUOTE_TTL_SECONDS: '45' });
    admin = await t.api.adminToken();
    [alice, bob] = [await t.api.register('alice'), await t.api.register('bob')];
  });
  afterAll(() => t.close());

  const put = (from: string, to: string, body: unknown, token = admin) => t.api.request('PUT', `/api/v1/rates/${from}/${to}`, body, { token });
  const quote = (body: unknown, token = alice.token) => t.api.request('POST', '/api/v1/quotes', body, { token });

  it('lets an admin set, replace and delete a rate, stored exactly in canonical form', async () => {
    const first = await put('GOLD_COINS', 'DIAMONDS', { rate: '0.0100' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ from: 'GOLD_COINS', to: 'DIAMONDS', rate: '0.01', updatedAt: expect.any(String) });
    const exact = await put('USD', 'LOYALTY_POINTS', { rate: '123456.789012345678' });
    expect(exact.body.rate).toBe('123456.789012345678');
    const { rows } = await t.sql.query(`SELECT rate::text AS rate, pg_typeof(rate)::text AS type FROM rates ORDER BY rate`);
    expect(rows).toEqual([{ rate: '0.01', type: 'numeric' }, { rate: '123456.789012345678', type: 'numeric' }]);

    const replaced = await put('USD', 'LOYALTY_POINTS', { rate: '2' });
    expect(replaced.body.rate).toBe('2');
    expect(Date.parse(replaced.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(exact.body.updatedAt));
    const listed = await t.api.get('/api/v1/rates', bob.token);
    expect([listed.status, listed.body]).toEqual([200, [first.body, replaced.body]]);

    const deleted = await t.api.request('DELETE', '/api/v1/rates/USD/LOYALTY_POINTS', undefined, { token: admin });
    expect([deleted.status, deleted.body]).toEqual([204, undefined]);
    const again = await t.api.request('DELETE', '/api/v1/rates/USD/LOYALTY_POINTS', undefined, { token: admin });
    expect([again.status, again.body.code]).toEqual([404, 'NOT_FOUND']);
    expect((await t.api.get('/api/v1/rates', bob.token)).body).toEqual([first.body]);
  });

  it('keeps rates an admin matter', async () => {
    expect((await put('GOLD_COINS', 'USD', { rate: '1' }, alice.token)).body.code).toBe('FORBIDDEN');
    const del = await t.api.request('DELETE', '/api/v1/rates/GOLD_COINS/DIAMONDS', undefined, { token: alice.token });
    expect([del.status, del.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await t.api.get('/api/v1/rates')).status).toBe(401);
  });

  it.each([
    [{ rate: 0.01 }], [{ rate: '0' }], [{ rate: '-1' }], [{ rate: '1e-2' }], [{ rate: '.5' }], [{ rate: '0.0000000000001' }],
    [{ rate: '1234567890.123456789' }], [{ rate: '1000000000000000000' }], [{ rate: '' }], [{}], [{ rate: '1', extra: 1 }],
    [{ rate: '1\u0000' }],
  ])('refuses the rate body %p with 400', async (body) => {
    const res = await put('GOLD_COINS', 'USD', body);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('refuses unknown assets and a pair of one asset', async () => {
    for (const [from, to] of [['GOLD_COINS', 'RUBIES'], ['nope', 'USD']]) {
      const res = await put(from, to, { rate: '1' });
      expect([res.status, res.body.code]).toEqual([422, 'ASSET_NOT_FOUND']);
    }
    const same = await put('USD', 'USD', { rate: '1' });
    expect([same.status, same.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('quotes toAmount = floor(fromAmount × rate × 10^(toScale − fromScale)) and fixes it for QUOTE_TTL_SECONDS', async () => {
    await put('LOYALTY_POINTS', 'USD', { rate: '0.333333333333' });
    const res = await quote({ fromAsset: 'LOYALTY_POINTS', toAsset: 'USD', fromAmount: 1000 });
    expect(res.status).toBe(201);
    // 1000 points × 0.333333333333 = 333.333333333 USD = 33333.3333333 cents → 33333.
    expect(res.body).toEqual({
      id: expect.any(String),
      fromAsset: 'LOYALTY_POINTS',
      toAsset: 'USD',
      fromAmount: 1000,
      toAmount: 33333,
      rate: '0.333333333333',
      expiresAt: expect.any(String),
      createdAt: expect.any(String),
    });
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(45_000);
    const { rows } = await t.sql.query('SELECT user_id, from_amount, to_amount, rate::text AS rate, transaction_id FROM quotes WHERE id = $1', [res.body.id]);
    expect(rows).toEqual([{ user_id: alice.id, from_amount: '1000', to_amount: '33333', rate: '0.333333333333', transaction_id: null }]);

    const coins = await quote({ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 199 });
    expect([coins.status, coins.body.toAmount, coins.body.rate]).toEqual([201, 1, '0.01']);
  });

  it('keeps a quote when the rate changes or goes away', async () => {
    await put('DIAMONDS', 'GOLD_COINS', { rate: '100' });
    const before = await quote({ fromAsset: 'DIAMONDS', toAsset: 'GOLD_COINS', fromAmount: 3 }, bob.token);
    await put('DIAMONDS', 'GOLD_COINS', { rate: '90' });
    await t.api.request('DELETE', '/api/v1/rates/DIAMONDS/GOLD_COINS', undefined, { token: admin });
    const { rows } = await t.sql.query('SELECT to_amount, rate::text AS rate FROM quotes WHERE id = $1', [before.body.id]);
    expect([before.body.toAmount, rows]).toEqual([300, [{ to_amount: '300', rate: '100' }]]);
  });

  it('refuses a pair without a rate, an amount that converts to nothing, and one past the money bound', async () => {
    const none = await quote({ fromAsset: 'USD', toAsset: 'DIAMONDS', fromAmount: 100 });
    expect([none.status, none.body.code]).toEqual([422, 'RATE_NOT_FOUND']);
    const small = await quote({ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 99 });
    expect([small.status, small.body.code]).toEqual([422, 'AMOUNT_TOO_SMALL']);
    await put('GOLD_COINS', 'USD', { rate: '999999999999999999' });
    const huge = await quote({ fromAsset: 'GOLD_COINS', toAsset: 'USD', fromAmount: 10 });
    expect([huge.status, huge.body.code]).toEqual([422, 'BALANCE_LIMIT']);
    const unknown = await quote({ fromAsset: 'RUBIES', toAsset: 'USD', fromAmount: 10 });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'ASSET_NOT_FOUND']);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM quotes WHERE user_id = $1', [alice.id])).rows[0].n).toBe(2);
  });

  it.each([
    [{ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 1.5 }],
    [{ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: '100' }],
    [{ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 0 }],
    [{ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 9_007_199_254_740_992 }],
    [{ fromAsset: 'GOLD_COINS', toAsset: 'GOLD_COINS', fromAmount: 100 }],
    [{ fromAsset: 'GOLD_COINS', fromAmount: 100 }],
    [{ fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 100, userId: randomUUID() }],
  ])('refuses the quote body %p with 400', async (body) => {
    const res = await quote(body);
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('documents the exchange and statement routes in the OpenAPI document', async () => {
    const { body } = await t.api.get('/docs-json');
    expect(body.paths['/api/v1/rates/{from}/{to}']).toHaveProperty('put');
    expect(body.paths['/api/v1/rates/{from}/{to}']).toHaveProperty('delete');
    expect(body.paths['/api/v1/rates']).toHaveProperty('get');
    expect(body.paths['/api/v1/quotes']).toHaveProperty('post');
    expect(body.paths['/api/v1/exchanges']).toHaveProperty('post');
    expect(body.paths['/api/v1/wallets/{id}/balance'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'at']));
    expect(Object.keys(body.paths['/api/v1/wallets/{id}/statement'].get.responses['200'].content)).toEqual(['application/json', 'text/csv']);
    expect(body.components.schemas.PutRateDto.properties.rate).toMatchObject({ type: 'string', example: '0.01' });
  });

  it('needs a token for quotes', async () => {
    expect((await t.api.request('POST', '/api/v1/quotes', { fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 100 })).status).toBe(401);
  });
});

/** "A quote is used at most once, before it expires" holds in SQL, whatever the code does. */
describe('quotes in the database', () => {
  let t: TestApp;
  let quoteId: string;
  let transactionIds: string[];

  beforeAll(async () => {
    t = await startTestApp({ QUOTE_TTL_SECONDS: '1' });
    const admin = await t.api.adminToken();
    const user = await t.api.register('q');
    transactionIds = [];
    for (let i = 0; i < 2; i++) transactionIds.push((await t.api.post('/api/v1/top-ups', { userId: user.id, asset: 'GOLD_COINS', amount: 10 }, admin)).body.id);
    await t.api.request('PUT', '/api/v1/rates/GOLD_COINS/DIAMONDS', { rate: '0.5' }, { token: admin });
    const res = await t.api.request('POST', '/api/v1/quotes', { fromAsset: 'GOLD_COINS', toAsset: 'DIAMONDS', fromAmount: 10 }, { token: user.token });
    quoteId = res.body.id;
    expect(Date.parse(res.body.expiresAt) - Date.parse(res.body.createdAt)).toBe(1_000);
  });
  afterAll(() => t.close());

  const refused = /a quote only ever gets its transaction_id, once, before it expires/;

  it.each([
    ['a changed amount', 'UPDATE quotes SET to_amount = to_amount + 1 WHERE id = $1'],
    ['a changed expiry', `UPDATE quotes SET expires_at = expires_at + interval '1 hour' WHERE id = $1`],
    ['a changed rate and a transaction at once', `UPDATE quotes SET rate = 1, transaction_id = (SELECT min(id::text)::uuid FROM transactions) WHERE id = $1`],
    ['a delete', 'DELETE FROM quotes WHERE id = $1'],
  ])('refuses %s', async (_, statement) => {
    await expect(t.sql.query(statement, [quoteId])).rejects.toThrow(refused);
  });

  it('refuses TRUNCATE', async () => {
    await expect(t.sql.query('TRUNCATE quotes')).rejects.toThrow(/append-only/);
  });

  it('lets two racing markings of one quote produce one use', async () => {
    const [first, second] = [await t.sql.connect(), await t.sql.connect()];
    try {
      const mark = 'UPDATE quotes SET transaction_id = $2 WHERE id = $1 AND transaction_id IS NULL';
      await first.query('BEGIN');
      expect((await first.query(mark, [quoteId, transactionIds[0]])).rowCount).toBe(1);
      const racing = second.query(mark, [quoteId, transactionIds[1]]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      await first.query('COMMIT');
      // The second waited on the first's row lock, then found the quote used.
      expect((await racing).rowCount).toBe(0);
    } finally {
      first.release();
      second.release();
    }
    await expect(t.sql.query('UPDATE quotes SET transaction_id = $2 WHERE id = $1', [quoteId, transactionIds[1]])).rejects.toThrow(refused);
    await expect(t.sql.query('UPDATE quotes SET transaction_id = NULL WHERE id = $1', [quoteId])).rejects.toThrow(refused);
  });

  it('refuses a second quote on the same transaction, and using an expired quote', async () => {
    const insert = `INSERT INTO quotes (user_id, from_asset_id, to_asset_id, from_amount, to_amount, rate, expires_at, created_at)
      SELECT user_id, from_asset_id, to_asset_id, from_amount, to_amount, rate, now() + $2::interval, now() - interval '1 minute'
        FROM quotes WHERE id = $1 RETURNING id`;
    const fresh = (await t.sql.query(insert, [quoteId, '1 minute'])).rows[0].id;
    await expect(t.sql.query('UPDATE quotes SET transaction_id = $2 WHERE id = $1', [fresh, transactionIds[0]])).rejects.toThrow(/quotes_transaction_id_key/);
    const expired = (await t.sql.query(insert, [quoteId, '-1 second'])).rows[0].id;
    await expect(t.sql.query('UPDATE quotes SET transaction_id = $2 WHERE id = $1', [expired, transactionIds[1]])).rejects.toThrow(refused);
  });
});

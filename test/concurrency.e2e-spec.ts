import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

/** Real parallel HTTP requests, then the invariants checked in SQL. */
describe('concurrency', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ DB_POOL_SIZE: '8' });
    admin = await t.api.adminToken();
  });
  afterEach(async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
  afterAll(() => t.close());

  it('50 parallel debits of 1 against a balance of 10: exactly 10 succeed', async () => {
    const user = await t.api.register('racer');
    await t.api.fund(admin, user.id, 'GOLD_COINS', 10);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1 }, user.token)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 422 && r.body.code === 'INSUFFICIENT_FUNDS')).toHaveLength(40);
    const { rows } = await t.sql.query(
      `SELECT w.balance::int AS balance FROM wallets w JOIN assets a ON a.id = w.asset_id WHERE w.user_id = $1 AND a.code = 'GOLD_COINS'`,
      [user.id],
    );
    expect(rows[0].balance).toBe(0);
    const spends = await t.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE from_user_id = $1 AND type = 'SPEND'`, [user.id]);
    expect(spends.rows[0].n).toBe(10);
  });

  it('20 parallel identical requests with one key: one effect, identical answers', async () => {
    const [payer, payee] = [await t.api.register('payer'), await t.api.register('payee')];
    await t.api.fund(admin, payer.id, 'GOLD_COINS', 100);
    const key = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 9, toUserId: payee.id }, payer.token, key)),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(results.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await t.api.balance(payer.token, 'GOLD_COINS')).toBe(91);
    const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE from_user_id = $1`, [payer.id]);
    expect(rows[0].n).toBe(1);
  });

  it('crossing transfers among a handful of users in both directions: no 5xx, total conserved', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 5; i++) users.push(await t.api.register(`cross${i}`));
    for (const user of users) await t.api.fund(admin, user.id, 'DIAMONDS', 1_000);
    const requests = Array.from({ length: 300 }, (_, i) => {
      const from = users[i % users.length];
      const to = users[(i * 7 + 1 + Math.floor(i / users.length)) % users.length];
      const target = to === from ? users[(users.indexOf(from) + 1) % users.length] : to;
      return t.api.post('/api/v1/transfers', { asset: 'DIAMONDS', amount: 1 + (i % 5), toUserId: target.id }, from.token);
    });
    const results = await Promise.all(requests);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(results.filter((r) => r.status !== 201).map((r) => r.body.code)).toEqual([]);
    const balances = await Promise.all(users.map((u) => t.api.balance(u.token, 'DIAMONDS')));
    expect(balances.reduce((a, b) => a + b, 0)).toBe(5_000);
    const reconciliation = await t.api.get('/api/v1/admin/reconciliation', admin);
    expect(reconciliation.body).toMatchObject({ ok: true, problems: [] });
  });

  it('parallel hot top-ups and spends through the sharded system wallets stay exact', async () => {
    const users: TestUser[] = [];
    for (let i = 0; i < 4; i++) users.push(await t.api.register(`hot${i}`));
    const topUps = await Promise.all(
      Array.from({ length: 80 }, (_, i) => t.api.post('/api/v1/top-ups', { userId: users[i % 4].id, asset: 'LOYALTY_POINTS', amount: 10 }, admin)),
    );
    expect(topUps.every((r) => r.status === 201)).toBe(true);
    const spends = await Promise.all(
      Array.from({ length: 80 }, (_, i) => t.api.post('/api/v1/spends', { asset: 'LOYALTY_POINTS', amount: 3 }, users[i % 4].token)),
    );
    expect(spends.every((r) => r.status === 201)).toBe(true);
    const { rows } = await t.sql.query(
      `SELECT system_code, sum(balance)::int AS total, count(DISTINCT w.id)::int AS shards_used
         FROM wallets w JOIN assets a ON a.id = w.asset_id
        WHERE a.code = 'LOYALTY_POINTS' AND kind = 'SYSTEM' GROUP BY system_code ORDER BY system_code`,
    );
    expect(rows.map((r) => [r.system_code, r.total])).toEqual([
      ['HOLDING', 0],
      ['REVENUE', 240],
      ['TREASURY', -800],
    ]);
    const wallets = await t.api.get<Array<{ systemCode: string; asset: string; balance: number }>>('/api/v1/wallets?kind=SYSTEM', admin);
    expect(wallets.body.find((w) => w.asset === 'LOYALTY_POINTS' && w.systemCode === 'TREASURY')?.balance).toBe(-800);
  });
});

describe('lock timeouts', () => {
  it('answers 503 BUSY with Retry-After when a wallet stays locked, applies nothing, and frees the key', async () => {
    const t = await startTestApp({ LOCK_TIMEOUT_MS: '100', STATEMENT_TIMEOUT_MS: '1000', POSTING_RETRIES_MAX: '2' });
    const holder = await t.sql.connect();
    try {
      const admin = await t.api.adminToken();
      const user = await t.api.register('locked');
      await t.api.fund(admin, user.id, 'GOLD_COINS', 10);
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM wallets WHERE user_id = $1 FOR UPDATE`, [user.id]);
      const key = randomUUID();
      const busy = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 4 }, user.token, key);
      expect([busy.status, busy.body.code]).toEqual([503, 'BUSY']);
      expect(busy.headers.get('retry-after')).not.toBeNull();
      await holder.query('ROLLBACK');
      const retried = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 4 }, user.token, key);
      expect(retried.status).toBe(201);
      expect(retried.headers.get('idempotent-replayed')).toBeNull();
      expect(await t.api.balance(user.token, 'GOLD_COINS')).toBe(6);
    } finally {
      holder.release();
      await t.close();
    }
  });
});

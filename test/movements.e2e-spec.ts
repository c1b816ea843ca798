import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';
import { IdempotencyPurgeService } from '../src/transfers/idempotency-purge.service';

describe('money movements', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.api.adminToken();
  });
  beforeEach(async () => {
    alice = await t.api.register('alice');
    bob = await t.api.register('bob');
  });
  afterEach(async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
  afterAll(() => t.close());

  it('tops up, transfers by id and by email, spends and withdraws with exact balances', async () => {
    const topUp = await t.api.post('/api/v1/top-ups', { userId: alice.id, asset: 'USD', amount: 10_000, description: 'welcome' }, admin);
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({ type: 'TOP_UP', status: 'COMPLETED', asset: 'USD', amount: 10_000, fromUserId: null, toUserId: alice.id, description: 'welcome', batchId: null, reversalOf: null });
    const bonus = await t.api.post('/api/v1/bonuses', { userId: alice.id, asset: 'USD', amount: 500 }, admin);
    expect(bonus.body.type).toBe('BONUS');
    const byId = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1_234, toUserId: bob.id }, alice.token);
    expect(byId.status).toBe(201);
    expect(byId.body).toMatchObject({ type: 'TRANSFER', fromUserId: alice.id, toUserId: bob.id, amount: 1_234 });
    const byEmail = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 66, toEmail: bob.email.toUpperCase() }, alice.token);
    expect(byEmail.status).toBe(201);
    expect((await t.api.post('/api/v1/spends', { asset: 'USD', amount: 200 }, alice.token)).body.type).toBe('SPEND');
    expect((await t.api.post('/api/v1/withdrawals', { asset: 'USD', amount: 1_000 }, bob.token)).body.type).toBe('WITHDRAWAL');
    expect(await t.api.balance(alice.token, 'USD')).toBe(10_000 + 500 - 1_234 - 66 - 200);
    expect(await t.api.balance(bob.token, 'USD')).toBe(1_234 + 66 - 1_000);
    const { rows } = await t.sql.query(`SELECT sum(balance)::int AS revenue FROM wallets w JOIN assets a ON a.id = w.asset_id WHERE a.code = 'USD' AND system_code = 'REVENUE'`);
    expect(rows[0].revenue).toBe(200);
  });

  it('refuses business rule violations with stable codes and changes nothing', async () => {
    await t.api.fund(admin, alice.id, 'GOLD_COINS', 10);
    const cases: Array<[string, object, string, number, string]> = [
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 11, toUserId: bob.id }, alice.token, 422, 'INSUFFICIENT_FUNDS'],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toUserId: alice.id }, alice.token, 422, 'SAME_WALLET'],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toEmail: alice.email }, alice.token, 422, 'SAME_WALLET'],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toUserId: randomUUID() }, alice.token, 404, 'RECIPIENT_NOT_FOUND'],
      ['/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toEmail: 'nobody@example.com' }, alice.token, 404, 'RECIPIENT_NOT_FOUND'],
      ['/api/v1/transfers', { asset: 'NOPE', amount: 1, toUserId: bob.id }, alice.token, 422, 'ASSET_NOT_FOUND'],
      ['/api/v1/spends', { asset: 'DIAMONDS', amount: 1 }, alice.token, 422, 'INSUFFICIENT_FUNDS'],
      ['/api/v1/withdrawals', { asset: 'GOLD_COINS', amount: 11 }, alice.token, 422, 'INSUFFICIENT_FUNDS'],
      ['/api/v1/top-ups', { userId: randomUUID(), asset: 'GOLD_COINS', amount: 1 }, admin, 404, 'RECIPIENT_NOT_FOUND'],
      ['/api/v1/top-ups', { userId: bob.id, asset: 'GOLD_COINS', amount: 1 }, alice.token, 403, 'FORBIDDEN'],
      ['/api/v1/bonuses', { userId: bob.id, asset: 'GOLD_COINS', amount: 1 }, bob.token, 403, 'FORBIDDEN'],
    ];
    const before = await t.sql.query('SELECT count(*)::int AS n FROM transactions');
    for (const [path, body, token, status, code] of cases) {
      const res = await t.api.post(path, body, token);
      expect({ path, body, status: res.status, code: res.body.code }).toEqual({ path, body, status, code });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const after = await t.sql.query('SELECT count(*)::int AS n FROM transactions');
    expect(after.rows[0].n).toBe(before.rows[0].n);
    expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(10);
  });

  describe('amount validation', () => {
    it.each([
      ['a float', 1.5],
      ['a string', '10'],
      ['negative', -5],
      ['zero', 0],
      ['null', null],
      ['above 2^53 - 1', 9_007_199_254_740_992],
      ['an object', { value: 1 }],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_, amount) => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 100);
      const res = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount, toUserId: bob.id }, alice.token);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'amount' })]));
      expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(100);
    });

    it('refuses a huge exponent and an amount written as 1e400', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 100);
      for (const raw of ['1e400', '1e20', '1.5e0']) {
        const res = await t.api.request('POST', '/api/v1/transfers', undefined, {
          token: alice.token,
          key: randomUUID(),
          rawBody: `{"asset":"GOLD_COINS","amount":${raw},"toUserId":"${bob.id}"}`,
        });
        expect({ raw, status: res.status }).toEqual({ raw, status: 400 });
      }
      expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(100);
    });
  });

  it('rejects unknown body fields such as fromUserId with 400', async () => {
    await t.api.fund(admin, bob.id, 'GOLD_COINS', 50);
    const res = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 5, toUserId: alice.id, fromUserId: bob.id }, alice.token);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'fromUserId' })]));
    expect(await t.api.balance(bob.token, 'GOLD_COINS')).toBe(50);
  });

  it('needs exactly one recipient', async () => {
    const both = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1, toUserId: bob.id, toEmail: bob.email }, alice.token);
    const neither = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1 }, alice.token);
    expect([both.status, neither.status]).toEqual([400, 400]);
  });

  describe('idempotency', () => {
    it('requires an Idempotency-Key on every money-moving POST', async () => {
      for (const path of ['/api/v1/transfers', '/api/v1/spends', '/api/v1/withdrawals']) {
        const res = await t.api.post(path, { asset: 'GOLD_COINS', amount: 1, toUserId: bob.id }, alice.token, null);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      }
      const topUp = await t.api.post('/api/v1/top-ups', { userId: bob.id, asset: 'GOLD_COINS', amount: 1 }, admin, null);
      expect(topUp.body.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
      const badKey = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1 }, alice.token, 'x'.repeat(256));
      expect(badKey.status).toBe(400);
    });

    it('replays the stored answer for the same key and body, in any key order', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 100);
      const key = randomUUID();
      const first = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 7, toUserId: bob.id }, alice.token, key);
      const again = await t.api.post('/api/v1/transfers', { toUserId: bob.id, amount: 7, asset: 'GOLD_COINS' }, alice.token, key);
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(93);
    });

    it('refuses the same key with another body or path with 422 IDEMPOTENCY_KEY_REUSED', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 100);
      const key = randomUUID();
      await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 5 }, alice.token, key);
      const otherBody = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 6 }, alice.token, key);
      const otherPath = await t.api.post('/api/v1/withdrawals', { asset: 'GOLD_COINS', amount: 5 }, alice.token, key);
      expect([otherBody.status, otherBody.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect([otherPath.status, otherPath.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
      expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(95);
    });

    it('scopes keys to the caller', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 10);
      await t.api.fund(admin, bob.id, 'GOLD_COINS', 10);
      const key = randomUUID();
      const a = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1 }, alice.token, key);
      const b = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 1 }, bob.token, key);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(b.headers.get('idempotent-replayed')).toBeNull();
    });

    it('stores a business refusal and replays it even after the money arrives', async () => {
      const key = randomUUID();
      const refused = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 5 }, alice.token, key);
      expect([refused.status, refused.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 100);
      const retried = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 5 }, alice.token, key);
      expect(retried.status).toBe(422);
      expect(retried.headers.get('idempotent-replayed')).toBe('true');
      expect(retried.body).toEqual(refused.body);
      expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(100);
    });

    it('stores nothing for a validation failure: the key may be used again', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 10);
      const key = randomUUID();
      expect((await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 0 }, alice.token, key)).status).toBe(400);
      const ok = await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 3 }, alice.token, key);
      expect(ok.status).toBe(201);
      expect(ok.headers.get('idempotent-replayed')).toBeNull();
    });
  });

  describe('reversals', () => {
    it('reverses a transfer once; a second reversal is 409 ALREADY_REVERSED', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 100);
      const transfer = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 40, toUserId: bob.id }, alice.token);
      const path = `/api/v1/transactions/${transfer.body.id}/reversal`;
      const reversal = await t.api.post(path, { reason: 'sent by mistake' }, admin);
      expect(reversal.status).toBe(201);
      expect(reversal.body).toMatchObject({ type: 'REVERSAL', reversalOf: transfer.body.id, fromUserId: bob.id, toUserId: alice.id, amount: 40, description: 'sent by mistake' });
      expect(await t.api.balance(alice.token, 'GOLD_COINS')).toBe(100);
      expect(await t.api.balance(bob.token, 'GOLD_COINS')).toBe(0);
      const twice = await t.api.post(path, { reason: 'again' }, admin);
      expect([twice.status, twice.body.code]).toEqual([409, 'ALREADY_REVERSED']);
    });

    it('refuses with 422 INSUFFICIENT_FUNDS when the money is gone', async () => {
      await t.api.fund(admin, alice.id, 'GOLD_COINS', 30);
      const transfer = await t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 30, toUserId: bob.id }, alice.token);
      await t.api.post('/api/v1/spends', { asset: 'GOLD_COINS', amount: 20 }, bob.token);
      const res = await t.api.post(`/api/v1/transactions/${transfer.body.id}/reversal`, { reason: 'too late' }, admin);
      expect([res.status, res.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
      expect(await t.api.balance(bob.token, 'GOLD_COINS')).toBe(10);
    });

    it('reverses a spend out of REVENUE and a top-up out of the user; refuses users and unknown ids', async () => {
      const topUp = await t.api.post('/api/v1/top-ups', { userId: alice.id, asset: 'USD', amount: 900 }, admin);
      const spend = await t.api.post('/api/v1/spends', { asset: 'USD', amount: 100 }, alice.token);
      expect((await t.api.post(`/api/v1/transactions/${spend.body.id}/reversal`, { reason: 'refund' }, admin)).status).toBe(201);
      expect((await t.api.post(`/api/v1/transactions/${topUp.body.id}/reversal`, { reason: 'void' }, admin)).status).toBe(201);
      expect(await t.api.balance(alice.token, 'USD')).toBe(0);
      const byUser = await t.api.post(`/api/v1/transactions/${spend.body.id}/reversal`, { reason: 'me' }, alice.token);
      expect(byUser.status).toBe(403);
      const unknown = await t.api.post(`/api/v1/transactions/${randomUUID()}/reversal`, { reason: 'x' }, admin);
      expect([unknown.status, unknown.body.code]).toEqual([404, 'NOT_FOUND']);
    });
  });
});

// Its own app, after the main one closed (two apps in one process share one TypeORM DataSource).
// One TREASURY shard: a shard may issue only its share of the bound, and here that is all of it.
describe('the balance bound', () => {
  it('refuses a credit past the balance bound with BALANCE_LIMIT', async () => {
    const single = await startTestApp({ SYSTEM_WALLET_SHARDS: '1' });
    try {
      const [root, whale] = [await single.api.adminToken(), await single.api.register('whale')];
      await single.api.fund(root, whale.id, 'DIAMONDS', 9_007_199_254_740_991);
      const res = await single.api.post('/api/v1/top-ups', { userId: whale.id, asset: 'DIAMONDS', amount: 1 }, root);
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('BALANCE_LIMIT');
      expect(await single.api.balance(whale.token, 'DIAMONDS')).toBe(9_007_199_254_740_991);
    } finally {
      await single.close();
    }
  });
});

describe('idempotency key retention', () => {
  it('purges keys past the retention and keeps younger ones', async () => {
    const t = await startTestApp({ IDEMPOTENCY_RETENTION_HOURS: '24' });
    try {
      const admin = await t.api.adminToken();
      const user = await t.api.register('ret');
      await t.api.fund(admin, user.id, 'GOLD_COINS', 5);
      await t.api.fund(admin, user.id, 'GOLD_COINS', 5);
      await t.sql.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE ctid = (SELECT min(ctid) FROM idempotency_keys)`);
      const purged = await t.app.get(IdempotencyPurgeService).purge();
      expect(purged).toBe(1);
      const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM idempotency_keys');
      expect(rows[0].n).toBe(1);
    } finally {
      await t.close();
    }
  });
});

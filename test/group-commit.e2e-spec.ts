import { randomUUID } from 'node:crypto';
import { TestUser } from './support/api-client';
import { ledgerProblems } from './support/ledger-checks';
import { startTestApp, TestApp } from './support/test-app';

/**
 * Group commit: concurrent one-posting requests share database transactions. A shared
 * transaction shows as one `created_at` (the database's transaction time) on several rows.
 */
describe('group commit', () => {
  let t: TestApp;
  let admin: string;
  let payers: TestUser[];
  let payee: TestUser;

  beforeAll(async () => {
    // A short wait under load makes groups of several requests certain on a busy CI machine.
    t = await startTestApp({ GROUP_COMMIT_MAX_SIZE: '32', GROUP_COMMIT_MAX_WAIT_US: '2000' });
    admin = await t.api.adminToken();
  });
  beforeEach(async () => {
    payers = await Promise.all(Array.from({ length: 4 }, () => t.api.register('payer')));
    payee = await t.api.register('payee');
    for (const payer of payers) await t.api.fund(admin, payer.id, 'USD', 100);
  });
  afterEach(async () => {
    expect(await ledgerProblems(t.sql)).toEqual([]);
  });
  afterAll(() => t.close());

  const transactionsPerCommit = async (userIds: string[]) =>
    (
      await t.sql.query(
        `SELECT count(*)::int AS n FROM transactions WHERE from_user_id = ANY($1) AND type = 'TRANSFER' GROUP BY created_at ORDER BY n DESC`,
        [userIds],
      )
    ).rows.map((r) => r.n);

  it('commits concurrent transfers together, refusing only the ones without money, in arrival order per wallet', async () => {
    // 4 payers × 15 transfers of 10 against 100 each: exactly 10 per payer succeed.
    const results = await Promise.all(
      payers.flatMap((payer) =>
        Array.from({ length: 15 }, () => t.api.post('/api/v1/transfers', { asset: 'USD', amount: 10, toUserId: payee.id }, payer.token)),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(40);
    expect(results.filter((r) => r.status === 422 && r.body.code === 'INSUFFICIENT_FUNDS')).toHaveLength(20);
    for (const payer of payers) expect(await t.api.balance(payer.token, 'USD')).toBe(0);
    expect(await t.api.balance(payee.token, 'USD')).toBe(400);
    const groups = await transactionsPerCommit(payers.map((p) => p.id));
    expect(groups.reduce((a, b) => a + b, 0)).toBe(40);
    expect(groups[0]).toBeGreaterThan(1);
    // Every refusal was stored with its key in the same commit: a retry replays it.
    const refused = results.findIndex((r) => r.status === 422);
    expect(refused).toBeGreaterThanOrEqual(0);
  });

  it('answers duplicates of one key inside a group with the first one\'s answer', async () => {
    const key = randomUUID();
    const body = { asset: 'USD', amount: 7, toUserId: payee.id };
    const results = await Promise.all(Array.from({ length: 10 }, () => t.api.post('/api/v1/transfers', body, payers[0].token, key)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(9);
    expect(await t.api.balance(payers[0].token, 'USD')).toBe(93);
    const reused = await t.api.post('/api/v1/transfers', { ...body, amount: 8 }, payers[0].token, key);
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('replays a stored refusal and a stored success inside later groups', async () => {
    const [okKey, refusedKey] = [randomUUID(), randomUUID()];
    await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 100, toUserId: payee.id }, payers[1].token, okKey);
    const refused = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: payee.id }, payers[1].token, refusedKey);
    expect(refused.status).toBe(422);
    await t.api.fund(admin, payers[1].id, 'USD', 50);
    const again = await Promise.all([
      t.api.post('/api/v1/transfers', { asset: 'USD', amount: 100, toUserId: payee.id }, payers[1].token, okKey),
      t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: payee.id }, payers[1].token, refusedKey),
      t.api.post('/api/v1/spends', { asset: 'USD', amount: 1 }, payers[2].token),
    ]);
    expect(again.map((r) => [r.status, r.headers.get('idempotent-replayed')])).toEqual([
      [201, 'true'],
      [422, 'true'],
      [201, null],
    ]);
    expect(await t.api.balance(payers[1].token, 'USD')).toBe(50);
  });

  it('refuses one request by a rule and one by the database in the same load; the others commit', async () => {
    // A rule the service's checks do not know: the database refuses one description.
    await t.sql.query(`
      CREATE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.description = 'poison' THEN RAISE EXCEPTION 'poisoned' USING ERRCODE = 'check_violation'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_poison BEFORE INSERT ON transactions FOR EACH ROW EXECUTE FUNCTION test_refuse_poison();`);
    try {
      const [tooMuch, ...results] = await Promise.all([
        t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1_000, toUserId: payee.id }, payers[2].token),
        ...Array.from({ length: 12 }, (_, i) =>
          t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: payee.id, description: i === 5 ? 'poison' : `ok ${i}` }, payers[3].token),
        ),
      ]);
      expect([tooMuch.status, tooMuch.body.code]).toEqual([422, 'INSUFFICIENT_FUNDS']);
      expect(results.filter((r) => r.status === 201)).toHaveLength(11);
      expect(results[5].status).toBe(500);
      expect(results[5].body.code).toBe('INTERNAL');
      expect(await t.api.balance(payers[3].token, 'USD')).toBe(89);
      expect(await t.api.balance(payers[2].token, 'USD')).toBe(100);
      // The database's refusal was not stored with the key: nothing committed for it.
      const { rows } = await t.sql.query(`SELECT count(*)::int AS n FROM transactions WHERE description = 'poison'`);
      expect(rows[0].n).toBe(0);
    } finally {
      await t.sql.query('DROP TRIGGER test_refuse_poison ON transactions; DROP FUNCTION test_refuse_poison()');
    }
  });

  it('mixes top-ups, spends and withdrawals through the system wallets in one group and stays exact', async () => {
    const results = await Promise.all([
      ...payers.map((p) => t.api.post('/api/v1/top-ups', { userId: p.id, asset: 'USD', amount: 5 }, admin)),
      ...payers.map((p) => t.api.post('/api/v1/spends', { asset: 'USD', amount: 30 }, p.token)),
      ...payers.map((p) => t.api.post('/api/v1/withdrawals', { asset: 'USD', amount: 20 }, p.token)),
      t.api.post('/api/v1/top-ups', { userId: randomUUID(), asset: 'USD', amount: 5 }, admin),
      t.api.post('/api/v1/spends', { asset: 'NOPE', amount: 1 }, payers[0].token),
    ]);
    expect(results.slice(0, 12).map((r) => r.status)).toEqual(Array(12).fill(201));
    expect([results[12].status, results[12].body.code]).toEqual([404, 'RECIPIENT_NOT_FOUND']);
    expect([results[13].status, results[13].body.code]).toEqual([422, 'ASSET_NOT_FOUND']);
    for (const payer of payers) expect(await t.api.balance(payer.token, 'USD')).toBe(55);
  });
});

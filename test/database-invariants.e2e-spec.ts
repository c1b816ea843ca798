import { randomUUID } from 'node:crypto';
import { startTestApp, TestApp } from './support/test-app';

/** The database itself refuses what would break the ledger, whatever the code does. */
describe('database-enforced invariants', () => {
  let t: TestApp;
  let walletId: string;
  let transactionId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.api.adminToken();
    const user = await t.api.register('inv');
    const topUp = await t.api.post('/api/v1/top-ups', { userId: user.id, asset: 'GOLD_COINS', amount: 10 }, admin);
    transactionId = topUp.body.id;
    walletId = String(topUp.body.toWalletId);
  });
  afterAll(() => t.close());

  it.each([
    ['UPDATE ledger_entries', `UPDATE ledger_entries SET amount = amount + 1`],
    ['DELETE ledger_entries', `DELETE FROM ledger_entries`],
    ['TRUNCATE ledger_entries', `TRUNCATE ledger_entries`],
    ['UPDATE transactions', `UPDATE transactions SET amount = 1`],
    ['DELETE transactions', `DELETE FROM transactions`],
  ])('refuses %s', async (_, statement) => {
    await expect(t.sql.query(statement)).rejects.toThrow(/append-only/);
  });

  it('refuses a negative user balance', async () => {
    await expect(t.sql.query('UPDATE wallets SET balance = -1 WHERE id = $1', [walletId])).rejects.toThrow(/wallets_user_balance_non_negative_ck/);
  });

  it('refuses a balance past the bound, even on a system wallet', async () => {
    await expect(
      t.sql.query(`UPDATE wallets SET balance = -9007199254740992 WHERE kind = 'SYSTEM' AND id = (SELECT min(id) FROM wallets WHERE kind = 'SYSTEM')`),
    ).rejects.toThrow(/wallets_balance_bound_ck/);
  });

  it('refuses at commit a transaction whose entries do not sum to zero', async () => {
    const client = await t.sql.connect();
    try {
      await client.query('BEGIN');
      const id = randomUUID();
      const [from, to] = (await client.query(`SELECT id FROM wallets WHERE kind = 'SYSTEM' ORDER BY id LIMIT 2`)).rows.map((r) => r.id);
      await client.query(
        `INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id) VALUES ($1, 'TOP_UP', (SELECT asset_id FROM wallets WHERE id = $2), 5, $2, $3)`,
        [id, from, to],
      );
      await client.query(
        `INSERT INTO ledger_entries (transaction_id, wallet_id, direction, amount, balance_after) VALUES ($1, $2, 'DEBIT', 5, -5), ($1, $3, 'CREDIT', 4, 4)`,
        [id, from, to],
      );
      await expect(client.query('COMMIT')).rejects.toThrow(/unbalanced/);
    } finally {
      client.release();
    }
    const { rows } = await t.sql.query('SELECT count(*)::int AS n FROM transactions');
    expect(rows[0].n).toBe(1);
  });

  it('refuses a second reversal of one transaction by a unique index', async () => {
    const reversal = `INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, reversal_of)
      SELECT $1, 'REVERSAL', asset_id, amount, to_wallet_id, from_wallet_id, id FROM transactions WHERE id = $2`;
    const client = await t.sql.connect();
    try {
      // Both inserts in one transaction that is rolled back: the ledger stays as it was.
      await client.query('BEGIN');
      await client.query(reversal, [randomUUID(), transactionId]);
      await expect(client.query(reversal, [randomUUID(), transactionId])).rejects.toThrow(/transactions_reversal_of_key/);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('refuses at commit a two-asset transaction that balances overall but not per asset', async () => {
    const client = await t.sql.connect();
    try {
      await client.query('BEGIN');
      const id = randomUUID();
      const wallets = await client.query(
        `SELECT a.code, min(w.id) AS treasury, max(w.id) AS other FROM wallets w JOIN assets a ON a.id = w.asset_id
          WHERE w.system_code = 'TREASURY' AND a.code IN ('USD', 'GOLD_COINS') GROUP BY a.code ORDER BY a.code`,
      );
      const [gold, usd] = wallets.rows;
      await client.query(`INSERT INTO transactions (id, type, posting_count) VALUES ($1, 'MULTI_LEG', 2)`, [id]);
      // 5 GOLD_COINS out, 5 USD in: the plain sum is 0, but each asset is off by 5.
      await client.query(
        `INSERT INTO ledger_entries (transaction_id, wallet_id, posting, direction, amount, balance_after)
         VALUES ($1, $2, 0, 'DEBIT', 5, -5), ($1, $3, 0, 'CREDIT', 5, 5)`,
        [id, gold.treasury, usd.other],
      );
      await expect(client.query('COMMIT')).rejects.toThrow(/unbalanced/);
    } finally {
      client.release();
    }
  });

  describe('holds', () => {
    let holdId: string;

    beforeAll(async () => {
      const payer = await t.api.register('payer');
      const payee = await t.api.register('payee');
      await t.api.fund(await t.api.adminToken(), payer.id, 'USD', 100);
      const hold = await t.api.post('/api/v1/holds', { asset: 'USD', amount: 40, toUserId: payee.id }, payer.token);
      expect(hold.status).toBe(201);
      holdId = hold.body.id;
    });

    /** A resolving transaction written straight in SQL: HOLDING → payer, as a release would. */
    async function insertRelease(client: import('pg').PoolClient, id: string): Promise<void> {
      await client.query(
        `INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, hold_id)
         SELECT $1, 'HOLD_RELEASE', h.asset_id, h.amount,
                (SELECT min(id) FROM wallets WHERE asset_id = h.asset_id AND system_code = 'HOLDING'), h.payer_wallet_id, h.id
           FROM holds h WHERE h.id = $2`,
        [id, holdId],
      );
    }

    it('refuses a second resolving transaction of one hold by a unique index', async () => {
      const client = await t.sql.connect();
      try {
        await client.query('BEGIN');
        await insertRelease(client, randomUUID());
        await expect(insertRelease(client, randomUUID())).rejects.toThrow(/transactions_hold_resolved_uq/);
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    });

    it('lets a hold leave PENDING once, and changes nothing else about it', async () => {
      const client = await t.sql.connect();
      try {
        await client.query('BEGIN');
        await expect(client.query(`UPDATE holds SET amount = 1 WHERE id = $1`, [holdId])).rejects.toThrow(/resolved once/);
        await client.query('ROLLBACK');
        await client.query('BEGIN');
        await client.query(`UPDATE holds SET status = 'VOIDED', resolved_at = now() WHERE id = $1`, [holdId]);
        await expect(client.query(`UPDATE holds SET status = 'CAPTURED', captured_amount = 40 WHERE id = $1`, [holdId])).rejects.toThrow(
          /resolved once/,
        );
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
      await expect(t.sql.query('DELETE FROM holds WHERE id = $1', [holdId])).rejects.toThrow(/resolved once/);
    });

    it('refuses metadata that is not an object', async () => {
      await expect(t.sql.query(`UPDATE holds SET metadata = '[]' WHERE id = $1`, [holdId])).rejects.toThrow(/check constraint|resolved once/);
      const client = await t.sql.connect();
      try {
        await client.query('BEGIN');
        await expect(client.query(`INSERT INTO transactions (id, type, posting_count, metadata) VALUES ($1, 'MULTI_LEG', 2, '"x"')`, [randomUUID()])).rejects.toThrow(
          /transactions_metadata_check/,
        );
        await client.query('ROLLBACK');
      } finally {
        client.release();
      }
    });
  });
});

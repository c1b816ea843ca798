import { Pool } from 'pg';

/** The ledger invariants, straight from SQL: the tests' own check, independent of the service's. */
export async function ledgerProblems(sql: Pool): Promise<string[]> {
  const problems: string[] = [];
  const unbalancedWallets = await sql.query(
    `SELECT w.id FROM wallets w LEFT JOIN (
       SELECT wallet_id, sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS net FROM ledger_entries GROUP BY wallet_id
     ) e ON e.wallet_id = w.id WHERE w.balance <> coalesce(e.net, 0)`,
  );
  for (const row of unbalancedWallets.rows) problems.push(`wallet ${row.id} balance differs from its entries`);
  const unbalancedTx = await sql.query(
    `SELECT transaction_id FROM ledger_entries GROUP BY transaction_id
     HAVING sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) <> 0 OR count(*) <> 2`,
  );
  for (const row of unbalancedTx.rows) problems.push(`transaction ${row.transaction_id} entries do not balance`);
  const assets = await sql.query(`SELECT asset_id, sum(balance)::text AS total FROM wallets GROUP BY asset_id HAVING sum(balance) <> 0`);
  for (const row of assets.rows) problems.push(`asset ${row.asset_id} sums to ${row.total}`);
  const negative = await sql.query(`SELECT id FROM wallets WHERE kind = 'USER' AND balance < 0`);
  for (const row of negative.rows) problems.push(`user wallet ${row.id} is negative`);
  return problems;
}

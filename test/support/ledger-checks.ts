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
    `SELECT e.transaction_id FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id JOIN transactions t ON t.id = e.transaction_id
      GROUP BY e.transaction_id, t.posting_count
     HAVING count(*) <> 2 * t.posting_count
             OR EXISTS (SELECT 1 FROM ledger_entries x JOIN wallets xw ON xw.id = x.wallet_id WHERE x.transaction_id = e.transaction_id
                         GROUP BY xw.asset_id HAVING sum(CASE x.direction WHEN 'CREDIT' THEN x.amount ELSE -x.amount END) <> 0)`,
  );
  for (const row of unbalancedTx.rows) problems.push(`transaction ${row.transaction_id} entries do not balance`);
  const assets = await sql.query(`SELECT asset_id, sum(balance)::text AS total FROM wallets GROUP BY asset_id HAVING sum(balance) <> 0`);
  for (const row of assets.rows) problems.push(`asset ${row.asset_id} sums to ${row.total}`);
  const negative = await sql.query(`SELECT id FROM wallets WHERE kind = 'USER' AND balance < 0`);
  for (const row of negative.rows) problems.push(`user wallet ${row.id} is negative`);
  const holding = await sql.query(
    `SELECT a.code FROM assets a
      WHERE (SELECT coalesce(sum(balance), 0) FROM wallets WHERE asset_id = a.id AND system_code = 'HOLDING')
         <> (SELECT coalesce(sum(amount), 0) FROM holds WHERE asset_id = a.id AND status = 'PENDING')`,
  );
  for (const row of holding.rows) problems.push(`asset ${row.code}: HOLDING differs from the pending holds`);
  return problems;
}

import { PostingFields, SystemCode } from './ledger.types';
import { toMinor } from './money';

/**
 * The postings of transactions, rebuilt from their entries: each posting is its DEBIT entry
 * (from) and its CREDIT entry (to), paired by `ledger_entries.posting`. $1: transaction ids.
 */
export const POSTINGS_OF_SQL = `
  SELECT d.transaction_id, d.posting, a.code AS asset, d.amount::text AS amount,
         d.wallet_id::text AS from_wallet_id, dw.user_id AS from_user_id, dw.system_code AS from_system_code,
         c.wallet_id::text AS to_wallet_id, cw.user_id AS to_user_id, cw.system_code AS to_system_code
    FROM ledger_entries d
    JOIN ledger_entries c ON c.transaction_id = d.transaction_id AND c.posting = d.posting AND c.direction = 'CREDIT'
    JOIN wallets dw ON dw.id = d.wallet_id
    JOIN wallets cw ON cw.id = c.wallet_id
    JOIN assets a ON a.id = dw.asset_id
   WHERE d.transaction_id = ANY($1::uuid[]) AND d.direction = 'DEBIT'
   ORDER BY d.transaction_id, d.posting`;

export interface PostingRow {
  transaction_id: string;
  posting: number;
  asset: string;
  amount: string;
  from_wallet_id: string;
  from_user_id: string | null;
  from_system_code: SystemCode | null;
  to_wallet_id: string;
  to_user_id: string | null;
  to_system_code: SystemCode | null;
}

export function postingOf(row: Omit<PostingRow, 'transaction_id' | 'posting'>): PostingFields {
  return {
    from: { walletId: String(row.from_wallet_id), userId: row.from_user_id, systemCode: row.from_system_code },
    to: { walletId: String(row.to_wallet_id), userId: row.to_user_id, systemCode: row.to_system_code },
    asset: row.asset,
    amount: toMinor(row.amount),
  };
}

/** Transaction id → its postings in order. */
export function postingsByTransaction(rows: PostingRow[]): Map<string, PostingFields[]> {
  const byTransaction = new Map<string, PostingFields[]>();
  for (const row of rows) {
    const postings = byTransaction.get(row.transaction_id) ?? [];
    postings.push(postingOf(row));
    byTransaction.set(row.transaction_id, postings);
  }
  return byTransaction;
}

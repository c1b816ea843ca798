import { strict as assert } from 'node:assert';
import { LedgerTransaction } from './ledger-transaction';
import { LockedWallet, Movement, PostedTransaction } from './ledger.types';

/**
 * Writes the movements, their entries (debit then credit, in the order the movements were
 * added, so entry ids follow balance_after) and each wallet's final balance in one statement.
 */
const WRITE_ALL_SQL = `
  WITH moved AS (
    INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id,
                              to_user_id, description, batch_id, batch_row, reversal_of, created_at)
    SELECT t.id, t.type, t.asset_id, t.amount, t.from_wallet_id, t.to_wallet_id, t.from_user_id,
           t.to_user_id, t.description, t.batch_id, t.batch_row, t.reversal_of, $13
      FROM unnest($1::uuid[], $2::text[], $3::int[], $4::bigint[], $5::bigint[], $6::bigint[], $7::uuid[],
                  $8::uuid[], $9::text[], $10::uuid[], $11::int[], $12::uuid[])
           AS t(id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id,
                to_user_id, description, batch_id, batch_row, reversal_of))
  , entries AS (
    INSERT INTO ledger_entries (transaction_id, wallet_id, direction, amount, balance_after, created_at)
    SELECT e.transaction_id, e.wallet_id, e.direction, e.amount, e.balance_after, $13
      FROM unnest($14::uuid[], $15::bigint[], $16::text[], $17::bigint[], $18::bigint[]) WITH ORDINALITY
           AS e(transaction_id, wallet_id, direction, amount, balance_after, n)
     ORDER BY e.n)
  UPDATE wallets w SET balance = b.balance, version = w.version + b.movements, updated_at = $13
    FROM unnest($19::bigint[], $20::bigint[], $21::int[]) AS b(id, balance, movements)
   WHERE w.id = b.id`;

/**
 * Many movements of one LedgerTransaction, checked one by one as `prepare` checks them and
 * written together by one statement (batch payouts: hundreds of rows per chunk). Each `add`
 * moves the locked wallets' balances on, so the next movement is checked against them; a
 * refused movement throws and changes nothing. `restore` puts the balances back as they were
 * locked, for when the write is rolled back.
 */
export class BulkPosting {
  private readonly posted: PostedTransaction[] = [];
  private readonly lockedBalances = new Map<LockedWallet, bigint>();
  private readonly wallets = new Map<string, { wallet: LockedWallet; movements: number }>();

  constructor(private readonly tx: LedgerTransaction) {}

  add(movement: Movement): PostedTransaction {
    const posted = this.tx.prepare(movement);
    for (const [wallet, balance] of [
      [movement.from, posted.fromBalanceAfter],
      [movement.to, posted.toBalanceAfter],
    ] as const) {
      if (!this.lockedBalances.has(wallet)) this.lockedBalances.set(wallet, wallet.balance);
      wallet.balance = balance;
      const touched = this.wallets.get(wallet.id) ?? { wallet, movements: 0 };
      assert.equal(touched.wallet, wallet, `wallet ${wallet.id} must be one locked object`);
      touched.movements += 1;
      this.wallets.set(wallet.id, touched);
    }
    this.posted.push(posted);
    return posted;
  }

  restore(): void {
    for (const [wallet, balance] of this.lockedBalances) wallet.balance = balance;
  }

  /**
   * The one statement that writes every added movement: transactions, entries and final
   * balances. The caller sends it on the transaction's connection, where it may travel with
   * other statements in one round trip; null when nothing was added.
   */
  writeStatement(): { text: string; values: unknown[] } | null {
    const p = this.posted;
    if (p.length === 0) return null;
    const entries = p.flatMap((t) => [
      [t.id, t.fromWalletId, 'DEBIT', t.amount.toString(), t.fromBalanceAfter.toString()],
      [t.id, t.toWalletId, 'CREDIT', t.amount.toString(), t.toBalanceAfter.toString()],
    ]);
    const wallets = [...this.wallets.values()];
    const values = [
      p.map((t) => t.id),
      p.map((t) => t.type),
      p.map((t) => t.assetId),
      p.map((t) => t.amount.toString()),
      p.map((t) => t.fromWalletId),
      p.map((t) => t.toWalletId),
      p.map((t) => t.fromUserId),
      p.map((t) => t.toUserId),
      p.map((t) => t.description),
      p.map((t) => t.batchId),
      p.map((t) => t.batchRow),
      p.map((t) => t.reversalOf),
      this.tx.now,
      ...[0, 1, 2, 3, 4].map((column) => entries.map((entry) => entry[column])),
      wallets.map((w) => w.wallet.id),
      wallets.map((w) => w.wallet.balance.toString()),
      wallets.map((w) => w.movements),
    ];
    return { text: WRITE_ALL_SQL, values };
  }
}

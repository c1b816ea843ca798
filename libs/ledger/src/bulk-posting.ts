import { LedgerTransaction } from './ledger-transaction';
import { WRITE_SQL, writeValues } from './ledger-write';
import { LockedWallet, Movement, PostedTransaction } from './ledger.types';

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

  constructor(private readonly tx: LedgerTransaction) {}

  add(movement: Movement): PostedTransaction {
    const posted = this.tx.prepare(movement);
    for (const [wallet, balance] of posted.balancesAfter) {
      if (!this.lockedBalances.has(wallet)) this.lockedBalances.set(wallet, wallet.balance);
      wallet.balance = balance;
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
    if (this.posted.length === 0) return null;
    return { text: WRITE_SQL, values: writeValues(this.tx.now, this.posted, []) };
  }
}

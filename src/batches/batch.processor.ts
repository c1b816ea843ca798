import { Inject, Injectable, Logger } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { QueryFailedError } from 'typeorm';
import {
  Asset,
  DomainError,
  ErrorCode,
  InsufficientFundsError,
  LedgerTransaction,
  LockedWallet,
  PostedTransaction,
  PostingEngine,
  RecipientNotFoundError,
  SameWalletError,
  sqlState,
  toMinor,
} from '../../libs/ledger/src';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { movementsPosted } from '../metrics/metrics';
import { recipientRef } from './batch-csv.parser';

interface ClaimedBatch {
  id: string;
  user_id: string;
  asset: string;
  item_count: number;
  processed_count: number;
}

/** A row still to pay; its cells were validated at upload. */
interface PendingItem {
  row: number;
  recipient: string;
  amount: string;
  reference: string | null;
}

interface ItemOutcome {
  row: number;
  recipientUserId: string | null;
  /** Set when paid. */
  transactionId: string | null;
  amount: bigint;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
}

/**
 * The oldest open batch that no other worker holds. The batch row stays locked for the whole
 * chunk transaction: one worker per batch at a time keeps file order, and SKIP LOCKED sends
 * other workers (other instances) to other batches instead of making them wait.
 */
const CLAIM_BATCH_SQL = `
  SELECT b.id, b.user_id, a.code AS asset, b.item_count, b.processed_count
    FROM batches b JOIN assets a ON a.id = b.asset_id
   WHERE b.status IN ('PENDING', 'PROCESSING')
   ORDER BY b.created_at, b.id
   LIMIT 1
   FOR UPDATE OF b SKIP LOCKED`;

const PENDING_ITEMS_SQL = `
  SELECT row, recipient, amount::text AS amount, reference FROM batch_items
   WHERE batch_id = $1 AND status = 'PENDING'
   ORDER BY row LIMIT $2`;

const RECIPIENTS_SQL = 'SELECT id, email FROM users WHERE email = ANY($1::text[]) OR id = ANY($2::uuid[])';

/**
 * Missing recipient wallets, created before the lock as the posting engine's lock() does
 * (ON CONFLICT: racing creators agree), all in one statement. Inserting in user-id order makes
 * two chunks that create the same wallets wait on each other in one direction only.
 */
const ENSURE_WALLETS_SQL = `
  INSERT INTO wallets (user_id, asset_id, kind)
  SELECT id, $2, 'USER' FROM unnest($1::uuid[]) AS id ORDER BY id
  ON CONFLICT DO NOTHING`;

const RECORD_ITEMS_SQL = `
  UPDATE batch_items i
     SET status = CASE WHEN u.transaction_id IS NULL THEN 'FAILED' ELSE 'SUCCEEDED' END,
         error_code = u.error_code, error_message = u.error_message,
         transaction_id = u.transaction_id, recipient_user_id = u.recipient_user_id
    FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::uuid[])
         AS u(row, transaction_id, error_code, error_message, recipient_user_id)
   WHERE i.batch_id = $1 AND i.row = u.row AND i.status = 'PENDING'`;

const RECORD_COUNTERS_SQL = `
  UPDATE batches
     SET processed_count = processed_count + $2::int,
         succeeded_count = succeeded_count + $3::int,
         failed_count = failed_count + $4::int,
         succeeded_amount = succeeded_amount + $5::bigint,
         status = CASE WHEN processed_count + $2::int < item_count THEN 'PROCESSING'
                       WHEN failed_count + $4::int > 0 THEN 'COMPLETED_WITH_ERRORS'
                       ELSE 'COMPLETED' END,
         completed_at = CASE WHEN processed_count + $2::int = item_count THEN now() END
   WHERE id = $1`;

/**
 * Pays batches chunk by chunk. A chunk is one database transaction: it holds the batch, locks
 * every wallet it touches in one ascending-id statement, pays each row as its own BATCH_PAYOUT
 * movement inside a savepoint, and records the rows' outcomes and the batch counters before
 * COMMIT. Money, row status and counters therefore commit together or not at all: a crash
 * mid-chunk leaves those rows PENDING with nothing paid, and the next claim pays them once.
 */
@Injectable()
export class BatchProcessor {
  private readonly logger = new Logger('BatchProcessor');

  constructor(
    private readonly engine: PostingEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Pays the next chunk of the oldest open batch; false when no batch is waiting. */
  async processNextChunk(): Promise<boolean> {
    const paid = await this.engine.transaction(async (tx) => {
      const [batch]: ClaimedBatch[] = await tx.queryRunner.query(CLAIM_BATCH_SQL);
      if (batch === undefined) return null;
      const items: PendingItem[] = await tx.queryRunner.query(PENDING_ITEMS_SQL, [batch.id, this.config.batchChunkRows]);
      // Open with nothing pending would make every worker spin on this batch: a bug, not a state.
      assert.ok(items.length > 0 || batch.processed_count === batch.item_count, `batch ${batch.id} is open with no pending rows`);
      const outcomes = await this.payItems(tx, batch, items);
      await this.record(tx, batch, outcomes);
      return outcomes.filter((outcome) => outcome.transactionId !== null).length;
    });
    if (paid === null) return false;
    movementsPosted.inc({ type: 'BATCH_PAYOUT' }, paid);
    return true;
  }

  private async payItems(tx: LedgerTransaction, batch: ClaimedBatch, items: PendingItem[]): Promise<ItemOutcome[]> {
    if (items.length === 0) return [];
    const asset = await tx.asset(batch.asset);
    const recipients = await this.resolveRecipients(tx, items);
    const payees = [...new Set(recipients.values())].filter((id): id is string => id !== null && id !== batch.user_id).sort();
    await tx.queryRunner.query(ENSURE_WALLETS_SQL, [payees, asset.id]);
    const locked = await tx.lockRows(asset, [], [batch.user_id, ...payees]);
    const wallets = new Map(locked.map((wallet) => [wallet.userId, wallet]));
    const outcomes: ItemOutcome[] = [];
    for (const item of items) {
      const payee = recipients.get(item.row) ?? null;
      outcomes.push(await this.payItem(tx, batch, asset, item, payee, wallets));
    }
    return outcomes;
  }

  /** Row → user id (null: no such user), with one query for the whole chunk. */
  private async resolveRecipients(tx: LedgerTransaction, items: PendingItem[]): Promise<Map<number, string | null>> {
    const refs = items.map((item) => {
      const ref = recipientRef(item.recipient);
      assert.ok(ref !== null, `row ${item.row} is PENDING with an invalid recipient cell`);
      return ref;
    });
    const emails = refs.flatMap((ref) => ('email' in ref ? [ref.email] : []));
    const ids = refs.flatMap((ref) => ('userId' in ref ? [ref.userId] : []));
    const users: Array<{ id: string; email: string }> = await tx.queryRunner.query(RECIPIENTS_SQL, [emails, ids]);
    const byEmail = new Map(users.map((user) => [user.email, user.id]));
    const byId = new Set(users.map((user) => user.id));
    return new Map(
      items.map((item, index) => {
        const ref = refs[index];
        const userId = 'email' in ref ? (byEmail.get(ref.email) ?? null) : byId.has(ref.userId) ? ref.userId : null;
        return [item.row, userId];
      }),
    );
  }

  private async payItem(
    tx: LedgerTransaction,
    batch: ClaimedBatch,
    asset: Asset,
    item: PendingItem,
    payee: string | null,
    wallets: Map<string | null, LockedWallet>,
  ): Promise<ItemOutcome> {
    const amount = toMinor(item.amount);
    const from = wallets.get(batch.user_id);
    const to = payee === null ? undefined : wallets.get(payee);
    try {
      if (payee === null) throw new RecipientNotFoundError();
      if (payee === batch.user_id) throw new SameWalletError();
      // A payer without a wallet for the asset has a balance of 0.
      if (from === undefined) throw new InsufficientFundsError(asset.code);
      assert.ok(to !== undefined, `the wallet of ${payee} was ensured and locked`);
      const posted = tx.prepare({
        type: 'BATCH_PAYOUT',
        asset,
        amount,
        from,
        to,
        description: item.reference,
        batchId: batch.id,
        batchRow: item.row,
      });
      return await this.write(tx, item, posted, from, to);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { row: item.row, recipientUserId: payee, transactionId: null, amount, errorCode: error.code, errorMessage: error.detail };
    }
  }

  /**
   * Writes one paid row inside a savepoint, so that a write the database refuses undoes only
   * that row. Only constraint and data errors fail the row; anything else (a lock or statement
   * timeout, a lost connection) fails the whole chunk, which is then retried with nothing paid.
   */
  private async write(tx: LedgerTransaction, item: PendingItem, posted: PostedTransaction, from: LockedWallet, to: LockedWallet): Promise<ItemOutcome> {
    const outcome = { row: item.row, recipientUserId: to.userId, amount: posted.amount };
    await tx.queryRunner.startTransaction();
    try {
      await tx.write(posted, from, to);
      await tx.queryRunner.commitTransaction();
      return { ...outcome, transactionId: posted.id, errorCode: null, errorMessage: null };
    } catch (error) {
      await tx.queryRunner.rollbackTransaction();
      const state = sqlState(error) ?? '';
      if (!(error instanceof QueryFailedError) || !(state.startsWith('22') || state.startsWith('23'))) throw error;
      this.logger.error({ err: error, row: item.row, batchId: posted.batchId }, 'the ledger refused a batch row');
      return { ...outcome, transactionId: null, errorCode: 'INTERNAL', errorMessage: `The ledger refused to write this payment (SQLSTATE ${state}); nothing was paid for this row` };
    }
  }

  private async record(tx: LedgerTransaction, batch: ClaimedBatch, outcomes: ItemOutcome[]): Promise<void> {
    const [, updated]: [unknown, number] = await tx.queryRunner.query(RECORD_ITEMS_SQL, [
      batch.id,
      outcomes.map((o) => o.row),
      outcomes.map((o) => o.transactionId),
      outcomes.map((o) => o.errorCode),
      outcomes.map((o) => o.errorMessage),
      outcomes.map((o) => o.recipientUserId),
    ]);
    // The batch row is held, so nobody else can have recorded these rows.
    assert.equal(updated, outcomes.length, 'every outcome updates one PENDING row');
    const succeeded = outcomes.filter((o) => o.transactionId !== null);
    const succeededAmount = succeeded.reduce((sum, o) => sum + o.amount, 0n);
    await tx.queryRunner.query(RECORD_COUNTERS_SQL, [
      batch.id,
      outcomes.length,
      succeeded.length,
      outcomes.length - succeeded.length,
      succeededAmount.toString(),
    ]);
  }
}

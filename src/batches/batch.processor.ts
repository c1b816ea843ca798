import { Inject, Injectable, Logger } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { QueryFailedError } from 'typeorm';
import {
  Asset,
  BulkPosting,
  DomainError,
  ErrorCode,
  InsufficientFundsError,
  LedgerTransaction,
  LockedWallet,
  Movement,
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
  next_row: number;
}

/** A row still to pay; its cells were validated at upload. */
interface PendingItem {
  row: number;
  recipient: string;
  amount: string;
  reference: string | null;
}

/** A chunk's rows resolved and its wallets locked (by owner: payer and payees). */
interface Chunk {
  batch: ClaimedBatch;
  asset: Asset;
  payees: Map<number, string | null>;
  wallets: Map<string, LockedWallet>;
}

interface Attempt {
  outcome: ItemOutcome;
  paid: { movement: Movement; posted: PostedTransaction } | null;
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

/** A write the database refused because of this row's data (a constraint, a bad value), not a transient failure. */
function isRowError(error: unknown): boolean {
  const state = sqlState(error) ?? '';
  return error instanceof QueryFailedError && (state.startsWith('22') || state.startsWith('23'));
}

/**
 * Runs `work` in a savepoint, so that a write the database refuses undoes only `work`'s writes
 * and the chunk's transaction goes on. Plain SQL rather than QueryRunner's nested transactions:
 * those count on the runner having opened the outer transaction itself, and the posting engine
 * may open it on the connection directly.
 */
async function inSavepoint<T>(tx: LedgerTransaction, work: () => Promise<T>): Promise<T> {
  await tx.queryRunner.query('SAVEPOINT batch_write');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await tx.queryRunner.query('ROLLBACK TO SAVEPOINT batch_write');
    throw error;
  }
  await tx.queryRunner.query('RELEASE SAVEPOINT batch_write');
  return result;
}

/**
 * The oldest open batch that no other worker holds. The batch row stays locked for the whole
 * chunk transaction: one worker per batch at a time keeps file order, and SKIP LOCKED sends
 * other workers (other instances) to other batches instead of making them wait.
 */
const CLAIM_BATCH_SQL = `
  SELECT b.id, b.user_id, a.code AS asset, b.item_count, b.processed_count, b.next_row
    FROM batches b JOIN assets a ON a.id = b.asset_id
   WHERE b.status IN ('PENDING', 'PROCESSING')
   ORDER BY b.created_at, b.id
   LIMIT 1
   FOR UPDATE OF b SKIP LOCKED`;

/** The chunk's window of rows, [$2, $3): a primary-key range; rows refused at upload are already FAILED. */
const PENDING_ITEMS_SQL = `
  SELECT row, recipient, amount::text AS amount, reference FROM batch_items
   WHERE batch_id = $1 AND row >= $2 AND row < $3 AND status = 'PENDING'
   ORDER BY row`;

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

/** The chunk's row outcomes and the batch counters, in one statement; the chunk closes the batch when it was the last. */
const RECORD_SQL = `
  WITH recorded AS (
    UPDATE batch_items i
       SET status = CASE WHEN u.transaction_id IS NULL THEN 'FAILED' ELSE 'SUCCEEDED' END,
           error_code = u.error_code, error_message = u.error_message,
           transaction_id = u.transaction_id, recipient_user_id = u.recipient_user_id
      FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[], $6::uuid[])
           AS u(row, transaction_id, error_code, error_message, recipient_user_id)
     WHERE i.batch_id = $1 AND i.row = u.row AND i.status = 'PENDING'
    RETURNING 1)
  UPDATE batches
     SET processed_count = processed_count + $7::int,
         succeeded_count = succeeded_count + $8::int,
         failed_count = failed_count + $9::int,
         succeeded_amount = succeeded_amount + $10::bigint,
         status = CASE WHEN processed_count + $7::int < item_count THEN 'PROCESSING'
                       WHEN failed_count + $9::int > 0 THEN 'COMPLETED_WITH_ERRORS'
                       ELSE 'COMPLETED' END,
         completed_at = CASE WHEN processed_count + $7::int = item_count THEN now() END,
         next_row = $11
   WHERE id = $1
  RETURNING (SELECT count(*)::int FROM recorded) AS recorded`;

/**
 * Pays batches chunk by chunk. A chunk is one database transaction: it holds the batch, locks
 * every wallet it touches in one ascending-id statement, checks each row in file order as its
 * own BATCH_PAYOUT movement and writes them all in one statement (inside a savepoint, with a
 * savepoint per row as the fallback), and records the rows' outcomes and the batch counters
 * before COMMIT. Money, row status and counters therefore commit together or not at all: a crash
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
      // Open with every row behind the window would make every worker spin on this batch: a bug, not a state.
      assert.ok(batch.next_row <= batch.item_count, `batch ${batch.id} is open with no rows left`);
      const windowEnd = Math.min(batch.next_row + this.config.batchChunkRows, batch.item_count + 1);
      const items: PendingItem[] = await tx.queryRunner.query(PENDING_ITEMS_SQL, [batch.id, batch.next_row, windowEnd]);
      const outcomes = await this.payItems(tx, batch, items);
      await this.record(tx, batch, outcomes, windowEnd);
      return outcomes.filter((outcome) => outcome.transactionId !== null).length;
    });
    if (paid === null) return false;
    movementsPosted.inc({ type: 'BATCH_PAYOUT' }, paid);
    return true;
  }

  private async payItems(tx: LedgerTransaction, batch: ClaimedBatch, items: PendingItem[]): Promise<ItemOutcome[]> {
    if (items.length === 0) return [];
    const chunk = await this.lockChunk(tx, batch, items);
    // One savepoint around the whole chunk's write: the fast path costs one statement, and a
    // row the database refuses sends the chunk back to the row-by-row path below.
    const bulk = new BulkPosting(tx);
    try {
      return await inSavepoint(tx, async () => {
        const outcomes = items.map((item) => this.attempt(chunk, item, (movement) => bulk.add(movement)).outcome);
        await bulk.write();
        return outcomes;
      });
    } catch (error) {
      if (!isRowError(error)) throw error;
      bulk.restore();
      return this.payOneByOne(tx, chunk, items);
    }
  }

  /** Resolves the recipients, creates their missing wallets and locks every wallet of the chunk at once. */
  private async lockChunk(tx: LedgerTransaction, batch: ClaimedBatch, items: PendingItem[]): Promise<Chunk> {
    const asset = await tx.asset(batch.asset);
    const payees = await this.resolveRecipients(tx, items);
    const payeeIds = [...new Set(payees.values())].filter((id): id is string => id !== null && id !== batch.user_id).sort();
    await tx.queryRunner.query(ENSURE_WALLETS_SQL, [payeeIds, asset.id]);
    const locked = await tx.lockRows(asset, [], [batch.user_id, ...payeeIds]);
    return { batch, asset, payees, wallets: new Map(locked.map((wallet) => [wallet.userId as string, wallet])) };
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

  /**
   * Decides one row: a refusal (unknown recipient, oneself, not enough money, balance bound)
   * becomes its outcome; otherwise `check` checks the movement and computes its balances.
   */
  private attempt(chunk: Chunk, item: PendingItem, check: (movement: Movement) => PostedTransaction): Attempt {
    const payee = chunk.payees.get(item.row) ?? null;
    const base = { row: item.row, recipientUserId: payee, amount: toMinor(item.amount) };
    try {
      const movement = this.movementFor(chunk, item, payee, base.amount);
      const posted = check(movement);
      return { outcome: { ...base, transactionId: posted.id, errorCode: null, errorMessage: null }, paid: { movement, posted } };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { outcome: { ...base, transactionId: null, errorCode: error.code, errorMessage: error.detail }, paid: null };
    }
  }

  private movementFor(chunk: Chunk, item: PendingItem, payee: string | null, amount: bigint): Movement {
    if (payee === null) throw new RecipientNotFoundError();
    if (payee === chunk.batch.user_id) throw new SameWalletError();
    const from = chunk.wallets.get(chunk.batch.user_id);
    // A payer without a wallet for the asset has a balance of 0.
    if (from === undefined) throw new InsufficientFundsError(chunk.asset.code);
    const to = chunk.wallets.get(payee);
    assert.ok(to !== undefined, `the wallet of ${payee} was ensured and locked`);
    return { type: 'BATCH_PAYOUT', asset: chunk.asset, amount, from, to, description: item.reference, batchId: chunk.batch.id, batchRow: item.row };
  }

  /**
   * The slow path, after the database refused the chunk's write: each row is written in its own
   * savepoint, so the row it refuses fails alone (errorCode INTERNAL, logged) and the others pay.
   */
  private async payOneByOne(tx: LedgerTransaction, chunk: Chunk, items: PendingItem[]): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    for (const item of items) {
      const { outcome, paid } = this.attempt(chunk, item, (movement) => tx.prepare(movement));
      if (paid === null) {
        outcomes.push(outcome);
        continue;
      }
      try {
        await inSavepoint(tx, () => tx.write(paid.posted, paid.movement.from, paid.movement.to));
        outcomes.push(outcome);
      } catch (error) {
        if (!isRowError(error)) throw error;
        this.logger.error({ err: error, batchId: chunk.batch.id, row: item.row }, 'the ledger refused a batch row');
        const message = `The ledger refused to write this payment (SQLSTATE ${sqlState(error)}); nothing was paid for this row`;
        outcomes.push({ ...outcome, transactionId: null, errorCode: 'INTERNAL', errorMessage: message });
      }
    }
    return outcomes;
  }

  private async record(tx: LedgerTransaction, batch: ClaimedBatch, outcomes: ItemOutcome[], nextRow: number): Promise<void> {
    const succeeded = outcomes.filter((o) => o.transactionId !== null);
    const [[{ recorded }]]: [[{ recorded: number }], number] = await tx.queryRunner.query(RECORD_SQL, [
      batch.id,
      outcomes.map((o) => o.row),
      outcomes.map((o) => o.transactionId),
      outcomes.map((o) => o.errorCode),
      outcomes.map((o) => o.errorMessage),
      outcomes.map((o) => o.recipientUserId),
      outcomes.length,
      succeeded.length,
      outcomes.length - succeeded.length,
      succeeded.reduce((sum, o) => sum + o.amount, 0n).toString(),
      nextRow,
    ]);
    // The batch row is held, so nobody else can have recorded these rows meanwhile.
    assert.equal(recorded, outcomes.length, 'every outcome records one PENDING row');
  }
}

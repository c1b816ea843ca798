import { Inject, Injectable, Logger } from '@nestjs/common';
import { strict as assert } from 'node:assert';
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
import { RECIPIENT_ID_PATTERN } from './batch-csv.parser';
import { BATCH_COLUMNS, BatchRow, presentBatch } from './batch.presenter';
import { rowsOf, settle, Settled, StatementPipe } from './statement-pipe';

/** One row of the claim: the batch, and one PENDING row of its window (all null when the window has none). */
interface ClaimRow {
  id: string;
  user_id: string;
  asset: string;
  item_count: number;
  next_row: number;
  window_end: number;
  row: number | null;
  amount: string | null;
  reference: string | null;
  /** The recipient's user id; null when no user matches the cell. */
  payee: string | null;
}

interface ClaimedBatch {
  id: string;
  payerId: string;
  asset: Asset;
  windowEnd: number;
}

/** A row still to pay; its cells were validated at upload. */
interface PendingItem {
  row: number;
  amount: bigint;
  reference: string | null;
  payee: string | null;
}

interface ItemOutcome {
  row: number;
  /** Set when paid. */
  transactionId: string | null;
  amount: bigint;
  errorCode: ErrorCode | null;
  errorMessage: string | null;
}

/** What RECORD_SQL returns: how many PENDING rows it recorded. */
interface Recorded {
  recorded: number;
}

interface Attempt {
  outcome: ItemOutcome;
  paid: { movement: Movement; posted: PostedTransaction } | null;
}

/**
 * Claims an open batch that no other worker holds and reads its next window of rows,
 * [next_row, next_row + chunk), as a primary-key range, with each recipient cell resolved to
 * an ACTIVE user (emails case-insensitively; nobody can pay a DISABLED one). The batch row
 * stays locked for the whole chunk transaction: one worker per batch at a time keeps file
 * order, and SKIP LOCKED sends other workers (other instances) to other batches instead of
 * making them wait.
 *
 * Fair between owners: the owner whose open batches were served least recently (never comes
 * first) goes next, and within an owner the oldest batch. A small batch thus waits for about
 * one chunk per other owner with work, however many rows the others have queued.
 */
const CLAIM_SQL = `
  WITH owners AS (
    SELECT user_id, max(served_at) AS served_at FROM batches WHERE status IN ('PENDING', 'PROCESSING') GROUP BY user_id)
  , claimed AS (
    SELECT b.id, b.user_id, b.asset_id, b.item_count, b.next_row, LEAST(b.next_row + $1::int, b.item_count + 1) AS window_end
      FROM batches b
      JOIN owners o ON o.user_id = b.user_id
     WHERE b.status IN ('PENDING', 'PROCESSING')
     ORDER BY o.served_at NULLS FIRST, b.created_at, b.id
     LIMIT 1
     FOR UPDATE OF b SKIP LOCKED)
  SELECT c.id, c.user_id, a.code AS asset, c.item_count, c.next_row, c.window_end,
         i.row, i.amount::text AS amount, i.reference, coalesce(by_email.id, by_id.id) AS payee
    FROM claimed c
    JOIN assets a ON a.id = c.asset_id
    LEFT JOIN batch_items i ON i.batch_id = c.id AND i.row >= c.next_row AND i.row < c.window_end AND i.status = 'PENDING'
    LEFT JOIN users by_email ON by_email.email = lower(i.recipient) AND by_email.status = 'ACTIVE'
    LEFT JOIN users by_id ON by_id.id = CASE WHEN i.recipient ~* '${RECIPIENT_ID_PATTERN}' THEN i.recipient::uuid END
                         AND by_id.status = 'ACTIVE'
   ORDER BY i.row`;

/**
 * Missing recipient wallets, created before the lock as the posting engine's lock() does
 * (ON CONFLICT: racing creators agree), all in one statement. Existing wallets are skipped
 * first, so that they burn no wallet ids; inserting in user-id order makes two chunks that
 * create the same wallets wait on each other in one direction only.
 */
const ENSURE_WALLETS_SQL = `
  INSERT INTO wallets (user_id, asset_id, kind)
  SELECT u.id, $2, 'USER' FROM unnest($1::uuid[]) AS u(id)
   WHERE NOT EXISTS (SELECT 1 FROM wallets w WHERE w.user_id = u.id AND w.asset_id = $2 AND w.kind = 'USER')
   ORDER BY u.id
  ON CONFLICT DO NOTHING`;

/** The chunk's row outcomes, the batch counters and the next window, in one statement; the last chunk closes the batch. */
const RECORD_SQL = `
  WITH recorded AS (
    UPDATE batch_items i
       SET status = CASE WHEN u.transaction_id IS NULL THEN 'FAILED' ELSE 'SUCCEEDED' END,
           error_code = u.error_code, error_message = u.error_message, transaction_id = u.transaction_id
      FROM unnest($2::int[], $3::uuid[], $4::text[], $5::text[]) AS u(row, transaction_id, error_code, error_message)
     WHERE i.batch_id = $1 AND i.row = u.row AND i.status = 'PENDING'
    RETURNING 1)
  UPDATE batches
     SET processed_count = processed_count + $6::int,
         succeeded_count = succeeded_count + $7::int,
         failed_count = failed_count + $8::int,
         succeeded_amount = succeeded_amount + $9::bigint,
         status = CASE WHEN processed_count + $6::int < item_count THEN 'PROCESSING'
                       WHEN failed_count + $8::int > 0 THEN 'COMPLETED_WITH_ERRORS'
                       ELSE 'COMPLETED' END,
         completed_at = CASE WHEN processed_count + $6::int = item_count THEN now() END,
         next_row = $10,
         served_at = clock_timestamp()
   WHERE id = $1
  RETURNING (SELECT count(*)::int FROM recorded) AS recorded`;

/** The batch as GET /batches/:id shows it, once this chunk's record has closed it. */
const COMPLETED_SQL = `SELECT ${BATCH_COLUMNS} FROM batches b JOIN assets a ON a.id = b.asset_id WHERE b.id = $1 AND b.completed_at IS NOT NULL`;
const ANNOUNCE_SQL = `INSERT INTO events (type, user_ids, data) VALUES ('batch.completed', ARRAY[$1::uuid], $2::json)`;

/** A write the database refused because of this row's data (a constraint, a bad value), not a transient failure. */
function isRowError(error: unknown): boolean {
  return /^2[23]/.test(sqlState(error) ?? '');
}

/**
 * Runs `work` in a savepoint, so that a write the database refuses undoes only `work`'s writes
 * and the chunk's transaction goes on. Plain SQL rather than QueryRunner's nested transactions:
 * those count on the runner having opened the outer transaction itself, and the posting engine
 * opens it on the connection directly.
 */
async function inSavepoint<T>(tx: LedgerTransaction, work: () => Promise<T>): Promise<T> {
  await tx.queryRunner.query('SAVEPOINT batch_row');
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await tx.queryRunner.query('ROLLBACK TO SAVEPOINT batch_row');
    throw error;
  }
  await tx.queryRunner.query('RELEASE SAVEPOINT batch_row');
  return result;
}

/**
 * Pays batches chunk by chunk. A chunk is one database transaction: it holds the batch, locks
 * every wallet it touches in one ascending-id statement, checks each row in file order as its
 * own BATCH_PAYOUT movement, writes them all with one statement inside a savepoint (with a
 * savepoint per row as the fallback), and records the rows' outcomes and the batch counters
 * before COMMIT. Money, row status and counters therefore commit together or not at all: a
 * crash mid-chunk leaves those rows PENDING with nothing paid, and the next claim pays them once.
 *
 * Round trips per chunk: BEGIN, the claim, the wallets (create + lock), the write (savepoint,
 * write, release, record), COMMIT. Statements that do not need each other's answers travel
 * together (StatementPipe).
 */
@Injectable()
export class BatchProcessor {
  private readonly logger = new Logger('BatchProcessor');

  constructor(
    private readonly engine: PostingEngine,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Pays the next chunk of the open batch whose owner waited longest; false when no batch is waiting. */
  async processNextChunk(): Promise<boolean> {
    const paid = await this.engine.transaction(async (tx) => {
      const rows: ClaimRow[] = await tx.queryRunner.query(CLAIM_SQL, [this.config.batchChunkRows]);
      if (rows.length === 0) return null;
      const batch = await this.claimedBatch(tx, rows[0]);
      const items = rows.flatMap((r): PendingItem[] =>
        r.row === null ? [] : [{ row: r.row, amount: toMinor(r.amount as string), reference: r.reference, payee: r.payee }],
      );
      const pipe = await StatementPipe.of(tx);
      const outcomes = await this.payItems(tx, pipe, batch, items);
      await announceCompletion(pipe, batch);
      return outcomes.filter((outcome) => outcome.transactionId !== null).length;
    });
    if (paid === null) return false;
    movementsPosted.inc({ type: 'BATCH_PAYOUT' }, paid);
    return true;
  }

  private async claimedBatch(tx: LedgerTransaction, row: ClaimRow): Promise<ClaimedBatch> {
    // Open with every row behind its window would make every worker spin on this batch: a bug, not a state.
    assert.ok(row.next_row <= row.item_count, `batch ${row.id} is open with no rows left`);
    return { id: row.id, payerId: row.user_id, asset: await tx.asset(row.asset), windowEnd: row.window_end };
  }

  /**
   * The fast path: every row checked in memory, then one round trip that writes them all in a
   * savepoint and records the outcomes. A row the database refuses (a constraint the checks do
   * not know) rolls the savepoint back and sends the chunk through payOneByOne.
   */
  private async payItems(tx: LedgerTransaction, pipe: StatementPipe, batch: ClaimedBatch, items: PendingItem[]): Promise<ItemOutcome[]> {
    // A window of rows all refused at upload only moves the batch on.
    const wallets = items.length === 0 ? new Map<string, LockedWallet>() : await this.lockWallets(tx, pipe, batch, items);
    const bulk = new BulkPosting(tx);
    const outcomes = items.map((item) => this.attempt(batch, wallets, item, (movement) => bulk.add(movement)).outcome);
    const write = bulk.writeStatement();
    if (write === null) {
      checkRecorded(await pipe.send<Recorded>(...recordStatement(batch, outcomes)), outcomes);
      return outcomes;
    }
    // Everything sent is awaited before anything is decided: nothing may still be in flight.
    const [saved, written, released, recorded] = await Promise.all([
      pipe.send('SAVEPOINT batch_chunk'),
      pipe.send(write.text, write.values),
      pipe.send('RELEASE SAVEPOINT batch_chunk'),
      pipe.send<Recorded>(...recordStatement(batch, outcomes)),
    ]);
    rowsOf(saved);
    if (written.ok) {
      rowsOf(released);
      checkRecorded(recorded, outcomes);
      return outcomes;
    }
    // The release and the record failed with it: the transaction waits for the rollback to the savepoint.
    if (!isRowError(written.error)) throw written.error;
    rowsOf(await pipe.send('ROLLBACK TO SAVEPOINT batch_chunk'));
    bulk.restore();
    const slowOutcomes = await this.payOneByOne(tx, batch, wallets, items);
    checkRecorded(await pipe.send<Recorded>(...recordStatement(batch, slowOutcomes)), slowOutcomes);
    return slowOutcomes;
  }

  /** Creates the payees' missing wallets and locks the payer's and theirs, the lock sent right behind the creation. */
  private async lockWallets(tx: LedgerTransaction, pipe: StatementPipe, batch: ClaimedBatch, items: PendingItem[]): Promise<Map<string, LockedWallet>> {
    const payees = [...new Set(items.map((item) => item.payee))].filter((id): id is string => id !== null && id !== batch.payerId).sort();
    const created = pipe.send(ENSURE_WALLETS_SQL, [payees, batch.asset.id]);
    const locked = settle(tx.lockRows([], [batch.asset.id], [batch.payerId, ...payees]));
    const [create, lock] = await Promise.all([created, locked]);
    rowsOf(create);
    return new Map(rowsOf(lock).map((wallet) => [wallet.userId as string, wallet]));
  }

  /**
   * Decides one row: a refusal (unknown recipient, oneself, not enough money, balance bound)
   * becomes its outcome; otherwise `check` checks the movement and computes its balances.
   */
  private attempt(batch: ClaimedBatch, wallets: Map<string, LockedWallet>, item: PendingItem, check: (movement: Movement) => PostedTransaction): Attempt {
    const base = { row: item.row, amount: item.amount };
    try {
      const movement = this.movementFor(batch, wallets, item);
      const posted = check(movement);
      return { outcome: { ...base, transactionId: posted.id, errorCode: null, errorMessage: null }, paid: { movement, posted } };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { outcome: { ...base, transactionId: null, errorCode: error.code, errorMessage: error.detail }, paid: null };
    }
  }

  private movementFor(batch: ClaimedBatch, wallets: Map<string, LockedWallet>, item: PendingItem): Movement {
    if (item.payee === null) throw new RecipientNotFoundError();
    if (item.payee === batch.payerId) throw new SameWalletError();
    const from = wallets.get(batch.payerId);
    // A payer without a wallet for the asset has a balance of 0.
    if (from === undefined) throw new InsufficientFundsError(batch.asset.code);
    const to = wallets.get(item.payee);
    // Created and locked unless the payee was disabled since the claim read them.
    if (to === undefined) throw new RecipientNotFoundError();
    return {
      type: 'BATCH_PAYOUT',
      postings: [{ asset: batch.asset, amount: item.amount, from, to }],
      description: item.reference,
      batchId: batch.id,
      batchRow: item.row,
    };
  }

  /**
   * The slow path, after the database refused the chunk's write: each row is written in its own
   * savepoint, so the row it refuses fails alone (errorCode INTERNAL, logged) and the others pay.
   */
  private async payOneByOne(tx: LedgerTransaction, batch: ClaimedBatch, wallets: Map<string, LockedWallet>, items: PendingItem[]): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = [];
    for (const item of items) {
      const { outcome, paid } = this.attempt(batch, wallets, item, (movement) => tx.prepare(movement));
      if (paid === null) {
        outcomes.push(outcome);
        continue;
      }
      try {
        await inSavepoint(tx, () => tx.write(paid.posted));
        outcomes.push(outcome);
      } catch (error) {
        if (!isRowError(error)) throw error;
        this.logger.error({ err: error, batchId: batch.id, row: item.row }, 'the ledger refused a batch row');
        const message = `The ledger refused to write this payment (SQLSTATE ${sqlState(error)}); nothing was paid for this row`;
        outcomes.push({ ...outcome, transactionId: null, errorCode: 'INTERNAL', errorMessage: message });
      }
    }
    return outcomes;
  }
}

/**
 * Writes `batch.completed` in the chunk's transaction when this chunk closed the batch. A read
 * after the record rather than a flag out of RECORD_SQL keeps the event's data the presenter's,
 * for one more round trip per chunk.
 */
async function announceCompletion(pipe: StatementPipe, batch: ClaimedBatch): Promise<void> {
  const [row] = rowsOf(await pipe.send<BatchRow>(COMPLETED_SQL, [batch.id]));
  if (row === undefined) return;
  rowsOf(await pipe.send(ANNOUNCE_SQL, [row.user_id, JSON.stringify(presentBatch(row))]));
}

function recordStatement(batch: ClaimedBatch, outcomes: ItemOutcome[]): [string, unknown[]] {
  const succeeded = outcomes.filter((o) => o.transactionId !== null);
  return [
    RECORD_SQL,
    [
      batch.id,
      outcomes.map((o) => o.row),
      outcomes.map((o) => o.transactionId),
      outcomes.map((o) => o.errorCode),
      outcomes.map((o) => o.errorMessage),
      outcomes.length,
      succeeded.length,
      outcomes.length - succeeded.length,
      succeeded.reduce((sum, o) => sum + o.amount, 0n).toString(),
      batch.windowEnd,
    ],
  ];
}

function checkRecorded(result: Settled<Recorded>, outcomes: ItemOutcome[]): void {
  const [{ recorded }] = rowsOf(result);
  // The batch row is held, so nobody else can have recorded these rows meanwhile.
  assert.equal(recorded, outcomes.length, 'every outcome records one PENDING row');
}

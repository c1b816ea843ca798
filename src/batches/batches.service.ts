import { Inject, Injectable } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import {
  Asset,
  AssetNotFoundError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  IdempotentRequest,
  IdempotentResult,
  LedgerDirectory,
  NotFoundError,
  problemFromError,
  requestHash,
  sqlState,
  statusOf,
  TooManyOpenBatchesError,
  ValidationFailedError,
} from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CursorCodec, Page, PageQuery, toPage } from '../common/pagination';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { ParsedBatchFile } from './batch-csv.parser';
import { UploadedBatchFile } from './batch-csv.storage';
import { BATCH_COLUMNS, BatchItemRow, BatchRow, presentBatch, presentBatchItem } from './batch.presenter';
import { BatchDto, BatchItemDto, BatchItemQuery, CreateBatchDto } from './dto/batch.dto';

/** Rows per INSERT: bounds the size of one statement's array parameters. */
const INSERT_SLICE_ROWS = 5_000;
const FILE_NAME_CHARS_MAX = 255;
const BATCHES_CURSOR = new CursorCodec('batches', ['timestamp', 'uuid']);
/** Items are listed per batch and in file order: the cursor is the last row number, for one batch. */
const BATCH_ITEMS_CURSOR = new CursorCodec('batch-items', ['int']);

/** Same claim as the posting engine's: SET LOCAL timeouts first, so lock_timeout bounds the wait on a duplicate. */
const CLAIM_KEY_SQL = `
  INSERT INTO idempotency_keys (user_id, key, request_hash)
  SELECT $1, $2, $3 FROM (SELECT set_config('lock_timeout', $4, true), set_config('statement_timeout', $5, true)) AS timeouts
  ON CONFLICT DO NOTHING
  RETURNING created_at`;

const INSERT_BATCH_SQL = `
  WITH b AS (
    INSERT INTO batches (id, user_id, asset_id, status, file_name, item_count, processed_count, failed_count, total_amount, completed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, CASE WHEN $4 = 'COMPLETED_WITH_ERRORS' THEN now() END)
    RETURNING *)
  SELECT ${BATCH_COLUMNS} FROM b JOIN assets a ON a.id = b.asset_id`;

/** Rows refused for a bad cell are stored FAILED at once; the worker only sees PENDING ones. */
const INSERT_ITEMS_SQL = `
  INSERT INTO batch_items (batch_id, row, recipient, amount, reference, status, error_code, error_message)
  SELECT $1, $2::int + u.n, u.recipient, u.amount, u.reference,
         CASE WHEN u.error IS NULL THEN 'PENDING' ELSE 'FAILED' END,
         CASE WHEN u.error IS NOT NULL THEN 'VALIDATION_FAILED' END,
         u.error
    FROM unnest($3::text[], $4::bigint[], $5::text[], $6::text[]) WITH ORDINALITY AS u(recipient, amount, reference, error, n)`;

/** Upload (idempotent, all or nothing) and reads of CSV payout batches; the worker pays them. */
@Injectable()
export class BatchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores the batch, all its rows and the idempotent response in one transaction. The file
   * was read and validated whole on its way in (a bad file stores nothing); an unknown asset
   * is a stored refusal, a user with BATCH_OPEN_MAX open batches a refusal that is not stored.
   */
  async create(caller: AuthUser, dto: CreateBatchDto, file: UploadedBatchFile | undefined, request: IdempotentRequest): Promise<IdempotentResult> {
    if (file === undefined) {
      throw new ValidationFailedError('The CSV file is missing: send it as the multipart field "file"', [
        { field: 'file', message: 'a CSV file is required' },
      ]);
    }
    // "Same body" for an upload is the same asset and the same file bytes, whatever the multipart framing.
    const keyed = { ...request, requestHash: requestHash('POST', '/api/v1/batches', { asset: dto.asset, file: file.sha256 }) };
    return this.inTransaction(async (queryRunner) => {
      if (!(await this.claimKey(queryRunner, keyed))) return this.replay(queryRunner, keyed);
      await this.refuseTooManyOpen(queryRunner, caller);
      let asset: Asset;
      try {
        asset = await this.directory.asset(dto.asset);
      } catch (error) {
        if (!(error instanceof AssetNotFoundError)) throw error;
        return this.storeOutcome(queryRunner, keyed, statusOf(error.code), problemFromError(error));
      }
      const batch = await this.insertBatch(queryRunner, caller, asset, file.originalname, file.parsed);
      return this.storeOutcome(queryRunner, keyed, 202, presentBatch(batch));
    });
  }

  async list(caller: AuthUser, query: PageQuery): Promise<Page<BatchDto>> {
    const [at, id] = BATCHES_CURSOR.decode(query.cursor) ?? [null, null];
    const rows: BatchRow[] = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM batches b JOIN assets a ON a.id = b.asset_id
        WHERE b.user_id = $1 AND ($2::timestamptz IS NULL OR (b.created_at, b.id) < ($2::timestamptz, $3::uuid))
        ORDER BY b.created_at DESC, b.id DESC LIMIT $4`,
      [caller.id, at, id, query.limit + 1],
    );
    return toPage(rows, query.limit, presentBatch, BATCHES_CURSOR, (row) => [row.cursor_at, row.id]);
  }

  async get(caller: AuthUser, id: string): Promise<BatchDto> {
    return presentBatch(await this.visibleBatch(caller, id));
  }

  async items(caller: AuthUser, id: string, query: BatchItemQuery): Promise<Page<BatchItemDto>> {
    await this.visibleBatch(caller, id);
    const cursor = BATCH_ITEMS_CURSOR.of(id);
    const [afterRow] = cursor.decode(query.cursor) ?? [null];
    const rows: BatchItemRow[] = await this.dataSource.query(
      `SELECT row, recipient, amount, reference, status, error_code, error_message, transaction_id FROM batch_items
        WHERE batch_id = $1 AND ($2::text IS NULL OR status = $2) AND ($3::int IS NULL OR row > $3)
        ORDER BY row LIMIT $4`,
      [id, query.status ?? null, afterRow, query.limit + 1],
    );
    return toPage(rows, query.limit, presentBatchItem, cursor, (row) => [row.row]);
  }

  /** Owner or admin; anyone else gets the same 404 as for an id that does not exist. */
  private async visibleBatch(caller: AuthUser, id: string): Promise<BatchRow> {
    const rows: BatchRow[] = await this.dataSource.query(
      `SELECT ${BATCH_COLUMNS} FROM batches b JOIN assets a ON a.id = b.asset_id WHERE b.id = $1`,
      [id],
    );
    const row = rows[0];
    if (row === undefined || (row.user_id !== caller.id && caller.role !== 'admin')) throw new NotFoundError('Batch');
    return row;
  }

  /**
   * At most BATCH_OPEN_MAX unfinished batches per user, so that nobody can fill the queue. The
   * per-user advisory lock makes concurrent uploads count one after the other; the refusal is
   * not stored with the key (it depends on the moment), so the same key can be retried later.
   */
  private async refuseTooManyOpen(queryRunner: QueryRunner, caller: AuthUser): Promise<void> {
    await queryRunner.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`batches-open:${caller.id}`]);
    const [{ open }]: Array<{ open: number }> = await queryRunner.query(
      `SELECT count(*)::int AS open FROM batches WHERE user_id = $1 AND status IN ('PENDING', 'PROCESSING')`,
      [caller.id],
    );
    if (open >= this.config.batchOpenMax) throw new TooManyOpenBatchesError(this.config.batchOpenMax);
  }

  private async insertBatch(queryRunner: QueryRunner, caller: AuthUser, asset: Asset, fileName: string, parsed: ParsedBatchFile): Promise<BatchRow> {
    const status = parsed.invalidCount === parsed.rowCount ? 'COMPLETED_WITH_ERRORS' : 'PENDING';
    const [batch]: BatchRow[] = await queryRunner.query(INSERT_BATCH_SQL, [
      randomUUID(),
      caller.id,
      asset.id,
      status,
      fileName.slice(0, FILE_NAME_CHARS_MAX),
      parsed.rowCount,
      parsed.invalidCount,
      parsed.totalAmount.toString(),
    ]);
    for (let start = 0; start < parsed.rowCount; start += INSERT_SLICE_ROWS) {
      const end = Math.min(start + INSERT_SLICE_ROWS, parsed.rowCount);
      await queryRunner.query(INSERT_ITEMS_SQL, [
        batch.id,
        start,
        parsed.recipients.slice(start, end),
        parsed.amounts.slice(start, end).map((amount) => amount?.toString() ?? null),
        parsed.references.slice(start, end),
        parsed.errors.slice(start, end),
      ]);
    }
    return batch;
  }

  private async claimKey(queryRunner: QueryRunner, request: IdempotentRequest): Promise<boolean> {
    try {
      const rows: unknown[] = await queryRunner.query(CLAIM_KEY_SQL, [
        request.userId,
        request.key,
        request.requestHash,
        `${this.config.lockTimeoutMs}ms`,
        `${this.config.statementTimeoutMs}ms`,
      ]);
      return rows.length === 1;
    } catch (error) {
      // A duplicate upload with this key is still being stored and outlasted the lock timeout.
      if (sqlState(error) === '55P03') throw new IdempotencyKeyInProgressError();
      throw error;
    }
  }

  private async replay(queryRunner: QueryRunner, request: IdempotentRequest): Promise<IdempotentResult> {
    const rows: Array<{ request_hash: string; status_code: number | null; response_body: unknown }> = await queryRunner.query(
      'SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [request.userId, request.key],
    );
    // The claim saw a committed key, and every committed key carries its response.
    assert.equal(rows.length, 1, 'claimed idempotency key vanished');
    if (rows[0].request_hash !== request.requestHash) throw new IdempotencyKeyReusedError();
    assert.ok(rows[0].status_code !== null, 'idempotency key committed without a response');
    return { status: rows[0].status_code, body: rows[0].response_body, replayed: true };
  }

  private async storeOutcome(queryRunner: QueryRunner, request: IdempotentRequest, status: number, body: unknown): Promise<IdempotentResult> {
    await queryRunner.query('UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE user_id = $1 AND key = $2', [
      request.userId,
      request.key,
      status,
      JSON.stringify(body),
    ]);
    return { status, body, replayed: false };
  }

  private async inTransaction<T>(work: (queryRunner: QueryRunner) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      await queryRunner.startTransaction();
      const result = await work(queryRunner);
      await queryRunner.commitTransaction();
      return result;
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    } finally {
      await queryRunner.release();
    }
  }
}

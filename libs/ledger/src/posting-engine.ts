import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, QueryRunner } from 'typeorm';
import {
  BusyError,
  DomainError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  isStoredRefusal,
} from './errors';
import { LedgerDirectory } from './ledger-directory';
import { LedgerTransaction } from './ledger-transaction';
import { Movement } from './ledger.types';
import { problemFromError, statusOf } from './problem';
import { backoffMs, isRetryable, sqlState } from './retry';
import { presentTransaction } from './transaction.presenter';

export const LEDGER_OPTIONS = Symbol('LEDGER_OPTIONS');

export interface LedgerOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  retriesMax: number;
}

/** Who is asking, with which key, for what: the idempotency record's identity and fingerprint. */
export interface IdempotentRequest {
  userId: string;
  key: string;
  requestHash: string;
}

export interface IdempotentResult {
  status: number;
  body: unknown;
  replayed: boolean;
}

/** Decides the movement inside the transaction, after its wallets are locked. */
export type MovementPlan = (tx: LedgerTransaction) => Promise<Movement>;

interface StoredKey {
  request_hash: string;
  status_code: number;
  response_body: unknown;
}

/**
 * Claims the key and sets this transaction's timeouts in one round trip. set_config(…, true)
 * is SET LOCAL; it runs before the insert, so lock_timeout already bounds the wait on a
 * concurrent duplicate's uncommitted key.
 */
const CLAIM_SQL = `
  INSERT INTO idempotency_keys (user_id, key, request_hash)
  SELECT $1, $2, $3 FROM (SELECT set_config('lock_timeout', $4, true), set_config('statement_timeout', $5, true)) AS timeouts
  ON CONFLICT DO NOTHING
  RETURNING created_at`;

/**
 * The double-entry posting engine: every API money movement is one call to `post`, one
 * database transaction that claims the idempotency key, locks the wallets in id order,
 * checks funds after the lock, writes balances, the transaction, its entries and the
 * stored response, and commits. Deadlocks, serialization failures and lock timeouts are
 * retried with jitter; when retries run out nothing was applied and the caller gets BUSY.
 */
@Injectable()
export class PostingEngine {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
    @Inject(LEDGER_OPTIONS) private readonly options: LedgerOptions,
  ) {}

  async post(request: IdempotentRequest, plan: MovementPlan): Promise<IdempotentResult> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(request, plan);
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= this.options.retriesMax) throw new BusyError();
        await sleep(backoffMs(attempt));
      }
    }
  }

  /** Runs `work` in a transaction with the configured timeouts, for movements without a key (batch rows). */
  async transaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.inTransaction(async (queryRunner) => {
          const [{ now }] = await queryRunner.query(
            `SELECT now() AS now, set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)`,
            [`${this.options.lockTimeoutMs}ms`, `${this.options.statementTimeoutMs}ms`],
          );
          return work(new LedgerTransaction(queryRunner, this.directory, now));
        });
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= this.options.retriesMax) throw new BusyError();
        await sleep(backoffMs(attempt));
      }
    }
  }

  private attempt(request: IdempotentRequest, plan: MovementPlan): Promise<IdempotentResult> {
    return this.inTransaction(async (queryRunner) => {
      const now = await this.claim(queryRunner, request);
      if (now === null) return this.replay(queryRunner, request);
      const tx = new LedgerTransaction(queryRunner, this.directory, now);
      let movement: Movement;
      let posted;
      try {
        movement = await plan(tx);
        posted = tx.prepare(movement);
      } catch (error) {
        if (!isStoredRefusal(error)) throw error;
        return this.storeRefusal(queryRunner, request, error);
      }
      const body = presentTransaction(posted);
      await tx.write(posted, movement.from, movement.to, { userId: request.userId, key: request.key, status: 201, body });
      return { status: 201, body, replayed: false };
    });
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

  /** Returns the transaction time when the key is ours, or null when it was already used. */
  private async claim(queryRunner: QueryRunner, request: IdempotentRequest): Promise<Date | null> {
    try {
      const rows: Array<{ created_at: Date }> = await queryRunner.query(CLAIM_SQL, [
        request.userId,
        request.key,
        request.requestHash,
        `${this.options.lockTimeoutMs}ms`,
        `${this.options.statementTimeoutMs}ms`,
      ]);
      return rows.length === 1 ? rows[0].created_at : null;
    } catch (error) {
      // Waiting on a duplicate still in flight took longer than the lock timeout.
      if (sqlState(error) === '55P03') throw new IdempotencyKeyInProgressError();
      throw error;
    }
  }

  private async replay(queryRunner: QueryRunner, request: IdempotentRequest): Promise<IdempotentResult> {
    const rows: StoredKey[] = await queryRunner.query(
      'SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
      [request.userId, request.key],
    );
    // ON CONFLICT saw a committed row, and keys are only purged long after their retention.
    if (rows.length !== 1) throw new Error('claimed idempotency key vanished');
    if (rows[0].request_hash !== request.requestHash) throw new IdempotencyKeyReusedError();
    return { status: rows[0].status_code, body: rows[0].response_body, replayed: true };
  }

  private async storeRefusal(queryRunner: QueryRunner, request: IdempotentRequest, error: DomainError): Promise<IdempotentResult> {
    const body = problemFromError(error);
    const status = statusOf(error.code);
    await queryRunner.query('UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE user_id = $1 AND key = $2', [
      request.userId,
      request.key,
      status,
      JSON.stringify(body),
    ]);
    return { status, body, replayed: false };
  }
}



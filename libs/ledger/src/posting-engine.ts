import { Inject, Injectable } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import {
  BusyError,
  DomainError,
  RecipientNotFoundError,
  SameWalletError,
  IdempotencyKeyInProgressError,
  IdempotencyKeyReusedError,
  isStoredRefusal,
} from './errors';
import { LedgerConnection, settle, statement, valueOf } from './ledger-connection';
import { LedgerDirectory } from './ledger-directory';
import { LedgerTransaction } from './ledger-transaction';
import { GroupCommitter, IntentSide, OnePostingIntent } from './group-commit';
import { Endpoint, EventDraft, Movement, onePosting, PostedTransaction } from './ledger.types';
import { problemFromError, statusOf } from './problem';
import { backoffMs, isRetryable, sqlState } from './retry';
import { presentPosted } from './transaction.presenter';

export const LEDGER_OPTIONS = Symbol('LEDGER_OPTIONS');

export interface LedgerOptions {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  retriesMax: number;
  /** Requests per group commit; 0 or 1 turns group commit off. */
  groupCommitMaxSize: number;
  /** Under load, how long a group waits to fill up; a lone request never waits. */
  groupCommitMaxWaitUs: number;
  /** Groups written at the same time. */
  groupCommitLanes: number;
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

/**
 * How a caller shapes what a posted movement says: the body of the 201 answer stored with
 * the key (the `Transaction` unless the caller presents its own, a `Hold`), and events to
 * write besides the `transaction.created` every transaction gets.
 */
export interface PostOptions {
  respond?: (posted: PostedTransaction) => unknown;
  announce?: (posted: PostedTransaction) => EventDraft[];
}

interface StoredKey {
  request_hash: string;
  status_code: number;
  response_body: unknown;
}

/**
 * Claims the key and sets this transaction's timeouts in one statement. set_config(…, true)
 * is SET LOCAL; it runs before the insert, so lock_timeout already bounds the wait on a
 * concurrent duplicate's uncommitted key, and every statement sent after it.
 */
const CLAIM_SQL = statement(
  'ledger_claim',
  `INSERT INTO idempotency_keys (user_id, key, request_hash)
   SELECT $1, $2, $3 FROM (SELECT set_config('lock_timeout', $4, true), set_config('statement_timeout', $5, true)) AS timeouts
   ON CONFLICT DO NOTHING
   RETURNING created_at`,
);

const REPLAY_SQL = statement(
  'ledger_replay',
  'SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE user_id = $1 AND key = $2',
);

const STORE_REFUSAL_SQL = statement(
  'ledger_store_refusal',
  'UPDATE idempotency_keys SET status_code = $3, response_body = $4 WHERE user_id = $1 AND key = $2',
);

/** The first statement of a transaction without a key (batch rows): its time and timeouts. */
const START_SQL = statement(
  'ledger_start',
  `SELECT now() AS now, set_config('lock_timeout', $1, true), set_config('statement_timeout', $2, true)`,
);

/** Until the claim answers, a posting transaction has no time yet; `prepare` never runs before. */
const NOT_YET = new Date(Number.NaN);

/**
 * The double-entry posting engine: every API money movement is one call to `post`, one
 * database transaction that claims the idempotency key, locks the wallets in id order,
 * checks funds after the lock, writes balances, the transaction, its entries and the
 * stored response, and commits. Deadlocks, serialization failures and lock timeouts are
 * retried with jitter; when retries run out nothing was applied and the caller gets BUSY.
 *
 * Round trips: BEGIN, the claim and the plan's first statements (the wallet lock) go out
 * together, and so do the write and COMMIT: two round trips for a transfer instead of five.
 * PostgreSQL still runs them one after the other, in that order, in one transaction, so
 * every guarantee above holds; only the waiting between them is gone (see LedgerConnection).
 */
@Injectable()
export class PostingEngine {
  private readonly groups: GroupCommitter | null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
    @Inject(LEDGER_OPTIONS) private readonly options: LedgerOptions,
  ) {
    this.groups =
      options.groupCommitMaxSize > 1
        ? new GroupCommitter(
            (work) => this.withConnection(work),
            directory,
            { ...options, maxSize: options.groupCommitMaxSize, maxWaitUs: options.groupCommitMaxWaitUs, lanes: options.groupCommitLanes },
            (request, intent) => this.post(request, planOf(intent)),
          )
        : null;
  }

  /**
   * A one-posting movement (transfer, spend, withdrawal, top-up, bonus): committed together
   * with the others in flight when group commit is on, alone otherwise. Same answers either way.
   */
  postOne(request: IdempotentRequest, intent: OnePostingIntent): Promise<IdempotentResult> {
    if (this.groups === null) return this.post(request, planOf(intent));
    return this.groups.submit(request, intent);
  }

  async post(request: IdempotentRequest, plan: MovementPlan, options: PostOptions = {}): Promise<IdempotentResult> {
    return this.withRetries(() =>
      this.withConnection(async (connection) => {
        const tx = new LedgerTransaction(connection.queryRunner, this.directory, NOT_YET, connection);
        try {
          return await this.attempt(connection, tx, request, plan, options);
        } finally {
          tx.releaseShards();
        }
      }),
    );
  }

  /** Runs `work` in a transaction with the configured timeouts, for movements without a key (batch rows). */
  async transaction<T>(work: (tx: LedgerTransaction) => Promise<T>): Promise<T> {
    return this.withRetries(() =>
      this.withConnection(async (connection) => {
        const [begun, started] = connection.corked(() => [
          settle(connection.command('BEGIN')),
          settle(connection.query<{ now: Date }>(START_SQL, [`${this.options.lockTimeoutMs}ms`, `${this.options.statementTimeoutMs}ms`])),
        ]);
        const [start, first] = [await begun, await started];
        valueOf(start);
        const [{ now }] = valueOf(first);
        const tx = new LedgerTransaction(connection.queryRunner, this.directory, now, connection);
        try {
          const result = await work(tx);
          await connection.command('COMMIT');
          return result;
        } finally {
          tx.releaseShards();
        }
      }),
    );
  }

  /** Deadlocks, serialization failures and lock timeouts: the whole transaction again, with jitter, then BUSY. */
  private async withRetries<T>(run: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (!isRetryable(error)) throw error;
        if (attempt >= this.options.retriesMax) throw new BusyError();
        await sleep(backoffMs(attempt));
      }
    }
  }

  private async attempt(
    connection: LedgerConnection,
    tx: LedgerTransaction,
    request: IdempotentRequest,
    plan: MovementPlan,
    options: PostOptions,
  ): Promise<IdempotentResult> {
    // The plan's statements are sent right behind the claim; what it decides counts only if the key is ours.
    const [begun, claimed, planned] = connection.corked(
      () => [settle(connection.command('BEGIN')), settle(this.claim(connection, request)), settle(plan(tx))] as const,
      true,
    );
    // Everything sent is awaited before anything is decided: no statement of this attempt may
    // still be on its way when the connection goes back to the pool.
    const [start, claim, outcome] = [await begun, await claimed, await planned];
    valueOf(start);
    const now = valueOf(claim);
    if (now === null) {
      await connection.command('ROLLBACK');
      return this.replay(connection, request);
    }
    tx.now = now;
    let movement: Movement;
    let posted;
    try {
      movement = valueOf(outcome);
      posted = tx.prepare(movement);
    } catch (error) {
      if (!isStoredRefusal(error)) throw error;
      return this.storeRefusal(connection, request, error);
    }
    const body = (options.respond ?? presentPosted)(posted);
    const response = { userId: request.userId, key: request.key, status: 201, body };
    const events = options.announce?.(posted) ?? [];
    const [written, committed] = connection.corked(() => [
      settle(tx.write(posted, movement.hold, response, events)),
      settle(connection.command('COMMIT')),
    ]);
    const [write, commit] = [await written, await committed];
    valueOf(write);
    valueOf(commit);
    return { status: 201, body, replayed: false };
  }

  /** A connection of the DataSource's pool for `work`; whatever transaction `work` leaves open on failure is rolled back. */
  private async withConnection<T>(work: (connection: LedgerConnection) => Promise<T>): Promise<T> {
    const queryRunner = this.dataSource.createQueryRunner();
    try {
      const connection = await LedgerConnection.of(queryRunner);
      try {
        return await work(connection);
      } catch (error) {
        // Harmless (a warning) when no transaction is open, e.g. after a COMMIT that failed.
        await connection.command('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } finally {
      await queryRunner.release();
    }
  }

  /** Returns the transaction time when the key is ours, or null when it was already used. */
  private async claim(connection: LedgerConnection, request: IdempotentRequest): Promise<Date | null> {
    try {
      const rows = await connection.query<{ created_at: Date }>(CLAIM_SQL, [
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

  private async replay(connection: LedgerConnection, request: IdempotentRequest): Promise<IdempotentResult> {
    const rows = await connection.query<StoredKey>(REPLAY_SQL, [request.userId, request.key]);
    // ON CONFLICT saw a committed row, and keys are only purged long after their retention.
    if (rows.length !== 1) throw new Error('claimed idempotency key vanished');
    if (rows[0].request_hash !== request.requestHash) throw new IdempotencyKeyReusedError();
    return { status: rows[0].status_code, body: rows[0].response_body, replayed: true };
  }

  /** A refusal by a business rule is stored with the key and committed, so a retry never flips it. */
  private async storeRefusal(connection: LedgerConnection, request: IdempotentRequest, error: DomainError): Promise<IdempotentResult> {
    const body = problemFromError(error);
    const status = statusOf(error.code);
    const [stored, committed] = connection.corked(() => [
      settle(connection.query(STORE_REFUSAL_SQL, [request.userId, request.key, status, JSON.stringify(body)])),
      settle(connection.command('COMMIT')),
    ]);
    const [store, commit] = [await stored, await committed];
    valueOf(store);
    valueOf(commit);
    return { status, body, replayed: false };
  }
}

/** The ordinary path's plan for a one-posting intent: resolve, lock both sides, one posting. */
function planOf(intent: OnePostingIntent): MovementPlan {
  return async (tx) => {
    const asset = await tx.asset(intent.asset);
    const from = await endpointOf(tx, intent.from, false);
    const to = await endpointOf(tx, intent.to, true);
    if ('user' in from && 'user' in to && from.user === to.user) throw new SameWalletError();
    const wallets = await tx.lock(asset, from, to);
    return onePosting(intent.type, asset, intent.amount, wallets, { description: intent.description, metadata: intent.metadata });
  };
}

async function endpointOf(tx: LedgerTransaction, side: IntentSide, isRecipient: boolean): Promise<Endpoint> {
  if ('system' in side) return side;
  const user = 'user' in side ? side.user : await tx.userIdByEmail(side.email);
  if (user === null) throw new RecipientNotFoundError();
  return { user, createIfMissing: isRecipient };
}

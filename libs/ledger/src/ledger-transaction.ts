import { randomUUID } from 'node:crypto';
import { strict as assert } from 'node:assert';
import { QueryRunner } from 'typeorm';
import { BalanceLimitError, InsufficientFundsError, RecipientNotFoundError } from './errors';
import { LedgerConnection, Statement, statement } from './ledger-connection';
import { LedgerDirectory } from './ledger-directory';
import { Asset, Endpoint, LockedWallet, Movement, PostedTransaction } from './ledger.types';
import { isWithinBounds, MONEY_MAX, toMinor } from './money';

/** The response stored with the idempotency key, written in the same statement as the ledger. */
export interface StoredResponse {
  userId: string;
  key: string;
  status: number;
  body: unknown;
}

interface WalletRow {
  id: string;
  kind: 'USER' | 'SYSTEM';
  user_id: string | null;
  balance: string;
}

/**
 * `pessimistic_write` (SELECT … FOR UPDATE) on every wallet of a movement in one statement;
 * ORDER BY id sits below the lock in the plan, so rows are locked in ascending id order and
 * two movements can never wait on each other in a cycle. A DISABLED user's wallet is not
 * found by its owner (nobody can pay them); by wallet id (reversals) it still is.
 */
const LOCK_WALLETS_SQL = statement(
  'ledger_lock_wallets',
  `SELECT id, kind, user_id, balance FROM wallets
    WHERE id = ANY($1::bigint[])
       OR (asset_id = $2 AND kind = 'USER' AND user_id = ANY($3::uuid[])
           AND EXISTS (SELECT 1 FROM users u WHERE u.id = wallets.user_id AND u.status = 'ACTIVE'))
    ORDER BY id
    FOR UPDATE`,
);

const ENSURE_USER_WALLET_SQL = statement(
  'ledger_ensure_user_wallet',
  `WITH owner AS (SELECT id FROM users WHERE id = $1 AND status = 'ACTIVE')
   , created AS (
     INSERT INTO wallets (user_id, asset_id, kind) SELECT id, $2, 'USER' FROM owner
     ON CONFLICT DO NOTHING)
   SELECT count(*)::int AS owners FROM owner`,
);

const USER_BY_EMAIL_SQL = statement('ledger_user_by_email', 'SELECT id FROM users WHERE email = $1');

const WRITE_SQL = statement(
  'ledger_write',
  `WITH tx AS (
    INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id,
                              to_user_id, description, batch_id, batch_row, reversal_of, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13))
  , balances AS (
    UPDATE wallets SET balance = CASE id WHEN $5 THEN $14::bigint ELSE $15::bigint END,
                       version = version + 1, updated_at = $13
     WHERE id IN ($5, $6))
  , entries AS (
    INSERT INTO ledger_entries (transaction_id, wallet_id, direction, amount, balance_after, created_at)
    VALUES ($1, $5, 'DEBIT', $4, $14, $13), ($1, $6, 'CREDIT', $4, $15, $13))
  UPDATE idempotency_keys SET status_code = $18, response_body = $19
   WHERE user_id = $16 AND key = $17`,
);

/**
 * One database transaction of the posting engine: resolves and locks wallets, checks funds
 * after the lock, and writes balances, the transaction and its two entries. The only code
 * that writes balances, transactions or ledger entries.
 */
export class LedgerTransaction {
  private readonly shardsTaken: string[] = [];

  constructor(
    readonly queryRunner: QueryRunner,
    private readonly directory: LedgerDirectory,
    /**
     * The database's transaction time, shared by every row the transaction writes. The
     * posting engine sets it once the idempotency claim answers, before `prepare`.
     */
    public now: Date,
    /** The runner's connection for this class's own statements (named, pipelined); see LedgerConnection. */
    private readonly connection?: LedgerConnection,
  ) {}

  /** Gives back the system wallet shards this transaction took; the engine calls it once the transaction ended. */
  releaseShards(): void {
    for (const shard of this.shardsTaken.splice(0)) this.directory.releaseSystemShard(shard);
  }

  private run<R extends object>(sql: Statement, values: unknown[]): Promise<R[]> {
    if (this.connection !== undefined) return this.connection.query<R & Record<string, unknown>>(sql, values);
    return this.queryRunner.query(sql.text, values);
  }

  asset(code: string): Promise<Asset> {
    return this.directory.asset(code);
  }

  async userIdByEmail(email: string): Promise<string | null> {
    const rows = await this.run<{ id: string }>(USER_BY_EMAIL_SQL, [email.toLowerCase()]);
    return rows[0]?.id ?? null;
  }

  /**
   * Resolves both sides to wallet rows and locks them. A missing recipient wallet is created
   * first (ON CONFLICT DO NOTHING, so racing creators agree); a missing payer wallet has
   * balance 0 and so cannot pay.
   */
  async lock(asset: Asset, debit: Endpoint, credit: Endpoint): Promise<{ from: LockedWallet; to: LockedWallet }> {
    const debitId = await this.walletIdOf(asset, debit);
    const creditId = await this.walletIdOf(asset, credit);
    const walletIds = [debitId, creditId].filter((id): id is string => id !== undefined);
    const userIds = [debit, credit].flatMap((e) => ('user' in e ? [e.user] : []));
    let rows = await this.lockRows(asset, walletIds, userIds);
    let to = pick(rows, credit, creditId);
    if (to === undefined && 'user' in credit && credit.createIfMissing && (await this.ensureUserWallet(credit.user, asset))) {
      // The new wallet has the highest id yet, so locking it last keeps the ascending order.
      rows = await this.lockRows(asset, walletIds, userIds);
      to = pick(rows, credit, creditId);
    }
    if (to === undefined) throw new RecipientNotFoundError();
    const from = pick(rows, debit, debitId);
    if (from === undefined) throw new InsufficientFundsError(asset.code);
    return { from, to };
  }

  private async walletIdOf(asset: Asset, endpoint: Endpoint): Promise<string | undefined> {
    if ('system' in endpoint) {
      const shard = await this.directory.takeSystemShard(asset, endpoint.system);
      this.shardsTaken.push(shard);
      return shard;
    }
    if ('walletId' in endpoint) return endpoint.walletId;
    return undefined;
  }

  /** Locks wallet rows by id and by owner, in ascending id order, in one statement. */
  async lockRows(asset: Asset, walletIds: string[], userIds: string[]): Promise<LockedWallet[]> {
    const rows = await this.run<WalletRow>(LOCK_WALLETS_SQL, [walletIds, asset.id, userIds]);
    return rows.map((r) => ({ id: String(r.id), kind: r.kind, userId: r.user_id, balance: toMinor(r.balance) }));
  }

  /** Creates the user's wallet for the asset if missing; false when the user does not exist or is disabled. */
  async ensureUserWallet(userId: string, asset: Asset): Promise<boolean> {
    const rows = await this.run<{ owners: number }>(ENSURE_USER_WALLET_SQL, [userId, asset.id]);
    return rows[0].owners === 1;
  }

  /**
   * Checks the movement against the locked balances and computes the new ones. Refusals
   * (insufficient funds, balance limit) throw before anything is written.
   */
  prepare(movement: Movement): PostedTransaction {
    const { from, to, amount } = movement;
    assert.ok(amount >= 1n, 'amount must be positive');
    assert.notEqual(from.id, to.id, 'a movement needs two wallets');
    const fromBalanceAfter = from.balance - amount;
    const toBalanceAfter = to.balance + amount;
    if (from.kind === 'USER' && fromBalanceAfter < 0n) throw new InsufficientFundsError(movement.asset.code);
    if (!this.withinBound(from, fromBalanceAfter) || !this.withinBound(to, toBalanceAfter)) throw new BalanceLimitError();
    return {
      id: randomUUID(),
      type: movement.type,
      asset: movement.asset.code,
      assetId: movement.asset.id,
      amount,
      fromWalletId: from.id,
      toWalletId: to.id,
      fromUserId: from.userId,
      toUserId: to.userId,
      description: movement.description,
      batchId: movement.batchId ?? null,
      reversalOf: movement.reversalOf ?? null,
      createdAt: this.now,
      fromBalanceAfter,
      toBalanceAfter,
      batchRow: movement.batchRow ?? null,
    };
  }

  /**
   * A user wallet stays within ±MONEY_MAX. A system wallet shard stays within its share,
   * MONEY_MAX / shards, so that the summed balance the API shows stays within MONEY_MAX too; a
   * shard past its share (shards were added since) may still move back toward zero.
   */
  private withinBound(wallet: LockedWallet, balanceAfter: bigint): boolean {
    if (wallet.kind === 'USER') return isWithinBounds(balanceAfter);
    const share = MONEY_MAX / BigInt(this.directory.systemShardCount(wallet.id));
    const magnitude = (value: bigint) => (value < 0n ? -value : value);
    return magnitude(balanceAfter) <= share || magnitude(balanceAfter) < magnitude(wallet.balance);
  }

  /**
   * Writes a prepared movement in one round trip: the transaction row, both balances, both
   * entries and (for API calls) the stored idempotent response. The locked wallet objects
   * are updated so that later movements in the same transaction see the new balances.
   *
   * The statement is submitted before this returns (nothing is awaited first), so the engine
   * can send COMMIT right behind it.
   */
  write(posted: PostedTransaction, from: LockedWallet, to: LockedWallet, response?: StoredResponse): Promise<void> {
    const written = this.run(WRITE_SQL, [
      posted.id,
      posted.type,
      posted.assetId,
      posted.amount.toString(),
      posted.fromWalletId,
      posted.toWalletId,
      posted.fromUserId,
      posted.toUserId,
      posted.description,
      posted.batchId,
      posted.batchRow,
      posted.reversalOf,
      posted.createdAt,
      posted.fromBalanceAfter.toString(),
      posted.toBalanceAfter.toString(),
      response?.userId ?? null,
      response?.key ?? null,
      response?.status ?? null,
      response === undefined ? null : JSON.stringify(response.body),
    ]);
    return written.then(() => {
      from.balance = posted.fromBalanceAfter;
      to.balance = posted.toBalanceAfter;
    });
  }
}

function pick(rows: LockedWallet[], endpoint: Endpoint, walletId: string | undefined): LockedWallet | undefined {
  if ('user' in endpoint) return rows.find((r) => r.kind === 'USER' && r.userId === endpoint.user);
  return rows.find((r) => r.id === walletId);
}

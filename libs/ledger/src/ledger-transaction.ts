import { randomUUID } from 'node:crypto';
import { strict as assert } from 'node:assert';
import { QueryRunner } from 'typeorm';
import { atPosting, BalanceLimitError, DomainError, InsufficientFundsError, RecipientNotFoundError } from './errors';
import { LedgerConnection, Statement, statement } from './ledger-connection';
import { LedgerDirectory } from './ledger-directory';
import { StoredResponse, WRITE_STATEMENT, writeValues } from './ledger-write';
import {
  Asset,
  Endpoint,
  EventDraft,
  HoldChange,
  HoldParties,
  HoldStatus,
  LockedWallet,
  Metadata,
  Movement,
  partyOf,
  PostedEntry,
  PostedTransaction,
  POSTINGS_MAX,
  SystemCode,
} from './ledger.types';
import { isWithinBounds, MONEY_MAX, toMinor } from './money';

export type { StoredResponse } from './ledger-write';

interface WalletRow {
  id: string;
  kind: 'USER' | 'SYSTEM';
  user_id: string | null;
  system_code: SystemCode | null;
  asset_id: number;
  balance: string;
}

/** A hold row locked FOR UPDATE, with its expiry decided by the database's transaction time. */
export interface LockedHold extends HoldParties {
  status: HoldStatus;
  expired: boolean;
  asset: string;
  expiresAt: Date;
  createdAt: Date;
  holdTransactionId: string;
}

/** One side of a posting to resolve and lock: an endpoint in an asset. */
export interface Side {
  asset: Asset;
  endpoint: Endpoint;
}

/**
 * `pessimistic_write` (SELECT … FOR UPDATE) on every wallet of a transaction in one statement;
 * ORDER BY id sits below the lock in the plan, so rows are locked in ascending id order and
 * two transactions can never wait on each other in a cycle. User wallets are matched by owner
 * and asset; with several assets and several users this also locks the users' other wallets
 * among those assets, which costs a little concurrency and never correctness. A DISABLED
 * user's wallet is not found by its owner (nobody can pay them); by wallet id (reversals,
 * hold releases) it still is.
 */
const LOCK_WALLETS_SQL = statement(
  'ledger_lock_wallets',
  `SELECT id, kind, user_id, system_code, asset_id, balance FROM wallets
    WHERE id = ANY($1::bigint[])
       OR (kind = 'USER' AND asset_id = ANY($2::int[]) AND user_id = ANY($3::uuid[])
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

const USER_BY_ID_SQL = statement('ledger_user_by_id', 'SELECT id FROM users WHERE id = $1');


const LOCK_HOLD_SQL = statement(
  'ledger_lock_hold',
  `SELECT h.id, h.status, h.expires_at <= now() AS expired, a.code AS asset, h.amount, h.payer_user_id, h.payer_wallet_id,
          h.recipient_user_id, h.recipient_system_code, h.recipient_wallet_id, h.description, h.metadata, h.expires_at,
          h.created_at, (SELECT t.id FROM transactions t WHERE t.hold_id = h.id AND t.type = 'HOLD') AS hold_transaction_id
     FROM holds h JOIN assets a ON a.id = h.asset_id WHERE h.id = $1 FOR UPDATE OF h`,
);

const INSERT_HOLD_SQL = statement(
  'ledger_insert_hold',
  `INSERT INTO holds (id, asset_id, amount, payer_user_id, payer_wallet_id, recipient_user_id, recipient_system_code,
                      recipient_wallet_id, description, metadata, expires_at, created_at)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::timestamptz + $12 * interval '1 second', $11)`,
);

/** Resolves a hold that is still PENDING; the trigger holds_resolve_once refuses anything else. */
const RESOLVE_HOLD_SQL = statement(
  'ledger_resolve_hold',
  `UPDATE holds SET status = $2, captured_amount = $3, resolved_at = $4 WHERE id = $1 AND status = 'PENDING' RETURNING id`,
);

/**
 * One database transaction of the posting engine: resolves and locks wallets, checks every
 * posting after the lock, and writes balances, the transaction, its entries and hold changes.
 * The only code that writes balances, transactions, ledger entries or holds.
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

  /** A user named by id or email, if there is one. */
  async userIdOf(ref: { userId?: string; email?: string }): Promise<string | null> {
    if (ref.email !== undefined) return this.userIdByEmail(ref.email);
    const rows = await this.run<{ id: string }>(USER_BY_ID_SQL, [(ref.userId as string).toLowerCase()]);
    return rows[0]?.id ?? null;
  }

  /** The id under which the API shows a system wallet: its first shard. */
  systemWalletId(asset: Asset, code: SystemCode): Promise<string> {
    return this.directory.systemWalletId(asset, code);
  }

  /** Both sides of a one-posting movement, locked; see `lockSides`. */
  async lock(asset: Asset, debit: Endpoint, credit: Endpoint): Promise<{ from: LockedWallet; to: LockedWallet }> {
    const [from, to] = await this.lockSides([
      { asset, endpoint: debit },
      { asset, endpoint: credit },
    ]);
    if (to === undefined) throw new RecipientNotFoundError();
    if (from === undefined) throw new InsufficientFundsError(asset.code);
    return { from, to };
  }

  /**
   * Resolves every side to a wallet row and locks them all in one statement. A missing wallet
   * of a side with `createIfMissing` is created first (ON CONFLICT DO NOTHING, so racing
   * creators agree) and the lock taken again; any other missing wallet comes back undefined
   * (a payer without a wallet has balance 0 and cannot pay; a recipient that does not exist).
   */
  async lockSides(sides: Side[]): Promise<Array<LockedWallet | undefined>> {
    const walletIds = await Promise.all(sides.map((side) => this.walletIdOf(side)));
    const userSides = sides.flatMap((side) => ('user' in side.endpoint ? [{ asset: side.asset, user: side.endpoint.user }] : []));
    const ids = walletIds.filter((id): id is string => id !== undefined);
    const assetIds = [...new Set(userSides.map((side) => side.asset.id))];
    const userIds = [...new Set(userSides.map((side) => side.user))];
    let rows = await this.lockRows(ids, assetIds, userIds);
    const missing = sides.filter(
      (side, i) => 'user' in side.endpoint && side.endpoint.createIfMissing && pick(rows, side, walletIds[i]) === undefined,
    );
    let created = false;
    for (const side of missing) created = (await this.ensureUserWallet((side.endpoint as { user: string }).user, side.asset)) || created;
    // New wallets have the highest ids yet, so locking them after the others keeps the ascending order.
    if (created) rows = await this.lockRows(ids, assetIds, userIds);
    return sides.map((side, i) => pick(rows, side, walletIds[i]));
  }

  /** A shard of the asset's system wallet for this transaction; given back by `releaseShards`. */
  async takeSystemShard(asset: Asset, code: SystemCode): Promise<string> {
    const shard = await this.directory.takeSystemShard(asset, code);
    this.shardsTaken.push(shard);
    return shard;
  }

  private async walletIdOf(side: Side): Promise<string | undefined> {
    const { endpoint } = side;
    if ('system' in endpoint) return this.takeSystemShard(side.asset, endpoint.system);
    if ('walletId' in endpoint) return endpoint.walletId;
    return undefined;
  }

  /** Locks wallet rows by id and by (owner, asset), in ascending id order, in one statement. */
  async lockRows(walletIds: string[], assetIds: number[], userIds: string[]): Promise<LockedWallet[]> {
    const rows = await this.run<WalletRow>(LOCK_WALLETS_SQL, [walletIds, assetIds, userIds]);
    return rows.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      userId: r.user_id,
      systemCode: r.system_code,
      assetId: r.asset_id,
      balance: toMinor(r.balance),
    }));
  }

  /** Creates the user's wallet for the asset if missing; false when the user does not exist or is disabled. */
  async ensureUserWallet(userId: string, asset: Asset): Promise<boolean> {
    const rows = await this.run<{ owners: number }>(ENSURE_USER_WALLET_SQL, [userId, asset.id]);
    return rows[0].owners === 1;
  }

  /** Locks a hold row; whether it has expired is decided by this transaction's time. */
  async lockHold(id: string): Promise<LockedHold | null> {
    const [row] = await this.run<Record<string, string | boolean | number | null | Date | Metadata>>(LOCK_HOLD_SQL, [id]);
    if (row === undefined) return null;
    return {
      id: String(row.id),
      status: row.status as HoldStatus,
      expired: row.expired === true,
      asset: String(row.asset),
      amount: toMinor(String(row.amount)),
      payerUserId: String(row.payer_user_id),
      payerWalletId: String(row.payer_wallet_id),
      recipientUserId: row.recipient_user_id === null ? null : String(row.recipient_user_id),
      recipientSystemCode: row.recipient_system_code === null ? null : 'REVENUE',
      recipientWalletId: String(row.recipient_wallet_id),
      description: row.description === null ? null : String(row.description),
      metadata: row.metadata as Metadata,
      expiresAt: row.expires_at as Date,
      createdAt: row.created_at as Date,
      holdTransactionId: String(row.hold_transaction_id),
    };
  }

  /**
   * Checks the postings in order against the locked balances (earlier postings count for later
   * ones) and computes every entry's balance_after. A refusal (insufficient funds, balance
   * limit) throws before anything is written, marked with its posting when there are several.
   */
  prepare(movement: Movement): PostedTransaction {
    const { postings } = movement;
    assert.ok(postings.length >= 1 && postings.length <= POSTINGS_MAX, 'a transaction has 1 to 25 postings');
    const balances = new Map<string, bigint>();
    const balancesAfter = new Map<LockedWallet, bigint>();
    const entries: PostedEntry[] = [];
    const move = (wallet: LockedWallet, delta: bigint): bigint => {
      const after = (balances.get(wallet.id) ?? wallet.balance) + delta;
      balances.set(wallet.id, after);
      balancesAfter.set(wallet, after);
      return after;
    };
    postings.forEach((p, posting) => {
      assert.ok(p.amount >= 1n, 'amount must be positive');
      assert.notEqual(p.from.id, p.to.id, 'a posting needs two wallets');
      assert.ok(p.from.assetId === p.asset.id && p.to.assetId === p.asset.id, 'a posting stays within its asset');
      try {
        const fromAfter = move(p.from, -p.amount);
        const toAfter = move(p.to, p.amount);
        if (p.from.kind === 'USER' && fromAfter < 0n) throw new InsufficientFundsError(p.asset.code);
        if (!this.withinBound(p.from, fromAfter, p.amount) || !this.withinBound(p.to, toAfter, -p.amount)) throw new BalanceLimitError();
        entries.push(
          { wallet: p.from, posting, direction: 'DEBIT', amount: p.amount, balanceAfter: fromAfter },
          { wallet: p.to, posting, direction: 'CREDIT', amount: p.amount, balanceAfter: toAfter },
        );
      } catch (error) {
        if (error instanceof DomainError && postings.length > 1) atPosting(error, posting);
        throw error;
      }
    });
    return {
      id: movement.id ?? randomUUID(),
      type: movement.type,
      postings: postings.map((p) => ({ from: partyOf(p.from), to: partyOf(p.to), asset: p.asset.code, amount: p.amount })),
      description: movement.description,
      metadata: movement.metadata ?? {},
      holdId: movement.holdId ?? null,
      batchId: movement.batchId ?? null,
      batchRow: movement.batchRow ?? null,
      reversalOf: movement.reversalOf ?? null,
      createdAt: this.now,
      entries,
      balancesAfter,
    };
  }

  /**
   * A user wallet stays within ±MONEY_MAX. A system wallet shard stays within its share,
   * MONEY_MAX / shards, so that the summed balance the API shows stays within MONEY_MAX too; a
   * shard past its share (shards were added since) may still move back toward zero.
   * `undo` is what takes `balanceAfter` back to the balance before this posting.
   */
  private withinBound(wallet: LockedWallet, balanceAfter: bigint, undo: bigint): boolean {
    if (wallet.kind === 'USER') return isWithinBounds(balanceAfter);
    const share = MONEY_MAX / BigInt(this.directory.systemShardCount(wallet.id));
    const magnitude = (value: bigint) => (value < 0n ? -value : value);
    return magnitude(balanceAfter) <= share || magnitude(balanceAfter) < magnitude(balanceAfter + undo);
  }

  /**
   * Writes a prepared movement in one round trip (two with a hold change): the transaction
   * row, its entries, the balances, its events and (for API calls) the stored idempotent
   * response. The
   * locked wallet objects are updated so that later movements in the same transaction see
   * the new balances.
   *
   * Every statement is submitted before this returns (nothing is awaited first), so the
   * engine can send COMMIT right behind them.
   */
  write(posted: PostedTransaction, hold?: HoldChange, response?: StoredResponse, events: EventDraft[] = []): Promise<void> {
    const holdWritten = hold === undefined ? Promise.resolve() : this.writeHold(hold);
    const written = this.run(WRITE_STATEMENT, writeValues(this.now, [posted], response === undefined ? [] : [response], events));
    return Promise.all([holdWritten, written]).then(() => {
      for (const [wallet, balance] of posted.balancesAfter) wallet.balance = balance;
    });
  }

  /** Inserts a new hold (before its HOLD transaction, which references it) or resolves one. */
  private async writeHold(change: HoldChange): Promise<void> {
    if ('create' in change) {
      const h = change.create;
      await this.run(INSERT_HOLD_SQL, [
        h.id,
        h.assetId,
        h.amount.toString(),
        h.payerUserId,
        h.payerWalletId,
        h.recipientUserId,
        h.recipientSystemCode,
        h.recipientWalletId,
        h.description,
        JSON.stringify(h.metadata),
        this.now,
        h.expiresInSeconds,
      ]);
      return;
    }
    const r = change.resolve;
    const rows = await this.run(RESOLVE_HOLD_SQL, [r.id, r.status, r.capturedAmount.toString(), this.now]);
    // The hold row is locked by this transaction and was PENDING: anything else is a bug.
    assert.equal(rows.length, 1, `hold ${r.id} was resolved while locked`);
  }
}

function pick(rows: LockedWallet[], side: Side, walletId: string | undefined): LockedWallet | undefined {
  const { endpoint, asset } = side;
  if ('user' in endpoint) return rows.find((r) => r.kind === 'USER' && r.userId === endpoint.user && r.assetId === asset.id);
  return rows.find((r) => r.id === walletId);
}

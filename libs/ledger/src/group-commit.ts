import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError, IdempotencyKeyReusedError, InsufficientFundsError, isStoredRefusal, RecipientNotFoundError, SameWalletError } from './errors';
import { LedgerConnection, settle, statement, valueOf } from './ledger-connection';
import { LedgerDirectory } from './ledger-directory';
import { LedgerTransaction } from './ledger-transaction';
import { BulkPosting } from './bulk-posting';
import { StoredResponse, WRITE_STATEMENT, writeValues } from './ledger-write';
import { Asset, LockedWallet, Metadata, MovementType, onePosting, PostedTransaction, SystemCode } from './ledger.types';
import { problemFromError, statusOf } from './problem';
import { presentPosted } from './transaction.presenter';

/** One side of a one-posting request, as the caller names it. */
export type IntentSide = { user: string } | { email: string } | { system: SystemCode };

/** A one-posting movement described before anything is locked: what group commit takes. */
export interface OnePostingIntent {
  type: MovementType;
  asset: string;
  amount: bigint;
  from: IntentSide;
  to: IntentSide;
  description: string | null;
  metadata?: Metadata;
}

export interface GroupRequest {
  userId: string;
  key: string;
  requestHash: string;
}

export interface GroupOutcome {
  status: number;
  body: unknown;
  replayed: boolean;
}

export interface GroupCommitOptions {
  maxSize: number;
  maxWaitUs: number;
  /** Groups written at the same time, each on its own connection, while the next one fills. */
  lanes: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
}

interface Waiting {
  request: GroupRequest;
  intent: OnePostingIntent;
  resolve(outcome: GroupOutcome): void;
  reject(error: unknown): void;
}

/** What one request of a group became once its wallets are locked. */
type Decision = { kind: 'posted'; posted: PostedTransaction; body: unknown } | { kind: 'refused'; error: DomainError } | { kind: 'replay' };

const CLAIM_MANY_SQL = statement(
  'group_claim',
  `INSERT INTO idempotency_keys (user_id, key, request_hash)
   SELECT k.user_id, k.key, k.request_hash
     FROM (SELECT set_config('lock_timeout', $4, true), set_config('statement_timeout', $5, true)) AS timeouts,
          unnest($1::uuid[], $2::text[], $3::text[]) AS k(user_id, key, request_hash)
    -- One order for every group: two groups in flight that share keys wait on each other one way only.
    ORDER BY k.user_id, k.key
   ON CONFLICT DO NOTHING
   RETURNING user_id, key, created_at`,
);

const USERS_BY_EMAIL_SQL = statement('group_users_by_email', 'SELECT id, email FROM users WHERE email = ANY($1::text[])');

/** Missing recipient wallets of existing users, in (user, asset) order so racing groups agree. */
const ENSURE_WALLETS_SQL = statement(
  'group_ensure_wallets',
  `INSERT INTO wallets (user_id, asset_id, kind)
   SELECT w.user_id, w.asset_id, 'USER'
     FROM unnest($1::uuid[], $2::int[]) AS w(user_id, asset_id)
     JOIN users u ON u.id = w.user_id AND u.status = 'ACTIVE'
    WHERE NOT EXISTS (SELECT 1 FROM wallets x WHERE x.kind = 'USER' AND x.user_id = w.user_id AND x.asset_id = w.asset_id)
    ORDER BY w.user_id, w.asset_id
   ON CONFLICT DO NOTHING`,
);

const REPLAY_MANY_SQL = statement(
  'group_replay',
  `SELECT k.user_id, k.key, k.request_hash, k.status_code, k.response_body
     FROM idempotency_keys k JOIN unnest($1::uuid[], $2::text[]) AS r(user_id, key) ON k.user_id = r.user_id AND k.key = r.key
    WHERE k.user_id = ANY($1::uuid[]) AND k.key = ANY($2::text[])`,
);

/**
 * Group commit (DESIGN.md "Group commit"): one-posting requests that arrive while a group is
 * being written wait, then go together in one database transaction: their keys claimed in one
 * statement, the union of their wallets locked in ascending id order in one statement, each
 * request checked in arrival order against the locked balances (a refusal is that request's
 * stored answer; the others go on), everything written in one statement, one COMMIT, then
 * every answer. Nothing is answered before COMMIT.
 *
 * Up to GROUP_COMMIT_LANES groups are written at a time per process, each on its own
 * connection: a request that finds a lane free starts a group at once (no added wait under
 * light load); under load the next group fills while the others commit. Groups in flight
 * lock their wallets in ascending id order like every transaction, so they never deadlock on
 * wallets; a key present in two of them makes the second wait for the first and replay. If anything about a group fails (the database
 * refuses the write, a lock times out, a deadlock), the group is rolled back and its
 * requests run one by one on the ordinary path, which has its own retries and answers.
 */
export class GroupCommitter {
  private queue: Waiting[] = [];
  /** Groups being written now, each on its own connection. */
  private lanesBusy = 0;
  private lastGroupSize = 0;

  constructor(
    private readonly openConnection: <T>(work: (connection: LedgerConnection) => Promise<T>) => Promise<T>,
    private readonly directory: LedgerDirectory,
    private readonly options: GroupCommitOptions,
    /** The ordinary one-request path, for a group that failed. */
    private readonly alone: (request: GroupRequest, intent: OnePostingIntent) => Promise<GroupOutcome>,
  ) {}

  submit(request: GroupRequest, intent: OnePostingIntent): Promise<GroupOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, intent, resolve, reject });
      if (this.lanesBusy < this.options.lanes) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.lanesBusy += 1;
    try {
      while (this.queue.length > 0) {
        // Under load, wait a moment for a fuller group; a lone request never waits.
        if (this.queue.length < this.options.maxSize && this.lastGroupSize > 1 && this.options.maxWaitUs > 0) {
          await sleep(this.options.maxWaitUs / 1000);
        }
        const group = this.queue.splice(0, this.options.maxSize);
        this.lastGroupSize = group.length;
        await this.run(group);
      }
    } finally {
      this.lanesBusy -= 1;
    }
  }

  private async run(group: Waiting[]): Promise<void> {
    const [leaders, followers] = splitDuplicates(group);
    let outcomes: Map<Waiting, GroupOutcome>;
    try {
      outcomes = await this.openConnection((connection) => this.commitGroup(connection, leaders));
    } catch {
      outcomes = await this.oneByOne(leaders);
    }
    for (const waiting of leaders) {
      const outcome = outcomes.get(waiting);
      if (outcome === undefined) waiting.reject(new Error('group commit lost a request'));
      else waiting.resolve(outcome);
    }
    for (const [follower, leader] of followers) {
      const outcome = outcomes.get(leader);
      if (outcome === undefined) follower.reject(new Error('group commit lost a request'));
      else if (follower.request.requestHash !== leader.request.requestHash) follower.reject(new IdempotencyKeyReusedError());
      else follower.resolve({ ...outcome, replayed: true });
    }
  }

  private async oneByOne(group: Waiting[]): Promise<Map<Waiting, GroupOutcome>> {
    const outcomes = new Map<Waiting, GroupOutcome>();
    await Promise.all(
      group.map(async (waiting) => {
        try {
          outcomes.set(waiting, await this.alone(waiting.request, waiting.intent));
        } catch (error) {
          waiting.reject(error);
        }
      }),
    );
    return outcomes;
  }

  /** BEGIN, claim, resolve, lock; decide in arrival order; write, COMMIT. Three round trips (four with emails). */
  private async commitGroup(connection: LedgerConnection, group: Waiting[]): Promise<Map<Waiting, GroupOutcome>> {
    const { lockTimeoutMs, statementTimeoutMs } = this.options;
    const [begun, claimed] = connection.corked(() => [
      settle(connection.command('BEGIN')),
      settle(
        connection.query<{ user_id: string; key: string; created_at: Date }>(CLAIM_MANY_SQL, [
          group.map((w) => w.request.userId),
          group.map((w) => w.request.key),
          group.map((w) => w.request.requestHash),
          `${lockTimeoutMs}ms`,
          `${statementTimeoutMs}ms`,
        ]),
      ),
    ] as const);
    const [start, claim] = [await begun, await claimed];
    valueOf(start);
    const claims = valueOf(claim);
    const isClaimed = new Set(claims.map((c) => `${c.user_id}\n${c.key}`));
    const now = claims[0]?.created_at ?? new Date();
    const tx = new LedgerTransaction(connection.queryRunner, this.directory, now, connection);
    try {
      const resolved = await this.resolve(connection, tx, group);
      // Arrival order: each request is checked against the balances the ones before it left.
      const bulk = new BulkPosting(tx);
      const decisions = group.map((waiting, i) =>
        isClaimed.has(`${waiting.request.userId}\n${waiting.request.key}`) ? decide(bulk, waiting.intent, resolved[i]) : ({ kind: 'replay' } as Decision),
      );
      return await this.write(connection, tx, group, decisions);
    } finally {
      tx.releaseShards();
    }
  }

  /** Each request's wallets, locked: emails resolved, missing recipient wallets created, the union locked at once. */
  private async resolve(connection: LedgerConnection, tx: LedgerTransaction, group: Waiting[]): Promise<Resolved[]> {
    const emails = [...new Set(group.flatMap((w) => [w.intent.from, w.intent.to]).flatMap((s) => ('email' in s ? [s.email.toLowerCase()] : [])))];
    const byEmail = new Map<string, string>();
    if (emails.length > 0) {
      for (const row of await connection.query<{ id: string; email: string }>(USERS_BY_EMAIL_SQL, [emails])) byEmail.set(row.email, row.id);
    }
    // One shard per system wallet per group: every request of the group uses the same locked row.
    const shards = new Map<string, Promise<string>>();
    const shardOf = (asset: Asset, code: SystemCode) => {
      const key = `${asset.id}:${code}`;
      if (!shards.has(key)) shards.set(key, tx.takeSystemShard(asset, code));
      return shards.get(key) as Promise<string>;
    };
    const plans = await Promise.all(group.map((w) => this.plan(w.intent, byEmail, shardOf)));
    const users = plans.flatMap((p) => (p.asset === null ? [] : p.sides.flatMap((s) => ('user' in s ? [{ user: s.user, asset: p.asset as Asset }] : []))));
    const recipients = plans.flatMap((p) => (p.asset !== null && 'user' in p.sides[1] ? [{ user: p.sides[1].user, asset: p.asset }] : []));
    const shardIds = plans.flatMap((p) => p.sides.flatMap((s) => ('walletId' in s ? [s.walletId] : [])));
    // The union of the group's wallets, locked in ascending id order in one statement, right behind the creation.
    const [ensured, locked] = connection.corked(() => [
      settle(connection.query(ENSURE_WALLETS_SQL, [recipients.map((r) => r.user), recipients.map((r) => r.asset.id)])),
      settle(tx.lockRows(shardIds, [...new Set(users.map((u) => u.asset.id))], [...new Set(users.map((u) => u.user))])),
    ] as const);
    const [ensure, lock] = [await ensured, await locked];
    valueOf(ensure);
    const wallets = valueOf(lock);
    return plans.map((p) => ({ ...p, wallets: p.sides.map((side) => findWallet(wallets, side, p.asset)) }));
  }

  /** Asset and sides of one request; a refusal found here (unknown asset, recipient, oneself) is kept for `decide`. */
  private async plan(
    intent: OnePostingIntent,
    byEmail: Map<string, string>,
    shardOf: (asset: Asset, code: SystemCode) => Promise<string>,
  ): Promise<Plan> {
    try {
      const asset = await this.directory.asset(intent.asset);
      const sides: PlanSide[] = [];
      for (const side of [intent.from, intent.to]) {
        if ('system' in side) sides.push({ walletId: await shardOf(asset, side.system) });
        else if ('user' in side) sides.push({ user: side.user });
        else {
          const user = byEmail.get(side.email.toLowerCase());
          if (user === undefined) throw new RecipientNotFoundError();
          sides.push({ user });
        }
      }
      if ('user' in sides[0] && 'user' in sides[1] && sides[0].user === sides[1].user) throw new SameWalletError();
      return { asset, sides, refusal: null };
    } catch (error) {
      if (!isStoredRefusal(error)) throw error;
      return { asset: null, sides: [], refusal: error };
    }
  }

  private async write(connection: LedgerConnection, tx: LedgerTransaction, group: Waiting[], decisions: Decision[]): Promise<Map<Waiting, GroupOutcome>> {
    const responses: StoredResponse[] = [];
    const posted: PostedTransaction[] = [];
    const outcomes = new Map<Waiting, GroupOutcome>();
    decisions.forEach((decision, i) => {
      const { userId, key } = group[i].request;
      if (decision.kind === 'posted') {
        posted.push(decision.posted);
        responses.push({ userId, key, status: 201, body: decision.body });
        outcomes.set(group[i], { status: 201, body: decision.body, replayed: false });
      } else if (decision.kind === 'refused') {
        const body = problemFromError(decision.error);
        const status = statusOf(decision.error.code);
        responses.push({ userId, key, status, body });
        outcomes.set(group[i], { status, body, replayed: false });
      }
    });
    const replays = group.filter((_, i) => decisions[i].kind === 'replay');
    const [written, replayed, committed] = connection.corked(() => [
      settle(responses.length === 0 ? Promise.resolve([]) : connection.query(WRITE_STATEMENT, writeValues(tx.now, posted, responses))),
      settle(
        replays.length === 0
          ? Promise.resolve([] as StoredKeyRow[])
          : connection.query<StoredKeyRow>(REPLAY_MANY_SQL, [replays.map((w) => w.request.userId), replays.map((w) => w.request.key)]),
      ),
      settle(connection.command('COMMIT')),
    ] as const);
    const [write, replay, commit] = [await written, await replayed, await committed];
    valueOf(write);
    const stored = valueOf(replay);
    valueOf(commit);
    for (const waiting of replays) {
      const row = stored.find((r) => r.user_id === waiting.request.userId && r.key === waiting.request.key);
      if (row === undefined || row.status_code === null) throw new Error('claimed idempotency key vanished');
      if (row.request_hash !== waiting.request.requestHash) waiting.reject(new IdempotencyKeyReusedError());
      else outcomes.set(waiting, { status: row.status_code, body: row.response_body, replayed: true });
    }
    return outcomes;
  }
}

type PlanSide = { user: string } | { walletId: string };

interface Plan {
  asset: Asset | null;
  sides: PlanSide[];
  refusal: DomainError | null;
}

interface Resolved extends Plan {
  wallets: Array<LockedWallet | undefined>;
}

interface StoredKeyRow {
  user_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: unknown;
}

function findWallet(wallets: LockedWallet[], side: PlanSide, asset: Asset | null): LockedWallet | undefined {
  if ('walletId' in side) return wallets.find((w) => w.id === side.walletId);
  return wallets.find((w) => w.kind === 'USER' && w.userId === side.user && w.assetId === asset?.id);
}

/** One request's outcome against the balances locked and moved on so far. */
function decide(bulk: BulkPosting, intent: OnePostingIntent, resolved: Resolved): Decision {
  if (resolved.refusal !== null) return { kind: 'refused', error: resolved.refusal };
  const asset = resolved.asset as Asset;
  const [from, to] = resolved.wallets;
  try {
    if (to === undefined) throw new RecipientNotFoundError();
    // A payer without a wallet for the asset has a balance of 0.
    if (from === undefined) throw new InsufficientFundsError(asset.code);
    const movement = onePosting(intent.type, asset, intent.amount, { from, to }, { description: intent.description, metadata: intent.metadata });
    const posted = bulk.add(movement);
    return { kind: 'posted', posted, body: presentPosted(posted) };
  } catch (error) {
    if (!isStoredRefusal(error)) throw error;
    return { kind: 'refused', error };
  }
}

/** The first request of each (user, key) goes in the group; later copies wait for its answer. */
function splitDuplicates(group: Waiting[]): [Waiting[], Array<[Waiting, Waiting]>] {
  const leaders = new Map<string, Waiting>();
  const followers: Array<[Waiting, Waiting]> = [];
  for (const waiting of group) {
    const id = `${waiting.request.userId}\n${waiting.request.key}`;
    const leader = leaders.get(id);
    if (leader === undefined) leaders.set(id, waiting);
    else followers.push([waiting, leader]);
  }
  return [[...leaders.values()], followers];
}

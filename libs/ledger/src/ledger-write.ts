import { statement } from './ledger-connection';
import { EventDraft, PostedTransaction } from './ledger.types';
import { presentPosted } from './transaction.presenter';

/** The response stored with the idempotency key, written in the same statement as the ledger. */
export interface StoredResponse {
  userId: string;
  key: string;
  status: number;
  body: unknown;
}

/**
 * Writes transactions, their entries (in the order given, so entry ids follow balance_after
 * within a wallet), the parties of multi-posting transactions, each touched wallet's final
 * balance and the stored idempotent responses: one statement, whatever the number of
 * transactions (one API movement, a batch chunk).
 *
 * The statement is prepared once per connection, and a generic plan cannot know how many
 * rows an `unnest` holds: joined alone, it planned sequential scans of `wallets` and
 * `idempotency_keys`. The redundant `= ANY(…)` conditions give it their primary keys.
 */
export const WRITE_SQL = `
  WITH moved AS (
    INSERT INTO transactions (id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id, to_user_id,
                              description, metadata, hold_id, batch_id, batch_row, reversal_of, posting_count, created_at)
    SELECT t.id, t.type, t.asset_id, t.amount, t.from_wallet_id, t.to_wallet_id, t.from_user_id, t.to_user_id,
           t.description, t.metadata, t.hold_id, t.batch_id, t.batch_row, t.reversal_of, t.posting_count, $1
      FROM unnest($2::uuid[], $3::text[], $4::int[], $5::bigint[], $6::bigint[], $7::bigint[], $8::uuid[], $9::uuid[],
                  $10::text[], $11::jsonb[], $12::uuid[], $13::uuid[], $14::int[], $15::uuid[], $16::smallint[])
           AS t(id, type, asset_id, amount, from_wallet_id, to_wallet_id, from_user_id, to_user_id,
                description, metadata, hold_id, batch_id, batch_row, reversal_of, posting_count))
  , entries AS (
    INSERT INTO ledger_entries (transaction_id, wallet_id, posting, direction, amount, balance_after, created_at)
    SELECT e.transaction_id, e.wallet_id, e.posting, e.direction, e.amount, e.balance_after, $1
      FROM unnest($17::uuid[], $18::bigint[], $19::smallint[], $20::text[], $21::bigint[], $22::bigint[]) WITH ORDINALITY
           AS e(transaction_id, wallet_id, posting, direction, amount, balance_after, n)
     ORDER BY e.n)
  , parties AS (
    INSERT INTO transaction_parties (user_id, transaction_id, created_at)
    SELECT p.user_id, p.transaction_id, $1 FROM unnest($23::uuid[], $24::uuid[]) AS p(user_id, transaction_id))
  , announced AS (
    INSERT INTO events (type, user_ids, data, created_at)
    SELECT v.type, ARRAY(SELECT jsonb_array_elements_text(v.user_ids))::uuid[], v.data, $1
      FROM unnest($32::text[], $33::jsonb[], $34::json[]) WITH ORDINALITY AS v(type, user_ids, data, n)
     ORDER BY v.n)
  , responses AS (
    UPDATE idempotency_keys k SET status_code = r.status, response_body = r.body
      FROM unnest($25::uuid[], $26::text[], $27::smallint[], $28::json[]) AS r(user_id, key, status, body)
     WHERE k.user_id = ANY($25::uuid[]) AND k.key = ANY($26::text[]) AND k.user_id = r.user_id AND k.key = r.key)
  UPDATE wallets w SET balance = b.balance, version = w.version + b.movements, updated_at = $1
    FROM unnest($29::bigint[], $30::bigint[], $31::int[]) AS b(id, balance, movements)
   WHERE w.id = ANY($29::bigint[]) AND w.id = b.id`;

/** WRITE_SQL as a named statement, prepared once per connection. */
export const WRITE_STATEMENT = statement('ledger_write', WRITE_SQL);

interface WalletWrite {
  balance: bigint;
  movements: number;
}

/**
 * The values of WRITE_SQL for `posted`, in order; `responses` may be empty (batch rows, the
 * hold sweeper). Every transaction announces itself (`transaction.created`); `events` adds
 * what callers announce besides (hold steps).
 */
export function writeValues(now: Date, posted: PostedTransaction[], responses: StoredResponse[], events: EventDraft[] = []): unknown[] {
  const single = (t: PostedTransaction) => (t.postings.length === 1 ? t.postings[0] : null);
  const entries = posted.flatMap((t) => t.entries.map((e) => ({ t, e })));
  const parties = posted.flatMap((t) => partiesOf(t).map((userId) => [userId, t.id]));
  const announced = [...posted.map(transactionCreated), ...events];
  const wallets = new Map<string, WalletWrite>();
  for (const { e } of entries) {
    const touched = wallets.get(e.wallet.id) ?? { balance: 0n, movements: 0 };
    wallets.set(e.wallet.id, { balance: e.balanceAfter, movements: touched.movements + 1 });
  }
  return [
    now,
    posted.map((t) => t.id),
    posted.map((t) => t.type),
    posted.map((t) => (single(t) === null ? null : t.entries[0].wallet.assetId)),
    posted.map((t) => single(t)?.amount.toString() ?? null),
    posted.map((t) => single(t)?.from.walletId ?? null),
    posted.map((t) => single(t)?.to.walletId ?? null),
    posted.map((t) => single(t)?.from.userId ?? null),
    posted.map((t) => single(t)?.to.userId ?? null),
    posted.map((t) => t.description),
    posted.map((t) => JSON.stringify(t.metadata)),
    posted.map((t) => t.holdId),
    posted.map((t) => t.batchId),
    posted.map((t) => t.batchRow),
    posted.map((t) => t.reversalOf),
    posted.map((t) => t.postings.length),
    entries.map(({ t }) => t.id),
    entries.map(({ e }) => e.wallet.id),
    entries.map(({ e }) => e.posting),
    entries.map(({ e }) => e.direction),
    entries.map(({ e }) => e.amount.toString()),
    entries.map(({ e }) => e.balanceAfter.toString()),
    parties.map(([userId]) => userId),
    parties.map(([, transactionId]) => transactionId),
    responses.map((r) => r.userId),
    responses.map((r) => r.key),
    responses.map((r) => r.status),
    responses.map((r) => JSON.stringify(r.body)),
    [...wallets.keys()],
    [...wallets.values()].map((w) => w.balance.toString()),
    [...wallets.values()].map((w) => w.movements),
    announced.map((e) => e.type),
    announced.map((e) => JSON.stringify(e.userIds)),
    announced.map((e) => JSON.stringify(e.data)),
  ];
}

function transactionCreated(t: PostedTransaction): EventDraft {
  const users = t.postings.flatMap((p) => [p.from.userId, p.to.userId]).filter((id): id is string => id !== null);
  return { type: 'transaction.created', userIds: [...new Set(users)], data: presentPosted(t) };
}

/**
 * The users of a multi-posting transaction, listed so each one's history finds it; a
 * one-posting transaction is found through its from/to user columns instead.
 */
function partiesOf(t: PostedTransaction): string[] {
  if (t.postings.length === 1) return [];
  const users = t.postings.flatMap((p) => [p.from.userId, p.to.userId]).filter((id): id is string => id !== null);
  return [...new Set(users)];
}

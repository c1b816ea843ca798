import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  LedgerDirectory,
  Metadata,
  MovementType,
  NotFoundError,
  PostingFields,
  postingOf,
  PostingRow,
  POSTINGS_OF_SQL,
  postingsByTransaction,
  presentTransaction,
  SystemCode,
} from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CursorCodec, Page, toPage } from '../common/pagination';
import { NamedStatement, namedQuery } from '../database/named-query';
import { EntryRow, presentEntry } from '../wallets/wallets.service';
import { TransactionQuery } from './dto/transaction.dto';
import type { Transaction, TransactionWithEntries } from '../../libs/contract/src';

interface TransactionRow {
  id: string;
  type: MovementType;
  posting_count: number;
  asset: string | null;
  amount: string | null;
  from_wallet_id: string | null;
  to_wallet_id: string | null;
  from_user_id: string | null;
  to_user_id: string | null;
  description: string | null;
  metadata: Metadata;
  hold_id: string | null;
  batch_id: string | null;
  reversal_of: string | null;
  created_at: Date;
  /** created_at as PostgreSQL text: exact to the microsecond, unlike a JS Date. */
  cursor_at: string;
}

const TRANSACTIONS_CURSOR = new CursorCodec('transactions', ['timestamp', 'uuid']);

/** A one-posting row's system side (owner NULL) gets its code from the LedgerDirectory's cache, not a join. */
const SELECT_TRANSACTIONS = `
  SELECT t.id, t.type, t.posting_count, ta.code AS asset, t.amount::text AS amount, t.from_wallet_id::text AS from_wallet_id,
         t.to_wallet_id::text AS to_wallet_id, t.from_user_id, t.to_user_id, t.description, t.metadata, t.hold_id,
         t.batch_id, t.reversal_of, t.created_at, t.created_at::text AS cursor_at
    FROM transactions t
    LEFT JOIN assets ta ON ta.id = t.asset_id`;

/**
 * $1 the caller, $2 type, $3 asset id (a multi-posting transaction matches when any posting
 * is in it), $4 the page size; pages after the first add $5/$6, the cursor. Two statements
 * rather than `$5 IS NULL OR …`, so that the cursor stays an index condition in a prepared
 * (generic) plan.
 */
function filters(afterCursor: boolean): string {
  const keyset = afterCursor ? 'AND (t.created_at, t.id) < ($5::timestamptz, $6::uuid)' : '';
  return `
  AND ($2::text IS NULL OR t.type = $2)
  AND ($3::int IS NULL OR t.asset_id = $3 OR (t.posting_count > 1 AND EXISTS (
        SELECT 1 FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id WHERE e.transaction_id = t.id AND w.asset_id = $3)))
  ${keyset}`;
}

/**
 * One way the caller is a party: each walks its own index, newest first, from the cursor on,
 * so a page deep in the history costs what page 1 costs.
 */
function side(column: 'from_user_id' | 'to_user_id', afterCursor: boolean): string {
  const excludeSelf = column === 'to_user_id' ? 'AND t.from_user_id IS DISTINCT FROM $1' : '';
  return `(SELECT t.id, t.created_at FROM transactions t
            WHERE t.${column} = $1 ${excludeSelf} ${filters(afterCursor)}
            ORDER BY t.created_at DESC, t.id DESC LIMIT $4)`;
}

/** Multi-posting transactions list their users in transaction_parties. */
function partiesSide(afterCursor: boolean): string {
  return `(SELECT t.id, t.created_at FROM transaction_parties p JOIN transactions t ON t.id = p.transaction_id
            WHERE p.user_id = $1 ${filters(afterCursor)}
            ORDER BY p.created_at DESC, p.transaction_id DESC LIMIT $4)`;
}

/** A user's history page: prepared once per pooled connection (named), planned once. */
function historyStatement(afterCursor: boolean): NamedStatement {
  return {
    name: afterCursor ? 'history-after-cursor' : 'history-first-page',
    text: `
  WITH page AS (
    ${side('from_user_id', afterCursor)} UNION ALL ${side('to_user_id', afterCursor)} UNION ALL ${partiesSide(afterCursor)}
    ORDER BY created_at DESC, id DESC LIMIT $4)
  ${SELECT_TRANSACTIONS}
    JOIN page ON page.id = t.id
   ORDER BY t.created_at DESC, t.id DESC`,
  };
}

const HISTORY = { first: historyStatement(false), after: historyStatement(true) };

/**
 * `metadata[KEY]=VALUE`: the GIN index on metadata (partial: only transactions that carry
 * some) finds the matching transactions; the caller's part in them is checked on those rows.
 * The filter is the last parameter.
 */
function metadataHistorySql(afterCursor: boolean): string {
  const metadata = afterCursor ? '$7' : '$5';
  return `
  WITH page AS (
    SELECT t.id FROM transactions t
     WHERE t.metadata @> ${metadata}::jsonb AND t.metadata <> '{}'::jsonb
       AND (t.from_user_id = $1 OR t.to_user_id = $1
            OR EXISTS (SELECT 1 FROM transaction_parties p WHERE p.user_id = $1 AND p.transaction_id = t.id))
       ${filters(afterCursor)}
     ORDER BY t.created_at DESC, t.id DESC LIMIT $4)
  ${SELECT_TRANSACTIONS}
    JOIN page ON page.id = t.id
   ORDER BY t.created_at DESC, t.id DESC`;
}

@Injectable()
export class TransactionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
  ) {}

  async list(caller: AuthUser, query: TransactionQuery): Promise<Page<Transaction>> {
    const [at, id] = TRANSACTIONS_CURSOR.decode(query.cursor) ?? [null, null];
    const assetId = query.asset === undefined ? null : (await this.directory.asset(query.asset)).id;
    const afterCursor = at !== null;
    const values = [caller.id, query.type ?? null, assetId, query.limit + 1, ...(afterCursor ? [at, id] : [])];
    const rows: TransactionRow[] =
      query.metadata === undefined
        ? await namedQuery(this.dataSource, afterCursor ? HISTORY.after : HISTORY.first, values)
        : await this.dataSource.query(metadataHistorySql(afterCursor), [...values, JSON.stringify(query.metadata)]);
    const presented = await this.present(rows);
    return toPage(presented, query.limit, ({ json }) => json, TRANSACTIONS_CURSOR, ({ row }) => [row.cursor_at, row.id]);
  }

  async get(caller: AuthUser, id: string): Promise<TransactionWithEntries> {
    const rows: TransactionRow[] = await this.dataSource.query(`${SELECT_TRANSACTIONS} WHERE t.id = $1`, [id]);
    const [transaction] = await this.present(rows);
    if (transaction === undefined || !(await this.isVisible(caller, transaction.row))) throw new NotFoundError('Transaction');
    const entries: Array<EntryRow & { owner_id: string | null }> = await this.dataSource.query(
      `SELECT e.id, e.wallet_id, e.transaction_id, $2::text AS type, e.direction, e.amount, e.balance_after, e.created_at,
              w.user_id AS owner_id
         FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id WHERE e.transaction_id = $1 ORDER BY e.id`,
      [id, transaction.row.type],
    );
    // A party sees the movement, not the other party's balance.
    const hideBalance = (entry: { owner_id: string | null }) => caller.role !== 'admin' && entry.owner_id !== caller.id;
    return {
      ...transaction.json,
      entries: entries.map((entry) => {
        const presented = presentEntry(entry);
        return hideBalance(entry) ? { ...presented, balanceAfter: null } : presented;
      }),
    };
  }

  private async isVisible(caller: AuthUser, row: TransactionRow): Promise<boolean> {
    if (caller.role === 'admin' || row.from_user_id === caller.id || row.to_user_id === caller.id) return true;
    if (row.posting_count === 1) return false;
    const parties: unknown[] = await this.dataSource.query('SELECT 1 FROM transaction_parties WHERE user_id = $1 AND transaction_id = $2', [
      caller.id,
      row.id,
    ]);
    return parties.length > 0;
  }

  /** Rows with their postings: a one-posting row carries its own, the others' come from their entries. */
  private async present(rows: TransactionRow[]): Promise<Array<{ row: TransactionRow; json: Transaction }>> {
    const multi = rows.filter((row) => row.posting_count > 1).map((row) => row.id);
    const postingRows: PostingRow[] = multi.length === 0 ? [] : await this.dataSource.query(POSTINGS_OF_SQL, [multi]);
    const postings = postingsByTransaction(postingRows);
    const single = rows.filter((row) => row.posting_count === 1);
    const shardIds = single.flatMap((row) => [
      ...(row.from_user_id === null ? [String(row.from_wallet_id)] : []),
      ...(row.to_user_id === null ? [String(row.to_wallet_id)] : []),
    ]);
    const codes = shardIds.length === 0 ? new Map<string, SystemCode>() : await this.directory.systemCodes(shardIds);
    return rows.map((row) => ({
      row,
      json: presentTransaction({
        id: row.id,
        type: row.type,
        postings: row.posting_count === 1 ? [singlePosting(row, codes)] : (postings.get(row.id) ?? []),
        description: row.description,
        metadata: row.metadata,
        holdId: row.hold_id,
        batchId: row.batch_id,
        reversalOf: row.reversal_of,
        createdAt: row.created_at,
      }),
    }));
  }
}

function singlePosting(row: TransactionRow, codes: ReadonlyMap<string, SystemCode>): PostingFields {
  const from = String(row.from_wallet_id);
  const to = String(row.to_wallet_id);
  return postingOf({
    asset: row.asset as string,
    amount: row.amount as string,
    from_wallet_id: from,
    from_user_id: row.from_user_id,
    from_system_code: row.from_user_id === null ? (codes.get(from) ?? null) : null,
    to_wallet_id: to,
    to_user_id: row.to_user_id,
    to_system_code: row.to_user_id === null ? (codes.get(to) ?? null) : null,
  });
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { LedgerDirectory, MovementType, NotFoundError, presentTransaction, toMinor, TransactionJson } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { CursorCodec, Page, toPage } from '../common/pagination';
import { EntryDto } from '../wallets/wallet.dto';
import { EntryRow, presentEntry } from '../wallets/wallets.service';
import { TransactionQuery } from './dto/transaction.dto';

interface TransactionRow {
  id: string;
  type: MovementType;
  asset: string;
  amount: string;
  from_wallet_id: string;
  to_wallet_id: string;
  from_user_id: string | null;
  to_user_id: string | null;
  description: string | null;
  batch_id: string | null;
  reversal_of: string | null;
  created_at: Date;
  /** created_at as PostgreSQL text: exact to the microsecond, unlike a JS Date. */
  cursor_at: string;
}

const TRANSACTIONS_CURSOR = new CursorCodec('transactions', ['timestamp', 'uuid']);

const COLUMNS = `t.id, t.type, t.asset_id, t.amount, t.from_wallet_id, t.to_wallet_id, t.from_user_id, t.to_user_id,
                 t.description, t.batch_id, t.reversal_of, t.created_at`;

/**
 * One side of "the caller is sender or receiver": each side walks its own index, newest
 * first, from the cursor on, so a page deep in the history costs what page 1 costs.
 */
function side(column: 'from_user_id' | 'to_user_id'): string {
  const excludeSelf = column === 'to_user_id' ? 'AND t.from_user_id IS DISTINCT FROM $1' : '';
  return `(SELECT ${COLUMNS} FROM transactions t
            WHERE t.${column} = $1 ${excludeSelf}
              AND ($2::text IS NULL OR t.type = $2)
              AND ($3::int IS NULL OR t.asset_id = $3)
              AND ($4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::uuid))
            ORDER BY t.created_at DESC, t.id DESC LIMIT $6)`;
}

const HISTORY_SQL = `
  SELECT u.*, a.code AS asset, u.created_at::text AS cursor_at
    FROM (${side('from_user_id')} UNION ALL ${side('to_user_id')}) u
    JOIN assets a ON a.id = u.asset_id
   ORDER BY u.created_at DESC, u.id DESC LIMIT $6`;

function present(row: TransactionRow): TransactionJson {
  return presentTransaction({
    id: row.id,
    type: row.type,
    asset: row.asset,
    amount: toMinor(row.amount),
    fromWalletId: String(row.from_wallet_id),
    toWalletId: String(row.to_wallet_id),
    fromUserId: row.from_user_id,
    toUserId: row.to_user_id,
    description: row.description,
    batchId: row.batch_id,
    reversalOf: row.reversal_of,
    createdAt: row.created_at,
  });
}

@Injectable()
export class TransactionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly directory: LedgerDirectory,
  ) {}

  async list(caller: AuthUser, query: TransactionQuery): Promise<Page<TransactionJson>> {
    const [at, id] = TRANSACTIONS_CURSOR.decode(query.cursor) ?? [null, null];
    const assetId = query.asset === undefined ? null : (await this.directory.asset(query.asset)).id;
    const rows: TransactionRow[] = await this.dataSource.query(HISTORY_SQL, [caller.id, query.type ?? null, assetId, at, id, query.limit + 1]);
    return toPage(rows, query.limit, present, TRANSACTIONS_CURSOR, (row) => [row.cursor_at, row.id]);
  }

  async get(caller: AuthUser, id: string): Promise<TransactionJson & { entries: EntryDto[] }> {
    const rows: TransactionRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS}, a.code AS asset, t.created_at::text AS cursor_at FROM transactions t JOIN assets a ON a.id = t.asset_id WHERE t.id = $1`,
      [id],
    );
    const row = rows[0];
    const visible = row !== undefined && (caller.role === 'admin' || row.from_user_id === caller.id || row.to_user_id === caller.id);
    if (!visible) throw new NotFoundError('Transaction');
    const entries: Array<EntryRow & { owner_id: string | null }> = await this.dataSource.query(
      `SELECT e.id, e.wallet_id, e.transaction_id, $2::text AS type, e.direction, e.amount, e.balance_after, e.created_at,
              w.user_id AS owner_id
         FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id WHERE e.transaction_id = $1 ORDER BY e.id`,
      [id, row.type],
    );
    // A party sees the movement, not the other party's balance.
    const hideBalance = (entry: { owner_id: string | null }) => caller.role !== 'admin' && entry.owner_id !== caller.id;
    return {
      ...present(row),
      entries: entries.map((entry) => {
        const presented = presentEntry(entry);
        return hideBalance(entry) ? { ...presented, balanceAfter: null } : presented;
      }),
    };
  }
}

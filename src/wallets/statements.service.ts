import { Injectable } from '@nestjs/common';
import { strict as assert } from 'node:assert';
import { stringify } from 'csv-stringify/sync';
import { DataSource } from 'typeorm';
import { moneyJson, toMinor, ValidationFailedError } from '../../libs/ledger/src';
import { AuthUser } from '../auth/auth-user';
import { BalanceAtDto, BalanceAtQuery, StatementDto, StatementQuery } from './statement.dto';
import { WalletsService } from './wallets.service';

const WINDOW_DAYS_MAX = 366;
const CSV_CHUNK_ROWS = 1_000;
const CSV_COLUMNS = ['createdAt', 'transactionId', 'type', 'direction', 'amount', 'balanceAfter', 'description'];

/**
 * A shard's last entry before a time: one backward step on (wallet_id, created_at, id).
 *
 * created_at is the time its transaction started, and two transactions racing for one wallet
 * can write their entries in the other order; ids follow the order in which the wallet's
 * balance changed (each writer holds the wallet's row lock). So statements take their time
 * bounds from created_at and everything else from ids: the window is the id range after the
 * last entry before `from` up to the last entry before `to`, and balance_after of those two
 * entries are the opening and closing balances. Sums over that range then always equal
 * closing − opening; only an entry racing another at the very boundary can land on the other
 * side of it (docs/api.md).
 */
const LAST_BEFORE = (time: string) => `
  SELECT id, balance_after FROM ledger_entries
   WHERE wallet_id = shard.id AND created_at < ${time}
   ORDER BY created_at DESC, id DESC LIMIT 1`;

const BOUNDS_SQL = `
  SELECT shard.id AS wallet_id, o.id AS after_id, greatest(o.id, c.id) AS last_id,
         coalesce(o.balance_after, 0) AS opening,
         -- A closing entry older (by id) than the opening one can only come from a race at the boundary.
         CASE WHEN c.id < o.id THEN o.balance_after ELSE coalesce(c.balance_after, 0) END AS closing
    FROM unnest($1::bigint[]) AS shard(id)
    LEFT JOIN LATERAL (${LAST_BEFORE('$2')}) o ON true
    LEFT JOIN LATERAL (${LAST_BEFORE('$3')}) c ON true`;

/** Per shard: the bounds and the sums over its id range, walking (wallet_id, id). */
const STATEMENT_SQL = `
  SELECT b.wallet_id, b.after_id, b.last_id, b.opening::text, b.closing::text,
         m.debits::text, m.credits::text, m.entries::int
    FROM (${BOUNDS_SQL}) b
   CROSS JOIN LATERAL (
         SELECT coalesce(sum(amount) FILTER (WHERE direction = 'DEBIT'), 0) AS debits,
                coalesce(sum(amount) FILTER (WHERE direction = 'CREDIT'), 0) AS credits, count(*) AS entries
           FROM ledger_entries
          WHERE wallet_id = b.wallet_id AND id > coalesce(b.after_id, 0) AND id <= b.last_id) m`;

const BALANCE_AT_SQL = `
  SELECT coalesce(sum(o.balance_after), 0)::text AS balance
    FROM unnest($1::bigint[]) AS shard(id)
   CROSS JOIN LATERAL (${LAST_BEFORE('$2')}) o`;

/** The next CSV rows after entry id $4, merged over the shards' id ranges in id order. */
const CSV_ROWS_SQL = `
  SELECT e.id, e.created_at, e.transaction_id, t.type, e.direction, e.amount::text, e.balance_after::text, t.description
    FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS s(wallet_id, after_id, last_id)
   CROSS JOIN LATERAL (
         SELECT * FROM ledger_entries le
          WHERE le.wallet_id = s.wallet_id AND le.id > greatest(s.after_id, $4) AND le.id <= s.last_id
          ORDER BY le.wallet_id, le.id LIMIT $5) e
    JOIN transactions t ON t.id = e.transaction_id
   ORDER BY e.id LIMIT $5`;

interface ShardStatement {
  wallet_id: string;
  after_id: string | null;
  last_id: string | null;
  opening: string;
  closing: string;
  debits: string;
  credits: string;
  entries: number;
}

interface CsvRow {
  id: string;
  created_at: Date;
  transaction_id: string;
  type: string;
  direction: string;
  amount: string;
  balance_after: string;
  description: string | null;
}

/** A spreadsheet must not run a cell as a formula (docs/api.md, "Statements"). */
function formulaSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

function csvLines(rows: string[][]): string {
  // Quoting a ';' or a tab too: some spreadsheets split on them whatever the file says.
  return stringify(rows.map((row) => row.map(formulaSafe)), { quoted_match: /[;\t]/ });
}

/** Balances at a point in time and statements of a window, from indexes only. */
@Injectable()
export class StatementsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly wallets: WalletsService,
  ) {}

  async balanceAt(caller: AuthUser, id: string, query: BalanceAtQuery): Promise<BalanceAtDto> {
    const wallet = await this.wallets.visibleWallet(caller, id);
    const at = new Date(query.at);
    // "At or before at" to the millisecond: entries are stored to the microsecond.
    const [row]: Array<{ balance: string }> = await this.dataSource.query(BALANCE_AT_SQL, [wallet.shard_ids, new Date(at.getTime() + 1)]);
    return { walletId: Number(wallet.id), asset: wallet.asset, at: at.toISOString(), balance: moneyJson(row.balance) };
  }

  async statement(caller: AuthUser, id: string, query: StatementQuery): Promise<StatementDto> {
    const { wallet, from, to, shards } = await this.shardStatements(caller, id, query);
    const total = (field: 'opening' | 'closing' | 'debits' | 'credits') => shards.reduce((sum, s) => sum + toMinor(s[field]), 0n);
    const [opening, closing, debits, credits] = [total('opening'), total('closing'), total('debits'), total('credits')];
    return {
      walletId: Number(wallet.id),
      asset: wallet.asset,
      from: from.toISOString(),
      to: to.toISOString(),
      openingBalance: moneyJson(opening),
      closingBalance: moneyJson(closing),
      debits: moneyJson(debits),
      credits: moneyJson(credits),
      entryCount: shards.reduce((sum, s) => sum + s.entries, 0),
    };
  }

  /**
   * The window's entries as CSV chunks. Everything that can refuse the request (visibility,
   * the window) is decided before the first chunk, while an error can still be a problem+json.
   */
  async statementCsv(caller: AuthUser, id: string, query: StatementQuery): Promise<AsyncIterable<string>> {
    const { shards } = await this.shardStatements(caller, id, query);
    const ranges = shards.filter((s) => s.last_id !== null);
    const fetchAfter = (afterId: string): Promise<CsvRow[]> =>
      this.dataSource.query(CSV_ROWS_SQL, [
        ranges.map((s) => s.wallet_id),
        ranges.map((s) => s.after_id ?? '0'),
        ranges.map((s) => s.last_id),
        afterId,
        CSV_CHUNK_ROWS,
      ]);
    return (async function* chunks() {
      yield csvLines([CSV_COLUMNS]);
      for (let afterId = '0'; ranges.length > 0; ) {
        const rows = await fetchAfter(afterId);
        if (rows.length === 0) return;
        yield csvLines(
          rows.map((r) => [r.created_at.toISOString(), r.transaction_id, r.type, r.direction, r.amount, r.balance_after, r.description ?? '']),
        );
        afterId = rows[rows.length - 1].id;
      }
    })();
  }

  private async shardStatements(caller: AuthUser, id: string, query: StatementQuery) {
    const wallet = await this.wallets.visibleWallet(caller, id);
    const [from, to] = [new Date(query.from), new Date(query.to)];
    if (from >= to) throw new ValidationFailedError('from must be before to', [{ field: 'to', message: 'must be after from' }]);
    if (to.getTime() - from.getTime() > WINDOW_DAYS_MAX * 86_400_000) {
      throw new ValidationFailedError(`A statement covers at most ${WINDOW_DAYS_MAX} days`, [{ field: 'to', message: `at most ${WINDOW_DAYS_MAX} days after from` }]);
    }
    const shards: ShardStatement[] = await this.dataSource.query(STATEMENT_SQL, [wallet.shard_ids, from, to]);
    for (const s of shards) {
      // Invariant 4: balance_after chains entry to entry, so the range's sums are the difference.
      assert(toMinor(s.closing) - toMinor(s.opening) === toMinor(s.credits) - toMinor(s.debits), `wallet ${s.wallet_id}: statement does not add up`);
    }
    return { wallet, from, to, shards };
  }
}

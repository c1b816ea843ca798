import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface ReconciliationProblem {
  invariant: 'WALLET_BALANCE_MATCHES_ENTRIES' | 'TRANSACTION_BALANCED' | 'ASSET_SUMS_TO_ZERO';
  detail: string;
}

export interface ReconciliationReport {
  ok: boolean;
  checkedAt: string;
  wallets: number;
  transactions: number;
  problems: ReconciliationProblem[];
}

const PROBLEMS_MAX = 100;

/** The three ledger invariants of DESIGN.md, checked in SQL over the whole ledger. */
@Injectable()
export class ReconciliationService {
  constructor(private readonly dataSource: DataSource) {}

  run(): Promise<ReconciliationReport> {
    // One snapshot for all checks, so concurrent movements cannot show up half-way.
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const [counts] = await manager.query(
        'SELECT (SELECT count(*) FROM wallets)::int AS wallets, (SELECT count(*) FROM transactions)::int AS transactions',
      );
      const problems = [
        ...(await this.walletsMatchEntries(manager)),
        ...(await this.transactionsBalanced(manager)),
        ...(await this.assetsSumToZero(manager)),
      ];
      return { ok: problems.length === 0, checkedAt: new Date().toISOString(), ...counts, problems };
    });
  }

  private async walletsMatchEntries(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ id: string; balance: string; entries: string; last_after: string | null }> = await manager.query(
      `SELECT w.id, w.balance::text, coalesce(e.net, 0)::text AS entries, e.last_after::text
         FROM wallets w
         LEFT JOIN (SELECT wallet_id, sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS net,
                           (array_agg(balance_after ORDER BY id DESC))[1] AS last_after
                      FROM ledger_entries GROUP BY wallet_id) e ON e.wallet_id = w.id
        WHERE w.balance <> coalesce(e.net, 0) OR w.balance <> coalesce(e.last_after, 0)
        ORDER BY w.id LIMIT ${PROBLEMS_MAX}`,
    );
    return rows.map((r) => ({
      invariant: 'WALLET_BALANCE_MATCHES_ENTRIES',
      detail: `wallet ${r.id}: balance ${r.balance}, entries sum ${r.entries}, last balance_after ${r.last_after ?? 'none'}`,
    }));
  }

  private async transactionsBalanced(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ id: string; net: string; entries: number }> = await manager.query(
      `SELECT t.id, coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END), 0)::text AS net,
              count(e.id)::int AS entries
         FROM transactions t LEFT JOIN ledger_entries e ON e.transaction_id = t.id
        GROUP BY t.id
       HAVING coalesce(sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END), 0) <> 0 OR count(e.id) <> 2
        LIMIT ${PROBLEMS_MAX}`,
    );
    return rows.map((r) => ({ invariant: 'TRANSACTION_BALANCED', detail: `transaction ${r.id}: net ${r.net} over ${r.entries} entries` }));
  }

  private async assetsSumToZero(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ code: string; total: string }> = await manager.query(
      `SELECT a.code, sum(w.balance)::text AS total FROM wallets w JOIN assets a ON a.id = w.asset_id
        GROUP BY a.code HAVING sum(w.balance) <> 0 ORDER BY a.code`,
    );
    return rows.map((r) => ({ invariant: 'ASSET_SUMS_TO_ZERO', detail: `asset ${r.code}: wallets sum to ${r.total}` }));
  }
}

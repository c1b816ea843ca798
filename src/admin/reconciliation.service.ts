import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import type { Reconciliation } from '../../libs/contract/src';

export interface ReconciliationProblem {
  invariant:
    | 'WALLET_BALANCE_MATCHES_ENTRIES'
    | 'TRANSACTION_BALANCED'
    | 'ASSET_SUMS_TO_ZERO'
    | 'HOLDING_MATCHES_PENDING_HOLDS'
    | 'HOLD_MATCHES_TRANSACTIONS';
  detail: string;
}

/** `Reconciliation` of libs/contract, with the invariants named exactly. */
export interface ReconciliationReport extends Reconciliation {
  problems: ReconciliationProblem[];
}

const PROBLEMS_MAX = 100;

/** The ledger invariants of DESIGN.md and the hold invariants, checked in SQL over the whole ledger. */
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
        ...(await this.holdingMatchesPendingHolds(manager)),
        ...(await this.holdsMatchTransactions(manager)),
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

  /** Per asset, every transaction's entries sum to 0, and it has a debit and a credit per posting. */
  private async transactionsBalanced(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ id: string; unbalanced: number; entries: number }> = await manager.query(
      `SELECT t.id, coalesce(sum(CASE WHEN a.net <> 0 THEN 1 ELSE 0 END), 0)::int AS unbalanced,
              coalesce(sum(a.entries), 0)::int AS entries
         FROM transactions t
         LEFT JOIN (SELECT e.transaction_id, w.asset_id, count(*) AS entries,
                           sum(CASE e.direction WHEN 'CREDIT' THEN e.amount ELSE -e.amount END) AS net
                      FROM ledger_entries e JOIN wallets w ON w.id = e.wallet_id
                     GROUP BY e.transaction_id, w.asset_id) a ON a.transaction_id = t.id
        GROUP BY t.id, t.posting_count
       HAVING coalesce(sum(CASE WHEN a.net <> 0 THEN 1 ELSE 0 END), 0) <> 0 OR coalesce(sum(a.entries), 0) <> 2 * t.posting_count
        LIMIT ${PROBLEMS_MAX}`,
    );
    return rows.map((r) => ({
      invariant: 'TRANSACTION_BALANCED',
      detail: `transaction ${r.id}: ${r.unbalanced} assets do not sum to 0 over ${r.entries} entries`,
    }));
  }

  /** Each asset's HOLDING wallet (all shards) holds exactly its PENDING holds. */
  private async holdingMatchesPendingHolds(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ code: string; holding: string; pending: string }> = await manager.query(
      `SELECT a.code, coalesce(w.holding, 0)::text AS holding, coalesce(h.pending, 0)::text AS pending
         FROM assets a
         LEFT JOIN (SELECT asset_id, sum(balance) AS holding FROM wallets WHERE system_code = 'HOLDING' GROUP BY asset_id) w
                ON w.asset_id = a.id
         LEFT JOIN (SELECT asset_id, sum(amount) AS pending FROM holds WHERE status = 'PENDING' GROUP BY asset_id) h
                ON h.asset_id = a.id
        WHERE coalesce(w.holding, 0) <> coalesce(h.pending, 0)
        ORDER BY a.code`,
    );
    return rows.map((r) => ({
      invariant: 'HOLDING_MATCHES_PENDING_HOLDS',
      detail: `asset ${r.code}: HOLDING holds ${r.holding}, pending holds sum to ${r.pending}`,
    }));
  }

  /**
   * Each hold has its HOLD transaction of its amount from the payer, and a resolving
   * transaction exactly when it is resolved: HOLD_CAPTURE moving the captured amount to the
   * recipient (the rest back to the payer) or HOLD_RELEASE moving it all back.
   */
  private async holdsMatchTransactions(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ id: string; status: string }> = await manager.query(
      `WITH moved AS (
         SELECT t.hold_id, t.type,
                sum(e.amount) FILTER (WHERE e.direction = 'DEBIT' AND w.id = h.payer_wallet_id) AS from_payer,
                sum(e.amount) FILTER (WHERE e.direction = 'CREDIT' AND w.id = h.payer_wallet_id) AS to_payer,
                sum(e.amount) FILTER (WHERE e.direction = 'CREDIT' AND (w.id = h.recipient_wallet_id
                                      OR (h.recipient_system_code IS NOT NULL AND w.system_code = h.recipient_system_code))) AS to_recipient,
                count(DISTINCT t.id) AS n
           FROM holds h JOIN transactions t ON t.hold_id = h.id
           JOIN ledger_entries e ON e.transaction_id = t.id JOIN wallets w ON w.id = e.wallet_id
          GROUP BY t.hold_id, t.type)
       SELECT h.id, h.status FROM holds h
         LEFT JOIN moved c ON c.hold_id = h.id AND c.type = 'HOLD'
         LEFT JOIN moved r ON r.hold_id = h.id AND r.type IN ('HOLD_CAPTURE', 'HOLD_RELEASE')
        WHERE c.n IS DISTINCT FROM 1 OR c.from_payer IS DISTINCT FROM h.amount
           OR (h.status = 'PENDING' AND r.n IS NOT NULL)
           OR (h.status = 'CAPTURED' AND (r.type IS DISTINCT FROM 'HOLD_CAPTURE' OR r.to_recipient IS DISTINCT FROM h.captured_amount
                                         OR coalesce(r.to_payer, 0) <> h.amount - h.captured_amount))
           OR (h.status IN ('VOIDED', 'EXPIRED') AND (r.type IS DISTINCT FROM 'HOLD_RELEASE' OR r.to_payer IS DISTINCT FROM h.amount))
        LIMIT ${PROBLEMS_MAX}`,
    );
    return rows.map((r) => ({ invariant: 'HOLD_MATCHES_TRANSACTIONS', detail: `hold ${r.id} (${r.status}) does not match its transactions` }));
  }

  private async assetsSumToZero(manager: EntityManager): Promise<ReconciliationProblem[]> {
    const rows: Array<{ code: string; total: string }> = await manager.query(
      `SELECT a.code, sum(w.balance)::text AS total FROM wallets w JOIN assets a ON a.id = w.asset_id
        GROUP BY a.code HAVING sum(w.balance) <> 0 ORDER BY a.code`,
    );
    return rows.map((r) => ({ invariant: 'ASSET_SUMS_TO_ZERO', detail: `asset ${r.code}: wallets sum to ${r.total}` }));
  }
}

import { ApiProperty } from '@nestjs/swagger';
import { ReconciliationProblem, ReconciliationReport } from './reconciliation.service';

const INVARIANTS: ReconciliationProblem['invariant'][] = [
  'WALLET_BALANCE_MATCHES_ENTRIES',
  'TRANSACTION_BALANCED',
  'ASSET_SUMS_TO_ZERO',
  'HOLDING_MATCHES_PENDING_HOLDS',
  'HOLD_MATCHES_TRANSACTIONS',
];

class ReconciliationProblemDto implements ReconciliationProblem {
  @ApiProperty({ enum: INVARIANTS, example: 'WALLET_BALANCE_MATCHES_ENTRIES' })
  invariant: ReconciliationProblem['invariant'];

  @ApiProperty({ example: 'wallet 7 (USD): balance 1200, entries sum to 1000' })
  detail: string;
}

/** What GET /admin/reconciliation answers: the ledger invariants, checked in SQL. */
export class ReconciliationReportDto implements ReconciliationReport {
  @ApiProperty({ example: true, description: 'true when no invariant is broken' })
  ok: boolean;

  @ApiProperty({ format: 'date-time', example: '2026-12-03T09:00:00.000Z' })
  checkedAt: string;

  @ApiProperty({ example: 42, description: 'wallets checked' })
  wallets: number;

  @ApiProperty({ example: 1337, description: 'transactions checked' })
  transactions: number;

  @ApiProperty({ type: [ReconciliationProblemDto], description: 'at most 100, empty when ok' })
  problems: ReconciliationProblemDto[];
}

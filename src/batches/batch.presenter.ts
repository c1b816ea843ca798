import { moneyJson } from '../../libs/ledger/src';
import { BatchItemStatus, BatchStatus } from './dto/batch.dto';
import type { Batch, BatchItem } from '../../libs/contract/src';

/** A `batches` row joined with its asset code; bigint columns come back from pg as text. */
export interface BatchRow {
  id: string;
  user_id: string;
  asset: string;
  status: BatchStatus;
  file_name: string;
  item_count: number;
  processed_count: number;
  succeeded_count: number;
  failed_count: number;
  total_amount: string;
  succeeded_amount: string;
  created_at: Date;
  completed_at: Date | null;
  /** created_at as PostgreSQL text: exact to the microsecond, unlike a JS Date (the list cursor). */
  cursor_at: string;
}

export const BATCH_COLUMNS = `b.id, b.user_id, a.code AS asset, b.status, b.file_name, b.item_count, b.processed_count,
  b.succeeded_count, b.failed_count, b.total_amount, b.succeeded_amount, b.created_at, b.completed_at,
  b.created_at::text AS cursor_at`;

export interface BatchItemRow {
  row: number;
  recipient: string;
  amount: string | null;
  reference: string | null;
  status: BatchItemStatus;
  error_code: string | null;
  error_message: string | null;
  transaction_id: string | null;
}

export function presentBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    status: row.status,
    asset: row.asset,
    fileName: row.file_name,
    itemCount: row.item_count,
    processedCount: row.processed_count,
    succeededCount: row.succeeded_count,
    failedCount: row.failed_count,
    totalAmount: moneyJson(row.total_amount),
    succeededAmount: moneyJson(row.succeeded_amount),
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
  };
}

export function presentBatchItem(row: BatchItemRow): BatchItem {
  return {
    row: row.row,
    recipient: row.recipient,
    amount: row.amount === null ? null : moneyJson(row.amount),
    reference: row.reference,
    status: row.status,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    transactionId: row.transaction_id,
  };
}

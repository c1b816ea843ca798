import { HoldStatus, Metadata, moneyJson } from '../../libs/ledger/src';
import type { Hold } from '../../libs/contract/src';

export interface HoldRow {
  id: string;
  status: HoldStatus;
  asset: string;
  amount: string;
  captured_amount: string;
  payer_user_id: string;
  payer_wallet_id: string;
  recipient_user_id: string | null;
  recipient_system_code: 'REVENUE' | null;
  recipient_wallet_id: string;
  description: string | null;
  metadata: Metadata;
  expires_at: Date;
  created_at: Date;
  resolved_at: Date | null;
  transaction_ids: string[];
  /** created_at as PostgreSQL text: exact to the microsecond, unlike a JS Date. */
  cursor_at: string;
}

/** Columns of HoldRow from `holds h JOIN assets a`; the hold's transactions in order. */
export const HOLD_COLUMNS = `
  h.id, h.status, a.code AS asset, h.amount::text AS amount, h.captured_amount::text AS captured_amount, h.payer_user_id,
  h.payer_wallet_id::text AS payer_wallet_id, h.recipient_user_id, h.recipient_system_code,
  h.recipient_wallet_id::text AS recipient_wallet_id, h.description, h.metadata, h.expires_at, h.created_at, h.resolved_at,
  h.created_at::text AS cursor_at,
  ARRAY(SELECT t.id FROM transactions t WHERE t.hold_id = h.id ORDER BY t.created_at, t.id)::text[] AS transaction_ids`;

export function presentHold(row: HoldRow): Hold {
  return {
    id: row.id,
    status: row.status,
    asset: row.asset,
    amount: moneyJson(row.amount),
    capturedAmount: moneyJson(row.captured_amount),
    payerUserId: row.payer_user_id,
    payerWalletId: Number(row.payer_wallet_id),
    recipient: { walletId: Number(row.recipient_wallet_id), userId: row.recipient_user_id, systemCode: row.recipient_system_code },
    description: row.description,
    metadata: row.metadata,
    expiresAt: row.expires_at.toISOString(),
    createdAt: row.created_at.toISOString(),
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    transactionIds: row.transaction_ids,
  };
}

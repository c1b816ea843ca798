import { toJsonNumber } from './money';
import { MovementType, TransactionFields } from './ledger.types';

/** `Transaction` of API.md. */
export interface TransactionJson {
  id: string;
  type: MovementType;
  status: 'COMPLETED';
  asset: string;
  amount: number;
  fromWalletId: number;
  toWalletId: number;
  fromUserId: string | null;
  toUserId: string | null;
  description: string | null;
  batchId: string | null;
  reversalOf: string | null;
  createdAt: string;
}


export function presentTransaction(t: TransactionFields): TransactionJson {
  return {
    id: t.id,
    type: t.type,
    status: 'COMPLETED',
    asset: t.asset,
    amount: toJsonNumber(t.amount),
    fromWalletId: Number(t.fromWalletId),
    toWalletId: Number(t.toWalletId),
    fromUserId: t.fromUserId,
    toUserId: t.toUserId,
    description: t.description,
    batchId: t.batchId,
    reversalOf: t.reversalOf,
    createdAt: t.createdAt.toISOString(),
  };
}

import { toJsonNumber } from './money';
import { Metadata, MovementType, Party, PostingFields, SystemCode, TransactionFields } from './ledger.types';

export interface PartyJson {
  walletId: number;
  userId: string | null;
  systemCode: SystemCode | null;
}

export interface PostingJson {
  from: PartyJson;
  to: PartyJson;
  asset: string;
  amount: number;
}

/**
 * `Transaction` of docs/api.md. The six v1 fields describe the single posting of a one-posting
 * transaction and are null when there are several.
 */
export interface TransactionJson {
  id: string;
  type: MovementType;
  status: 'COMPLETED';
  asset: string | null;
  amount: number | null;
  fromWalletId: number | null;
  toWalletId: number | null;
  fromUserId: string | null;
  toUserId: string | null;
  description: string | null;
  batchId: string | null;
  reversalOf: string | null;
  createdAt: string;
  postings: PostingJson[];
  metadata: Metadata;
  holdId: string | null;
}

export function presentParty(party: Party): PartyJson {
  return { walletId: Number(party.walletId), userId: party.userId, systemCode: party.systemCode };
}

function presentPosting(p: PostingFields): PostingJson {
  return { from: presentParty(p.from), to: presentParty(p.to), asset: p.asset, amount: toJsonNumber(p.amount) };
}

export function presentTransaction(t: TransactionFields): TransactionJson {
  const single = t.postings.length === 1 ? t.postings[0] : null;
  return {
    id: t.id,
    type: t.type,
    status: 'COMPLETED',
    asset: single?.asset ?? null,
    amount: single === null ? null : toJsonNumber(single.amount),
    fromWalletId: single === null ? null : Number(single.from.walletId),
    toWalletId: single === null ? null : Number(single.to.walletId),
    fromUserId: single?.from.userId ?? null,
    toUserId: single?.to.userId ?? null,
    description: t.description,
    batchId: t.batchId,
    reversalOf: t.reversalOf,
    createdAt: t.createdAt.toISOString(),
    postings: t.postings.map(presentPosting),
    metadata: t.metadata,
    holdId: t.holdId,
  };
}

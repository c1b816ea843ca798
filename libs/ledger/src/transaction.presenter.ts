import { toJsonNumber } from './money';
import type { Party as PartyJson, Posting as PostingJson, Transaction } from '../../contract/src';
import { Party, PostedTransaction, PostingFields, TransactionFields } from './ledger.types';

export function presentParty(party: Party): PartyJson {
  return { walletId: Number(party.walletId), userId: party.userId, systemCode: party.systemCode };
}

function presentPosting(p: PostingFields): PostingJson {
  return { from: presentParty(p.from), to: presentParty(p.to), asset: p.asset, amount: toJsonNumber(p.amount) };
}

/** `Transaction` of libs/contract: the six v1 fields describe the single posting of a one-posting transaction. */
export function presentTransaction(t: TransactionFields): Transaction {
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

const postedPresentations = new WeakMap<PostedTransaction, Transaction>();

/**
 * A transaction this process just posted, presented once: the same object is the stored
 * answer and its `transaction.created` event's data, so the hot path does not build it twice.
 */
export function presentPosted(posted: PostedTransaction): Transaction {
  let presented = postedPresentations.get(posted);
  if (presented === undefined) {
    presented = presentTransaction(posted);
    postedPresentations.set(posted, presented);
  }
  return presented;
}

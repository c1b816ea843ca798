import { useState } from 'react';
import { scaleOf, useApp } from '../context';
import { formatMinor } from '../lib/money';
import { callerNet } from '../lib/movement';
import type { Transaction } from '../../../libs/contract/src';
import { TRANSACTION_TYPE_LABELS } from '../lib/transaction-types';
import { TransactionDetails } from './TransactionDetails';

export function TransactionRow({ tx }: { tx: Transaction }) {
  const { assets, session } = useApp();
  const [open, setOpen] = useState(false);
  const { outgoing, amount: net, asset } = callerNet(tx, session.claims.sub);
  const amount = formatMinor(net, scaleOf(assets, asset) ?? 0);
  const detailsId = `tx-${tx.id}-details`;
  return (
    <li className="tx" data-testid="transaction-row" data-transaction-id={tx.id}>
      <button type="button" className="tx-summary" aria-expanded={open} aria-controls={detailsId} onClick={() => setOpen(!open)}>
        <span className="tx-type">{TRANSACTION_TYPE_LABELS[tx.type] ?? tx.type}</span>
        <span className="tx-desc">{tx.description !== null && <bdi>{tx.description}</bdi>}</span>
        <span className={outgoing ? 'tx-amount out' : 'tx-amount in'}>
          {outgoing ? '-' : '+'}
          {amount} {asset}
        </span>
        <time dateTime={tx.createdAt}>{new Date(tx.createdAt).toLocaleString()}</time>
      </button>
      <div id={detailsId} hidden={!open}>
        {open && <TransactionDetails tx={tx} />}
      </div>
    </li>
  );
}

import { ProblemAlert } from '../components/ProblemAlert';
import { scaleOf, useApp } from '../context';
import { useResource } from '../hooks/useResource';
import { formatMinor } from '../lib/money';
import type { Transaction, TransactionWithEntries } from '../../../libs/contract/src';

/** The ledger entries of one transaction, each with its own wallet. */
export function TransactionDetails({ tx }: { tx: Transaction }) {
  const { assets } = useApp();
  const detail = useResource<TransactionWithEntries>(`/transactions/${tx.id}`);
  if (detail.failure) return <ProblemAlert failure={detail.failure} />;
  if (!detail.data) return <p className="muted">Loading entries…</p>;
  const scale = scaleOf(assets, tx.asset ?? tx.postings[0]?.asset ?? '') ?? 0;
  return (
    <div className="tx-details">
      <p className="small">
        Transaction id <code>{tx.id}</code>
        {tx.reversalOf && <> · reverses <code>{tx.reversalOf}</code></>}
        {tx.batchId && <> · batch <code>{tx.batchId}</code></>}
      </p>
      <div className="table-wrap">
        <table data-testid="entries">
          <caption>Ledger entries</caption>
          <thead>
            <tr>
              <th scope="col">Wallet</th>
              <th scope="col">Direction</th>
              <th scope="col" className="num">Amount</th>
              <th scope="col" className="num">Balance after</th>
            </tr>
          </thead>
          <tbody>
            {detail.data.entries.map((entry) => (
              <tr key={entry.id}>
                <td>#{entry.walletId}</td>
                <td>{entry.direction === 'DEBIT' ? 'Debit' : 'Credit'}</td>
                <td className="num">{formatMinor(entry.amount, scale)}</td>
                <td className="num">
                  {entry.balanceAfter === null ? <span title="Another user's balance is private">—</span> : formatMinor(entry.balanceAfter, scale)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

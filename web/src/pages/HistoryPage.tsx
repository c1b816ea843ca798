import { useState } from 'react';
import { SelectField } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { usePagedList } from '../hooks/usePagedList';
import { withQuery } from '../lib/api';
import type { Transaction } from '../../../libs/contract/src';
import { TRANSACTION_TYPE_LABELS, TRANSACTION_TYPES } from '../lib/transaction-types';
import { TransactionRow } from './TransactionRow';

const TYPE_OPTIONS = [
  { value: '', label: 'All types' },
  ...TRANSACTION_TYPES.map((type) => ({ value: type, label: TRANSACTION_TYPE_LABELS[type] })),
];

export function HistoryPage() {
  const [type, setType] = useState('');
  const list = usePagedList<Transaction>(withQuery('/transactions', { type }));
  return (
    <>
      <PageHeading>History</PageHeading>
      <div className="filters">
        <SelectField label="Type" name="type" value={type} onChange={setType} options={TYPE_OPTIONS} />
      </div>
      {list.failure && <ProblemAlert failure={list.failure} />}
      {!list.loading && !list.failure && list.items.length === 0 && <p>No transactions yet.</p>}
      <ul className="tx-list" data-testid="history">
        {list.items.map((tx) => (
          <TransactionRow key={tx.id} tx={tx} />
        ))}
      </ul>
      {list.loading && <p className="muted">Loading…</p>}
      {list.nextCursor && (
        <button type="button" onClick={list.loadMore} disabled={list.loading} data-testid="load-more">
          Load more
        </button>
      )}
    </>
  );
}

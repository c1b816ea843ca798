import { ProblemAlert } from '../components/ProblemAlert';
import { useResource } from '../hooks/useResource';
import type { Reconciliation } from '../../../libs/contract/src';

export function ReconciliationPanel() {
  const report = useResource<Reconciliation>('/admin/reconciliation');
  const data = report.data;
  return (
    <section className="panel" aria-labelledby="reconciliation-title">
      <h2 id="reconciliation-title">Reconciliation</h2>
      <p className="muted">Every balance equals the sum of its entries, every transaction sums to zero, every asset sums to zero.</p>
      <button type="button" className="secondary" onClick={report.reload} disabled={report.loading}>
        {report.loading ? 'Checking…' : 'Check again'}
      </button>
      {report.failure && <ProblemAlert failure={report.failure} />}
      {data && (
        <div data-testid="reconciliation-status" data-ok={String(data.ok)}>
          <p className={data.ok ? 'alert alert-ok' : 'alert alert-error'}>
            {data.ok ? 'The ledger is consistent.' : `${data.problems.length} problem(s) found.`}
          </p>
          <p className="small">
            Checked {data.wallets} wallets and {data.transactions} transactions at{' '}
            <time dateTime={data.checkedAt}>{new Date(data.checkedAt).toLocaleString()}</time>.
          </p>
          {data.problems.length > 0 && (
            <ul className="problems">
              {data.problems.map((problem, i) => (
                <li key={i}>
                  <code>{problem.invariant}</code>: {problem.detail}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useApp } from '../context';
import { useResource } from '../hooks/useResource';
import type { ApiFailure } from '../lib/api';
import { statementWindow, utcDate } from '../lib/statement-window';
import type { Statement, Wallet } from '../../../libs/contract/src';
import { StatementSummary } from './StatementSummary';

const MONTH_MS = 30 * 86_400_000;

interface Shown {
  statement: Statement;
  csv: string;
}

/** A wallet's statement for a range of days: opening and closing balance, debits, credits, and the entries as CSV. */
export function StatementsPage() {
  const { request } = useApp();
  const wallets = useResource<Wallet[]>('/wallets');
  const [walletId, setWalletId] = useState('');
  const [fromDate, setFromDate] = useState(() => utcDate(Date.now() - MONTH_MS));
  const [toDate, setToDate] = useState(() => utcDate(Date.now()));
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const chosen = walletId || String(wallets.data?.[0]?.id ?? '');

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const range = statementWindow(fromDate, toDate);
    setError(range.ok ? undefined : range.error);
    if (!range.ok || !chosen) return;
    const path = `/wallets/${chosen}/statement?from=${encodeURIComponent(range.from)}&to=${encodeURIComponent(range.to)}`;
    const [statement, csv] = await Promise.all([request<Statement>(path), request<string>(path, { accept: 'text/csv' })]);
    const problem = !statement.ok ? statement : !csv.ok ? csv : null;
    setFailure(problem);
    setShown(statement.ok && csv.ok ? { statement: statement.data, csv: csv.data } : null);
  }

  const options = (wallets.data ?? []).map((w) => ({ value: String(w.id), label: `${w.asset} wallet #${w.id}` }));
  return (
    <>
      <PageHeading>Statements</PageHeading>
      <div className="panels">
        <section className="panel" aria-labelledby="statement-form-title">
          <h2 id="statement-form-title">Choose a wallet and days</h2>
          <form noValidate onSubmit={onSubmit} data-testid="statement-form">
            <SelectField label="Wallet" name="wallet" value={chosen} onChange={setWalletId} options={options} />
            <TextField label="First day (UTC)" type="date" value={fromDate} onChange={setFromDate} error={error} />
            <TextField label="Last day (UTC)" type="date" value={toDate} onChange={setToDate} />
            <button type="submit" disabled={!chosen}>
              Show statement
            </button>
          </form>
          {(failure ?? wallets.failure) && <ProblemAlert failure={(failure ?? wallets.failure)!} />}
        </section>
        {shown && <StatementSummary statement={shown.statement} csv={shown.csv} />}
      </div>
    </>
  );
}

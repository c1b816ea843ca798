import { formatAmount, useApp } from '../context';
import { useCsvDownload } from '../hooks/useCsvDownload';
import type { Statement } from '../../../libs/contract/src';

/** The statement's figures and its entries as a CSV file to download. */
export function StatementSummary({ statement, csv }: { statement: Statement; csv: string }) {
  const { assets } = useApp();
  const csvUrl = useCsvDownload(csv);
  const money = (minor: number) => formatAmount(assets, minor, statement.asset);
  return (
    <section className="panel" aria-labelledby="statement-title" data-testid="statement">
      <h2 id="statement-title">
        {statement.asset} wallet #{statement.walletId}
      </h2>
      <p className="muted">
        {statement.from} to {statement.to} (end excluded)
      </p>
      <dl className="stats">
        <dt>Opening balance</dt>
        <dd data-testid="statement-opening">{money(statement.openingBalance)}</dd>
        <dt>Credits</dt>
        <dd data-testid="statement-credits">{money(statement.credits)}</dd>
        <dt>Debits</dt>
        <dd data-testid="statement-debits">{money(statement.debits)}</dd>
        <dt>Closing balance</dt>
        <dd data-testid="statement-closing">{money(statement.closingBalance)}</dd>
        <dt>Entries</dt>
        <dd data-testid="statement-entries">{statement.entryCount}</dd>
      </dl>
      {csvUrl && (
        <a href={csvUrl} download={`statement-${statement.walletId}.csv`} data-testid="statement-csv">
          Download the entries (CSV)
        </a>
      )}
    </section>
  );
}

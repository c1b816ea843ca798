import { useMemo } from 'react';
import { ProblemAlert } from '../components/ProblemAlert';
import { useCsvDownload } from '../hooks/useCsvDownload';
import { useFailedItems } from '../hooks/useFailedItems';
import { failedItemsCsv } from '../lib/csv';
import type { Batch } from '../../../libs/contract/src';

/** Rows beyond this are left to the CSV download, to keep the page responsive. */
const SHOWN_ROWS = 500;

export function FailedRows({ batch }: { batch: Batch }) {
  const { items, done, failure } = useFailedItems(batch.id);
  const csv = useMemo(() => (done ? failedItemsCsv(items) : null), [done, items]);
  const csvUrl = useCsvDownload(csv);
  return (
    <div className="failed-rows">
      <h3>Failed rows</h3>
      {!done && <p className="muted" role="status">Loading failed rows… {items.length} of {batch.failedCount}</p>}
      {failure && <ProblemAlert failure={failure} />}
      {csvUrl && (
        <p>
          <a href={csvUrl} download={`batch-${batch.id}-failed-rows.csv`} data-testid="failed-rows-download">
            Download the {items.length} failed rows as CSV
          </a>
        </p>
      )}
      {items.length > SHOWN_ROWS && <p className="muted">Showing the first {SHOWN_ROWS} rows; the download has them all.</p>}
      <div className="table-wrap">
        <table className="stack-table" data-testid="failed-rows">
          <caption className="visually-hidden">Rows that were not paid</caption>
          <thead>
            <tr>
              <th scope="col" className="num">Row</th>
              <th scope="col">Recipient</th>
              <th scope="col" className="num">Amount (minor units)</th>
              <th scope="col">Error</th>
              <th scope="col">Message</th>
            </tr>
          </thead>
          <tbody>
            {items.slice(0, SHOWN_ROWS).map((item) => (
              <tr key={item.row} data-testid="failed-row">
                <td className="num" data-label="Row">{item.row}</td>
                <td data-label="Recipient"><bdi>{item.recipient}</bdi></td>
                <td className="num" data-label="Amount">{item.amount ?? ''}</td>
                <td data-label="Error"><code>{item.errorCode}</code></td>
                <td data-label="Message"><bdi>{item.errorMessage}</bdi></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

import { ProblemAlert } from '../components/ProblemAlert';
import { formatAmount, useApp } from '../context';
import { useBatchPolling } from '../hooks/useBatchPolling';
import { isFinished, progressPercent } from '../lib/batch';
import type { Batch, BatchStatus } from '../../../libs/contract/src';
import { FailedRows } from './FailedRows';

const STATUS_LABELS: Record<BatchStatus, string> = {
  PENDING: 'Waiting to start',
  PROCESSING: 'Paying out',
  COMPLETED: 'Completed',
  COMPLETED_WITH_ERRORS: 'Completed with errors',
};

export function BatchTracker({ initial }: { initial: Batch }) {
  const { assets } = useApp();
  const { batch, failure } = useBatchPolling(initial);
  const percent = progressPercent(batch);
  return (
    <section className="panel" aria-labelledby="batch-title" data-testid="batch" data-batch-id={batch.id}>
      <h2 id="batch-title">Batch <bdi>{batch.fileName}</bdi></h2>
      <div
        className="progress"
        role="progressbar"
        aria-label="Batch progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${batch.processedCount} of ${batch.itemCount} rows processed`}
        data-testid="batch-progress"
      >
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <dl className="stats">
        <dt>Status</dt>
        <dd data-testid="batch-status" data-status={batch.status}>{STATUS_LABELS[batch.status] ?? batch.status}</dd>
        <dt>Processed</dt>
        <dd>{batch.processedCount} of {batch.itemCount} rows</dd>
        <dt>Succeeded</dt>
        <dd data-testid="batch-succeeded">{batch.succeededCount}</dd>
        <dt>Failed</dt>
        <dd data-testid="batch-failed">{batch.failedCount}</dd>
        <dt>Paid</dt>
        <dd>
          {formatAmount(assets, batch.succeededAmount, batch.asset)} of {formatAmount(assets, batch.totalAmount, batch.asset)}
        </dd>
      </dl>
      {failure && <ProblemAlert failure={failure} />}
      {isFinished(batch) && batch.failedCount > 0 && <FailedRows batch={batch} />}
    </section>
  );
}

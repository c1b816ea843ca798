import { useEffect, useState } from 'react';
import { useApp } from '../context';
import type { ApiFailure } from '../lib/api';
import { isFinished } from '../lib/batch';
import { isTransient } from '../lib/idempotency';
import type { Batch } from '../../../libs/contract/src';

const POLL_MS = 500;

/** Re-reads the batch every 500 ms until it is finished; transient failures are shown and retried. */
export function useBatchPolling(initial: Batch): { batch: Batch; failure: ApiFailure | null } {
  const { request } = useApp();
  const [batch, setBatch] = useState(initial);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (isFinished(batch)) return;
    const timer = setTimeout(async () => {
      const result = await request<Batch>(`/batches/${batch.id}`);
      if (result.ok) {
        setFailure(null);
        setBatch(result.data);
        return;
      }
      setFailure(result);
      if (isTransient(result)) setAttempt((n) => n + 1);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [batch, attempt, request]);

  return { batch, failure };
}

import type { ApiFailure, ApiResult } from './api';
import { isTransient } from './idempotency';
import type { Batch, Page } from '../../../libs/contract/src';

export const MAX_BATCH_BYTES = 10 * 1024 * 1024;

/** A reason to refuse the chosen file before uploading it, or undefined when it may be sent. */
export function checkBatchFile(file: { name: string; size: number } | null): string | undefined {
  if (!file) return 'Choose a CSV file.';
  if (file.size === 0) return 'The file is empty.';
  if (file.size > MAX_BATCH_BYTES) return 'The file is larger than 10 MiB.';
  return undefined;
}

export function isFinished(batch: Batch): boolean {
  return batch.status === 'COMPLETED' || batch.status === 'COMPLETED_WITH_ERRORS';
}

/** Whole percent processed; 100 only once every row is processed. */
export function progressPercent(batch: Batch): number {
  if (batch.itemCount === 0) return isFinished(batch) ? 100 : 0;
  return Math.floor((batch.processedCount / batch.itemCount) * 100);
}

export interface Collected<T> {
  items: T[];
  failure: ApiFailure | null;
}

/**
 * Follows nextCursor until the last page, waiting out transient failures
 * (throttling, busy, network) and stopping on any other failure or when aborted.
 */
export async function collectPages<T>(
  fetchPage: (cursor: string | null) => Promise<ApiResult<Page<T>>>,
  onProgress: (items: T[]) => void,
  sleep: (ms: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<Collected<T>> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (;;) {
    if (signal?.aborted) return { items, failure: null };
    const result = await fetchPage(cursor);
    if (!result.ok) {
      if (!isTransient(result)) return { items, failure: result };
      await sleep((result.retryAfter ?? 1) * 1000);
      continue;
    }
    items.push(...result.data.items);
    onProgress(items);
    cursor = result.data.nextCursor;
    if (cursor === null) return { items, failure: null };
  }
}

import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { withQuery, type ApiFailure } from '../lib/api';
import { collectPages } from '../lib/batch';
import type { BatchItem, Page } from '../../../libs/contract/src';

export interface FailedItems {
  items: BatchItem[];
  done: boolean;
  failure: ApiFailure | null;
}

const PAGE_SIZE = 100;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every FAILED item of a batch, read page by page through nextCursor. */
export function useFailedItems(batchId: string): FailedItems {
  const { request } = useApp();
  const [state, setState] = useState<FailedItems>({ items: [], done: false, failure: null });

  useEffect(() => {
    const controller = new AbortController();
    const path = withQuery(`/batches/${batchId}/items`, { status: 'FAILED', limit: PAGE_SIZE });
    const fetchPage = (cursor: string | null) => request<Page<BatchItem>>(withQuery(path, { cursor }));
    const onProgress = (items: BatchItem[]) => setState({ items: [...items], done: false, failure: null });
    void collectPages(fetchPage, onProgress, sleep, controller.signal).then(({ items, failure }) => {
      if (!controller.signal.aborted) setState({ items, done: true, failure });
    });
    return () => controller.abort();
  }, [batchId, request]);

  return state;
}

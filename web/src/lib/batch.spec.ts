import type { ApiFailure, ApiResult } from './api';
import { checkBatchFile, collectPages, isFinished, MAX_BATCH_BYTES, progressPercent } from './batch';
import type { Batch, Page } from '../../../libs/contract/src';

const batch: Batch = {
  id: 'b',
  status: 'PROCESSING',
  asset: 'USD',
  fileName: 'p.csv',
  itemCount: 3,
  processedCount: 2,
  succeededCount: 2,
  failedCount: 0,
  totalAmount: 300,
  succeededAmount: 200,
  createdAt: '',
  completedAt: null,
};

describe('progress', () => {
  it('floors the percentage', () => {
    expect(progressPercent(batch)).toBe(66);
    expect(progressPercent({ ...batch, processedCount: 3 })).toBe(100);
  });

  it('handles empty batches', () => {
    expect(progressPercent({ ...batch, itemCount: 0, processedCount: 0 })).toBe(0);
    expect(progressPercent({ ...batch, itemCount: 0, processedCount: 0, status: 'COMPLETED' })).toBe(100);
  });

  it('knows the final statuses', () => {
    expect(isFinished(batch)).toBe(false);
    expect(isFinished({ ...batch, status: 'COMPLETED_WITH_ERRORS' })).toBe(true);
  });
});

describe('checkBatchFile', () => {
  it('refuses missing, empty and oversized files', () => {
    expect(checkBatchFile(null)).toBe('Choose a CSV file.');
    expect(checkBatchFile({ name: 'a.csv', size: 0 })).toBe('The file is empty.');
    expect(checkBatchFile({ name: 'a.csv', size: MAX_BATCH_BYTES + 1 })).toBe('The file is larger than 10 MiB.');
    expect(checkBatchFile({ name: 'a.csv', size: MAX_BATCH_BYTES })).toBeUndefined();
  });
});

describe('collectPages', () => {
  const page = (items: number[], nextCursor: string | null): ApiResult<Page<number>> => ({
    ok: true,
    status: 200,
    data: { items, nextCursor },
    replayed: false,
  });
  const throttled: ApiResult<Page<number>> = {
    ok: false,
    status: 429,
    problem: { type: 'about:blank', title: '', status: 429, detail: '', code: 'RATE_LIMITED' },
    replayed: false,
    retryAfter: 2,
  };

  it('follows cursors and waits out throttling', async () => {
    const responses = [page([1, 2], 'c1'), throttled, page([3], null)];
    const cursors: (string | null)[] = [];
    const sleeps: number[] = [];
    const progress: number[] = [];
    const collected = await collectPages(
      async (cursor) => {
        cursors.push(cursor);
        return responses.shift() as ApiResult<Page<number>>;
      },
      (items) => progress.push(items.length),
      async (ms) => {
        sleeps.push(ms);
      },
    );
    expect(collected).toEqual({ items: [1, 2, 3], failure: null });
    expect(cursors).toEqual([null, 'c1', 'c1']);
    expect(sleeps).toEqual([2000]);
    expect(progress).toEqual([2, 3]);
  });

  it('stops on a permanent failure', async () => {
    const notFound: ApiFailure = {
      ok: false,
      status: 404,
      problem: { type: 'about:blank', title: '', status: 404, detail: '', code: 'NOT_FOUND' },
      replayed: false,
      retryAfter: null,
    };
    const collected = await collectPages(async () => notFound, () => undefined, async () => undefined);
    expect(collected).toEqual({ items: [], failure: notFound });
  });

  it('stops fetching once aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    const collected = await collectPages(
      async () => {
        calls += 1;
        controller.abort();
        return page([1], 'next');
      },
      () => undefined,
      async () => undefined,
      controller.signal,
    );
    expect(calls).toBe(1);
    expect(collected).toEqual({ items: [1], failure: null });
  });
});

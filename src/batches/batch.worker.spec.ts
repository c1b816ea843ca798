import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppConfig } from '../config/app-config';
import { BatchProcessor } from './batch.processor';
import { BatchWorker } from './batch.worker';

function workerWith(processNextChunk: () => Promise<boolean>, enabled = true): { worker: BatchWorker; calls: () => number } {
  const processor = { processNextChunk: jest.fn(processNextChunk) };
  const config = { batchWorkerEnabled: enabled, batchPollMs: 10 } as AppConfig;
  const worker = new BatchWorker(processor as unknown as BatchProcessor, config);
  return { worker, calls: () => processor.processNextChunk.mock.calls.length };
}

describe('BatchWorker', () => {
  it('pays chunk after chunk while there is work, then polls', async () => {
    const answers = [true, true, false];
    const { worker, calls } = workerWith(async () => answers.shift() ?? false);
    worker.onApplicationBootstrap();
    await sleep(5);
    expect(calls()).toBe(3);
    await sleep(50);
    expect(calls()).toBeGreaterThan(3);
    await worker.onModuleDestroy();
  });

  it('on shutdown lets the chunk in flight finish and starts no other', async () => {
    let finishChunk: (more: boolean) => void = () => undefined;
    const { worker, calls } = workerWith(() => new Promise<boolean>((resolve) => (finishChunk = resolve)));
    worker.onApplicationBootstrap();
    await sleep(5);
    expect(calls()).toBe(1);
    let stopped = false;
    const stopping = worker.onModuleDestroy().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    finishChunk(true);
    await stopping;
    await sleep(30);
    expect(calls()).toBe(1);
  });

  it('keeps going after a failed chunk, waiting twice as long after each failure in a row', async () => {
    jest.useFakeTimers();
    const logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      const { worker, calls } = workerWith(async () => {
        throw new Error('database unavailable');
      });
      worker.onApplicationBootstrap();
      await jest.advanceTimersByTimeAsync(0);
      expect(calls()).toBe(1);
      for (const waitMs of [20, 40, 80, 160]) {
        await jest.advanceTimersByTimeAsync(waitMs - 1);
        const before = calls();
        await jest.advanceTimersByTimeAsync(1);
        expect([waitMs, calls()]).toEqual([waitMs, before + 1]);
      }
      await worker.onModuleDestroy();
      expect(logged).toHaveBeenCalledTimes(5);
    } finally {
      logged.mockRestore();
      jest.useRealTimers();
    }
  });

  it('does nothing when BATCH_WORKER_ENABLED is false', async () => {
    const { worker, calls } = workerWith(async () => false, false);
    worker.onApplicationBootstrap();
    await sleep(30);
    expect(calls()).toBe(0);
    await worker.onModuleDestroy();
  });
});

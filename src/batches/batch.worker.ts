import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { BatchProcessor } from './batch.processor';

/** After repeated failures (database down), wait at most this long between attempts. */
const FAILURE_BACKOFF_MS_MAX = 30_000;

/**
 * Polls PostgreSQL for batch work with setTimeout (BATCH_POLL_MS), and pays chunk after chunk
 * while there is some. All state lives in the database, so any number of instances can run
 * this loop. On shutdown it stops polling and lets the chunk in flight commit.
 */
@Injectable()
export class BatchWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('BatchWorker');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> = Promise.resolve();
  private stopping = false;
  private failures = 0;

  constructor(
    private readonly processor: BatchProcessor,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.batchWorkerEnabled) this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.timer !== null) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain();
    }, delayMs);
  }

  private async drain(): Promise<void> {
    try {
      while (!this.stopping && (await this.processor.processNextChunk())) this.failures = 0;
    } catch (error) {
      this.failures += 1;
      this.logger.error({ err: error, failures: this.failures }, 'batch chunk failed; it will be retried');
    }
    if (this.stopping) return;
    const { batchPollMs } = this.config;
    this.schedule(Math.min(batchPollMs * 2 ** Math.min(this.failures, 10), Math.max(batchPollMs, FAILURE_BACKOFF_MS_MAX)));
  }
}

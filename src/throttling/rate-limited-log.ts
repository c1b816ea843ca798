import { Logger } from '@nestjs/common';

/**
 * Logs an ongoing failure loudly but at most once per interval, with the number of
 * occurrences it swallowed since: an outage shows up at once without flooding the logs.
 */
export class RateLimitedLog {
  private lastLoggedAtMs = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  error(message: string, error: unknown): void {
    const at = this.now();
    if (at - this.lastLoggedAtMs < this.intervalMs) {
      this.suppressed += 1;
      return;
    }
    const detail = error instanceof Error ? error.message : String(error);
    this.logger.error({ err: error, suppressed: this.suppressed }, `${message}: ${detail} (${this.suppressed} more since the last report)`);
    this.lastLoggedAtMs = at;
    this.suppressed = 0;
  }
}

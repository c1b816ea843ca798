import { Logger } from '@nestjs/common';
import { RateLimitedLog } from './rate-limited-log';

describe('RateLimitedLog', () => {
  it('logs the first failure, swallows the next ones within the interval, then reports how many', () => {
    const lines: string[] = [];
    const logger = { error: (_: unknown, message: string) => lines.push(message) } as unknown as Logger;
    let nowMs = 0;
    const log = new RateLimitedLog(logger, 1_000, () => nowMs);
    log.error('Redis down', new Error('ECONNREFUSED'));
    for (nowMs = 10; nowMs < 1_000; nowMs += 100) log.error('Redis down', new Error('ECONNREFUSED'));
    log.error('Redis down', new Error('ECONNREFUSED'));
    expect(lines).toEqual([
      'Redis down: ECONNREFUSED (0 more since the last report)',
      'Redis down: ECONNREFUSED (10 more since the last report)',
    ]);
  });
});

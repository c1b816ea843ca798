/** Bounded retries: attemptsMax counts the first try; delays grow from baseDelayMs, capped at delayMaxMs. */
export interface RetryPolicy {
  attemptsMax: number;
  baseDelayMs: number;
  delayMaxMs: number;
}

export const RETRY_DEFAULTS: RetryPolicy = { attemptsMax: 4, baseDelayMs: 250, delayMaxMs: 5_000 };

/**
 * "Full jitter" exponential backoff before attempt `attempt + 1`: a random delay up to base·2^(attempt-1), so that
 * clients refused together do not come back together; never shorter than the server's Retry-After.
 */
export function backoffMs(policy: RetryPolicy, attempt: number, retryAfterSeconds: number | null, random: () => number): number {
  const ceilingMs = Math.min(policy.delayMaxMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitteredMs = Math.floor(random() * ceilingMs);
  const serverMs = retryAfterSeconds === null ? 0 : Math.min(policy.delayMaxMs, retryAfterSeconds * 1000);
  return Math.max(jitteredMs, serverMs);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

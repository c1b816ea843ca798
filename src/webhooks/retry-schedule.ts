/** Each delay is spread over ±20 %, so deliveries that failed together do not all come back together. */
const JITTER = 0.2;

/**
 * The wait after failed attempt number `attempt` (1-based): the schedule's entry for it, the
 * last entry once the schedule runs out, with jitter.
 */
export function retryDelayMs(attempt: number, delaysMs: number[], random: () => number = Math.random): number {
  const base = delaysMs[Math.min(attempt, delaysMs.length) - 1];
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}

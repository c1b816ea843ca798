const SECOND_MS = 1_000;
const MINUTE_S = 60;
const HOUR_S = 3_600;
const DAY_S = 86_400;

/** The time left until `untilMs`, for a countdown: "2d 03h", "1h 05m", "4m 09s", "9s", or "expired". */
export function formatRemaining(untilMs: number, nowMs: number): string {
  const seconds = Math.ceil((untilMs - nowMs) / SECOND_MS);
  if (seconds <= 0) return 'expired';
  const pad = (n: number) => String(n).padStart(2, '0');
  if (seconds >= DAY_S) return `${Math.floor(seconds / DAY_S)}d ${pad(Math.floor((seconds % DAY_S) / HOUR_S))}h`;
  if (seconds >= HOUR_S) return `${Math.floor(seconds / HOUR_S)}h ${pad(Math.floor((seconds % HOUR_S) / MINUTE_S))}m`;
  if (seconds >= MINUTE_S) return `${Math.floor(seconds / MINUTE_S)}m ${pad(seconds % MINUTE_S)}s`;
  return `${seconds}s`;
}

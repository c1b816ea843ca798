import { useNow } from '../hooks/useNow';
import { formatRemaining } from '../lib/countdown';

/** Time left until `until` (an ISO time), ticking every second; `data-expired` turns true at zero. */
export function Countdown({ until, testId }: { until: string; testId: string }) {
  const now = useNow();
  const untilMs = Date.parse(until);
  return (
    <time dateTime={until} data-testid={testId} data-expired={String(untilMs <= now)} title={new Date(until).toLocaleString()}>
      {formatRemaining(untilMs, now)}
    </time>
  );
}

/**
 * Runs `task` every `intervalMs` on a timer that does not keep the process alive; a failure
 * goes to `onError` and the next run comes as planned. Returns what stops it.
 */
export function repeat(intervalMs: number, task: () => Promise<unknown>, onError: (error: unknown) => void): () => void {
  const timer = setInterval(() => void task().catch(onError), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

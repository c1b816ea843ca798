import { useState, type FormEvent } from 'react';
import { TextField } from '../components/Field';
import { MovementFields } from '../components/MovementFields';
import { formatAmount, useApp } from '../context';
import { useMovementForm } from '../hooks/useMovementForm';
import { MAX_CONCURRENT, parseCount, runConcurrencyDemo, type ConcurrencyOutcome } from '../lib/demos';

export function ConcurrencyDemo() {
  const { request } = useApp();
  const form = useMovementForm('toEmail', { amount: '1' });
  const [count, setCount] = useState('20');
  const [countError, setCountError] = useState<string | undefined>();
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<{ outcome: ConcurrencyOutcome; asset: string; count: number } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = form.check();
    const parsed = parseCount(count);
    setCountError(parsed.ok ? undefined : parsed.error);
    if (!body || !parsed.ok || running) return;
    setRunning(true);
    setRun(null);
    const outcome = await runConcurrencyDemo(request, body, parsed.count);
    setRun({ outcome, asset: String(body.asset), count: parsed.count });
    setRunning(false);
  }

  return (
    <section className="panel" aria-labelledby="concurrency-title">
      <h2 id="concurrency-title">Fire concurrent transfers</h2>
      <p className="muted">
        Sends N transfers at the same moment, each with its own key. Row locks let through only what the balance covers; the
        rest are refused, and the balance never goes below zero.
      </p>
      <form noValidate onSubmit={onSubmit} data-testid="concurrency-form">
        <TextField label={`Number of transfers (1–${MAX_CONCURRENT})`} name="count" inputMode="numeric" value={count} onChange={setCount} error={countError} />
        <MovementFields values={form.values} errors={form.errors} onChange={form.change} recipientField="toEmail" withDescription={false} />
        <button type="submit" disabled={running}>{running ? 'Running…' : 'Fire transfers'}</button>
      </form>
      <div aria-live="polite">{run && <ConcurrencyResult {...run} />}</div>
    </section>
  );
}

function ConcurrencyResult({ outcome, asset, count }: { outcome: ConcurrencyOutcome; asset: string; count: number }) {
  const { assets } = useApp();
  const money = (minor: number | null) => (minor === null ? 'unknown' : formatAmount(assets, minor, asset));
  const other = Object.entries(outcome.other);
  return (
    <dl className="stats" data-testid="concurrency-result">
      <dt>Sent</dt>
      <dd>{count}</dd>
      <dt>Succeeded (201)</dt>
      <dd data-testid="concurrency-succeeded">{outcome.succeeded}</dd>
      <dt>Refused (not enough funds)</dt>
      <dd data-testid="concurrency-refused">{outcome.refused}</dd>
      <dt>Other answers</dt>
      <dd data-testid="concurrency-other">{other.length ? other.map(([code, n]) => `${code} × ${n}`).join(', ') : 'none'}</dd>
      <dt>Balance before</dt>
      <dd data-testid="concurrency-balance-before">{money(outcome.before)}</dd>
      <dt>Final balance</dt>
      <dd data-testid="concurrency-final-balance">{money(outcome.after)}</dd>
    </dl>
  );
}

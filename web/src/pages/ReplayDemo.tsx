import { useState, type FormEvent } from 'react';
import { MovementFields } from '../components/MovementFields';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatAmount, useApp } from '../context';
import { useMovementForm } from '../hooks/useMovementForm';
import { runReplayDemo, statusLabel, summarizeReplay, type ReplayOutcome } from '../lib/demos';

export function ReplayDemo() {
  const { request } = useApp();
  const form = useMovementForm('toEmail', { amount: '1' });
  const [running, setRunning] = useState(false);
  const [run, setRun] = useState<{ outcome: ReplayOutcome; asset: string; amount: number } | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = form.check();
    if (!body || running) return;
    setRunning(true);
    setRun(null);
    const outcome = await runReplayDemo(request, body);
    setRun({ outcome, asset: String(body.asset), amount: Number(body.amount) });
    setRunning(false);
  }

  return (
    <section className="panel" aria-labelledby="replay-title">
      <h2 id="replay-title">Retry the same request</h2>
      <p className="muted">
        Sends one transfer twice with the same Idempotency-Key. The second answer is a replay of the first, and the money
        moves once.
      </p>
      <form noValidate onSubmit={onSubmit} data-testid="replay-form">
        <MovementFields values={form.values} errors={form.errors} onChange={form.change} recipientField="toEmail" withDescription={false} />
        <button type="submit" disabled={running}>{running ? 'Running…' : 'Send it twice'}</button>
      </form>
      <div aria-live="polite">{run && <ReplayResult {...run} />}</div>
    </section>
  );
}

function ReplayResult({ outcome, asset, amount }: { outcome: ReplayOutcome; asset: string; amount: number }) {
  const { assets } = useApp();
  const summary = summarizeReplay(outcome, amount);
  const money = (minor: number | null) => (minor === null ? 'unknown' : formatAmount(assets, minor, asset));
  return (
    <div data-testid="replay-result" data-moved-once={String(summary.movedOnce)}>
      {!outcome.first.ok && <ProblemAlert failure={outcome.first} asset={asset} />}
      <dl className="stats">
        <dt>Idempotency-Key</dt>
        <dd><code>{outcome.key}</code></dd>
        <dt>First response</dt>
        <dd data-testid="replay-first-status">{statusLabel(outcome.first)}</dd>
        <dt>Second response</dt>
        <dd data-testid="replay-second-status">{statusLabel(outcome.second)}</dd>
        <dt>Idempotent-Replayed</dt>
        <dd data-testid="replay-replayed">{String(outcome.second.replayed)}</dd>
        <dt>Same transaction</dt>
        <dd data-testid="replay-same-transaction">{summary.sameTransaction ? 'yes' : 'no'}</dd>
        <dt>Balance before</dt>
        <dd data-testid="replay-balance-before">{money(outcome.before)}</dd>
        <dt>Balance after</dt>
        <dd data-testid="replay-balance-after">{money(outcome.after)}</dd>
      </dl>
      <p className={summary.movedOnce ? 'alert alert-ok' : 'alert alert-info'}>
        {summary.movedOnce ? `The money moved once: ${money(summary.moved)}.` : `Your balance changed by ${money(summary.moved)}.`}
      </p>
    </div>
  );
}

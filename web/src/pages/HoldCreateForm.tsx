import type { FormEvent } from 'react';
import { MovementFields } from '../components/MovementFields';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatAmount, useApp } from '../context';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { useMovementForm } from '../hooks/useMovementForm';
import type { MovementValues } from '../lib/movement';
import type { Hold } from '../../../libs/contract/src';

/** Reserves money for a recipient (by email) until they capture it, void it, or it expires. */
export function HoldCreateForm({ onCreated }: { onCreated: () => void }) {
  const { assets } = useApp();
  const form = useMovementForm('toEmail');
  const post = useIdempotentPost<Hold>();

  function change(name: keyof MovementValues, value: string) {
    form.change(name, value);
    post.clear();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = form.check();
    if (!body) return;
    const result = await post.submit('/holds', body);
    if (!result?.ok) return;
    form.clearAmount();
    onCreated();
  }

  const result = post.result;
  return (
    <section className="panel" aria-labelledby="hold-form-title">
      <h2 id="hold-form-title">Hold money</h2>
      <p className="muted">The amount leaves your balance now and reaches the recipient when they capture it.</p>
      <form noValidate onSubmit={onSubmit} data-testid="hold-form">
        <MovementFields values={form.values} errors={form.errors} onChange={change} recipientField="toEmail" />
        <button type="submit" disabled={post.pending}>
          {post.pending ? 'Working…' : 'Hold'}
        </button>
      </form>
      <div aria-live="polite">
        {result && !result.ok && <ProblemAlert failure={result} asset={form.values.asset} />}
        {result?.ok && (
          <p className="alert alert-ok" data-testid="hold-form-success">
            Held {formatAmount(assets, result.data.amount, result.data.asset)}. Hold <code>{result.data.id}</code>
          </p>
        )}
      </div>
    </section>
  );
}

import { useState, type FormEvent } from 'react';
import { TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { scaleOf, useApp } from '../context';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { parseAmount } from '../lib/money';
import type { Hold, Transaction } from '../../../libs/contract/src';

/** The capture body: an empty amount captures all of the hold; the rest goes back to the payer. */
function captureBody(text: string, scale: number): { amount?: number } | string {
  if (text.trim() === '') return {};
  const parsed = parseAmount(text, scale);
  return parsed.ok ? { amount: parsed.minor } : parsed.error;
}

/** The recipient captures all or part of a pending hold, or voids it. */
export function HoldActions({ hold, onChanged }: { hold: Hold; onChanged: () => void }) {
  const { assets } = useApp();
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | undefined>();
  const post = useIdempotentPost<Transaction>();

  async function send(path: string, body: object) {
    const result = await post.submit(path, body);
    if (result?.ok) onChanged();
  }

  function capture(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = captureBody(amount, scaleOf(assets, hold.asset) ?? 0);
    setError(typeof body === 'string' ? body : undefined);
    if (typeof body !== 'string') void send(`/holds/${hold.id}/capture`, body);
  }

  return (
    <form noValidate className="hold-actions" onSubmit={capture} data-testid="hold-actions">
      <TextField
        label={`Capture amount (${hold.asset})`}
        hint="Leave empty to capture all of it"
        inputMode="decimal"
        autoComplete="off"
        value={amount}
        onChange={(value) => {
          setAmount(value);
          setError(undefined);
        }}
        error={error}
      />
      <div className="button-row">
        <button type="submit" disabled={post.pending}>
          Capture
        </button>
        <button type="button" className="secondary" disabled={post.pending} onClick={() => void send(`/holds/${hold.id}/void`, {})}>
          Void
        </button>
      </div>
      {post.result && !post.result.ok && <ProblemAlert failure={post.result} asset={hold.asset} />}
    </form>
  );
}

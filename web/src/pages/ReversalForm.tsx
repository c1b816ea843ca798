import { useState, type FormEvent } from 'react';
import { TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { checkReversal, type ReversalErrors } from '../lib/movement';
import type { Transaction } from '../../../libs/contract/src';

export function ReversalForm() {
  const [transactionId, setTransactionId] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<ReversalErrors>({});
  const post = useIdempotentPost<Transaction>();

  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    post.clear();
  };

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = checkReversal(transactionId, reason);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    await post.submit(`/transactions/${transactionId.trim()}/reversal`, { reason: reason.trim() });
  }

  const result = post.result;
  return (
    <section className="panel" aria-labelledby="reversal-title">
      <h2 id="reversal-title">Reverse a transaction</h2>
      <p className="muted">Moves the money back from the side that received it. Find the id in a history row.</p>
      <form noValidate onSubmit={onSubmit} data-testid="reversal-form">
        <TextField label="Transaction id" name="transactionId" autoComplete="off" value={transactionId} onChange={edit(setTransactionId)} error={errors.transactionId} />
        <TextField label="Reason" name="reason" value={reason} onChange={edit(setReason)} error={errors.reason} />
        <button type="submit" disabled={post.pending}>{post.pending ? 'Working…' : 'Reverse'}</button>
      </form>
      <div aria-live="polite">
        {result && !result.ok && <ProblemAlert failure={result} />}
        {result?.ok && (
          <p className="alert alert-ok" data-testid="reversal-form-success">
            Reversed. The reversal is transaction <code>{result.data.id}</code>.
          </p>
        )}
      </div>
    </section>
  );
}

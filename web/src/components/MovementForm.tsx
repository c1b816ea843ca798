import type { FormEvent } from 'react';
import { formatAmount, useApp } from '../context';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { useMovementForm } from '../hooks/useMovementForm';
import type { ApiResult } from '../lib/api';
import type { MovementValues, RecipientField } from '../lib/movement';
import type { Transaction } from '../../../libs/contract/src';
import { MovementFields } from './MovementFields';
import { ProblemAlert } from './ProblemAlert';

interface MovementFormProps {
  title: string;
  intro: string;
  path: string;
  submitLabel: string;
  doneLabel: string;
  testId: string;
  recipientField?: RecipientField;
}

/** A money-moving form: validates, POSTs once per intended action, explains the outcome. */
export function MovementForm({ title, intro, path, submitLabel, doneLabel, testId, recipientField }: MovementFormProps) {
  const form = useMovementForm(recipientField);
  const post = useIdempotentPost<Transaction>();

  function change(name: keyof MovementValues, value: string) {
    form.change(name, value);
    post.clear();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const body = form.check();
    if (!body) return;
    const result = await post.submit(path, body);
    if (result?.ok) form.clearAmount();
  }

  return (
    <section className="panel" aria-labelledby={`${testId}-title`}>
      <h2 id={`${testId}-title`}>{title}</h2>
      <p className="muted">{intro}</p>
      <form noValidate onSubmit={onSubmit} data-testid={testId}>
        <MovementFields values={form.values} errors={form.errors} onChange={change} recipientField={recipientField} />
        <button type="submit" disabled={post.pending}>
          {post.pending ? 'Working…' : submitLabel}
        </button>
      </form>
      <div aria-live="polite">
        {post.result && <MovementOutcome result={post.result} doneLabel={doneLabel} testId={testId} asset={form.values.asset} />}
      </div>
    </section>
  );
}

interface MovementOutcomeProps {
  result: ApiResult<Transaction>;
  doneLabel: string;
  testId: string;
  asset: string;
}

function MovementOutcome({ result, doneLabel, testId, asset }: MovementOutcomeProps) {
  const { assets } = useApp();
  if (!result.ok) return <ProblemAlert failure={result} asset={asset} />;
  const tx = result.data;
  return (
    <p className="alert alert-ok" data-testid={`${testId}-success`}>
      {doneLabel} {formatAmount(assets, tx.amount ?? 0, tx.asset ?? asset)}. Transaction <code>{tx.id}</code>
      {result.replayed && ' (this request had already been processed, so nothing moved twice)'}
    </p>
  );
}

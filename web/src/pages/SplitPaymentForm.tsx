import { useState, type FormEvent } from 'react';
import { AssetSelect, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { defaultAsset, scaleOf, useApp } from '../context';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { checkSplit, SPLIT_LEGS_MAX, splitTotal, type LegErrors, type SplitLeg } from '../lib/split';
import type { Transaction } from '../../../libs/contract/src';

const EMPTY_LEG: SplitLeg = { email: '', amount: '' };

/** One payment to several recipients (e.g. a seller and a platform fee): every leg moves, or none does. */
export function SplitPaymentForm() {
  const { assets } = useApp();
  const [asset, setAsset] = useState(() => defaultAsset(assets));
  const [legs, setLegs] = useState<SplitLeg[]>([EMPTY_LEG, EMPTY_LEG]);
  const [errors, setErrors] = useState<LegErrors[]>([]);
  const post = useIdempotentPost<Transaction>();
  const scale = scaleOf(assets, asset) ?? 0;

  function changeLeg(index: number, change: Partial<SplitLeg>) {
    setLegs((all) => all.map((leg, i) => (i === index ? { ...leg, ...change } : leg)));
    setErrors([]);
    post.clear();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const checked = checkSplit(asset, legs, scale);
    setErrors(checked.ok ? [] : checked.errors);
    if (checked.ok) await post.submit('/transactions', checked.body);
  }

  const result = post.result;
  return (
    <section className="panel" aria-labelledby="split-form-title">
      <h2 id="split-form-title">Split payment</h2>
      <p className="muted">Pay several people in one transaction: all of it moves, or nothing does.</p>
      <form noValidate onSubmit={onSubmit} data-testid="split-form">
        <AssetSelect value={asset} onChange={setAsset} />
        {legs.map((leg, i) => (
          <fieldset key={i} className="split-leg" data-testid="split-leg">
            <legend>Recipient {i + 1}</legend>
            <TextField label="Email" type="email" value={leg.email} onChange={(email) => changeLeg(i, { email })} error={errors[i]?.email} />
            <TextField label={`Amount (${asset})`} inputMode="decimal" autoComplete="off" value={leg.amount} onChange={(amount) => changeLeg(i, { amount })} error={errors[i]?.amount} />
            {legs.length > 1 && (
              <button type="button" className="secondary" onClick={() => setLegs((all) => all.filter((_, j) => j !== i))}>
                Remove recipient {i + 1}
              </button>
            )}
          </fieldset>
        ))}
        <p data-testid="split-total">
          Total: {splitTotal(legs, scale)} {asset}
        </p>
        <div className="button-row">
          <button type="button" className="secondary" disabled={legs.length >= SPLIT_LEGS_MAX} onClick={() => setLegs((all) => [...all, EMPTY_LEG])}>
            Add recipient
          </button>
          <button type="submit" disabled={post.pending}>
            Pay all
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {result && !result.ok && (
          <>
            {result.problem.posting !== undefined && <p data-testid="split-refused-leg">Recipient {result.problem.posting + 1} was refused:</p>}
            <ProblemAlert failure={result} asset={asset} />
          </>
        )}
        {result?.ok && (
          <p className="alert alert-ok" data-testid="split-form-success">
            Paid {splitTotal(legs, scale)} {asset} to {result.data.postings.length} recipients. Transaction{' '}
            <code>{result.data.id}</code>
          </p>
        )}
      </div>
    </section>
  );
}

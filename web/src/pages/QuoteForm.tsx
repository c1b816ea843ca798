import { useState, type FormEvent } from 'react';
import { AssetSelect, SelectField, TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { defaultAsset, scaleOf, useApp } from '../context';
import type { ApiFailure } from '../lib/api';
import { parseAmount } from '../lib/money';
import type { Quote } from '../../../libs/contract/src';

/** Asks the service what an amount of one asset buys of another (a quote is not a commitment: no key needed). */
export function QuoteForm({ onQuote }: { onQuote: (quote: Quote) => void }) {
  const { assets, request } = useApp();
  const [fromAsset, setFromAsset] = useState(() => defaultAsset(assets));
  const [toAsset, setToAsset] = useState(() => assets.find((a) => a.code !== defaultAsset(assets))?.code ?? '');
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const options = assets.map((asset) => ({ value: asset.code, label: `${asset.name} (${asset.code})` }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = parseAmount(amount, scaleOf(assets, fromAsset) ?? 0);
    setError(parsed.ok ? undefined : parsed.error);
    if (!parsed.ok) return;
    const result = await request<Quote>('/quotes', { method: 'POST', body: { fromAsset, toAsset, fromAmount: parsed.minor } });
    setFailure(result.ok ? null : result);
    if (result.ok) onQuote(result.data);
  }

  return (
    <section className="panel" aria-labelledby="quote-form-title">
      <h2 id="quote-form-title">Get a quote</h2>
      <form noValidate onSubmit={onSubmit} data-testid="quote-form">
        <AssetSelect value={fromAsset} onChange={setFromAsset} name="fromAsset" />
        <TextField label={`Amount (${fromAsset})`} inputMode="decimal" autoComplete="off" value={amount} onChange={setAmount} error={error} />
        <SelectField label="Into" name="toAsset" value={toAsset} onChange={setToAsset} options={options} />
        <button type="submit">Get quote</button>
      </form>
      {failure && <ProblemAlert failure={failure} asset={fromAsset} />}
    </section>
  );
}

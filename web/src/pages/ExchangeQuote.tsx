import { Countdown } from '../components/Countdown';
import { ProblemAlert } from '../components/ProblemAlert';
import { formatAmount, useApp } from '../context';
import { useIdempotentPost } from '../hooks/useIdempotentPost';
import { useNow } from '../hooks/useNow';
import type { Quote, Transaction } from '../../../libs/contract/src';

/** A live quote: what it pays and buys, the time left to use it, and the button that uses it (once). */
export function ExchangeQuote({ quote, onDone }: { quote: Quote; onDone: () => void }) {
  const { assets } = useApp();
  const post = useIdempotentPost<Transaction>();
  const expired = Date.parse(quote.expiresAt) <= useNow();
  const exchanged = post.result?.ok === true;
  return (
    <section className="panel" aria-labelledby="quote-title" data-testid="quote" data-quote-id={quote.id}>
      <h2 id="quote-title">Quote</h2>
      <dl className="stats">
        <dt>You pay</dt>
        <dd data-testid="quote-from">{formatAmount(assets, quote.fromAmount, quote.fromAsset)}</dd>
        <dt>You get</dt>
        <dd data-testid="quote-to">{formatAmount(assets, quote.toAmount, quote.toAsset)}</dd>
        <dt>Rate</dt>
        <dd data-testid="quote-rate">{quote.rate}</dd>
        <dt>Valid for</dt>
        <dd>
          <Countdown until={quote.expiresAt} testId="quote-countdown" />
        </dd>
      </dl>
      {!exchanged && (
        <button type="button" disabled={expired || post.pending} onClick={() => void post.submit('/exchanges', { quoteId: quote.id })}>
          {expired ? 'Quote expired: get a new one' : 'Exchange'}
        </button>
      )}
      <div aria-live="polite">
        {post.result && !post.result.ok && <ProblemAlert failure={post.result} asset={quote.fromAsset} />}
        {exchanged && (
          <p className="alert alert-ok" data-testid="exchange-success">
            Exchanged {formatAmount(assets, quote.fromAmount, quote.fromAsset)} for {formatAmount(assets, quote.toAmount, quote.toAsset)}.{' '}
            <button type="button" className="secondary" onClick={onDone}>
              New quote
            </button>
          </p>
        )}
      </div>
    </section>
  );
}

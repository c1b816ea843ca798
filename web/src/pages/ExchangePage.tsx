import { useState } from 'react';
import { PageHeading } from '../components/PageHeading';
import type { Quote } from '../../../libs/contract/src';
import { ExchangeQuote } from './ExchangeQuote';
import { QuoteForm } from './QuoteForm';

/** Exchange between assets: ask for a quote, see what it buys and how long it holds, then use it once. */
export function ExchangePage() {
  const [quote, setQuote] = useState<Quote | null>(null);
  return (
    <>
      <PageHeading>Exchange</PageHeading>
      <div className="panels">
        <QuoteForm onQuote={setQuote} />
        {quote && <ExchangeQuote key={quote.id} quote={quote} onDone={() => setQuote(null)} />}
      </div>
    </>
  );
}

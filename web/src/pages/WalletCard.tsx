import { Sparkline } from '../components/Sparkline';
import { useApp } from '../context';
import { useResource } from '../hooks/useResource';
import { withQuery } from '../lib/api';
import { formatMinor } from '../lib/money';
import { balanceSeries } from '../lib/sparkline';
import type { Entry, Page, Wallet } from '../../../libs/contract/src';

const HISTORY_SIZE = 50;

export function WalletCard({ wallet }: { wallet: Wallet }) {
  const { assets } = useApp();
  const asset = assets.find((a) => a.code === wallet.asset);
  const entries = useResource<Page<Entry>>(withQuery(`/wallets/${wallet.id}/entries`, { limit: HISTORY_SIZE }));
  const values = entries.data ? balanceSeries(entries.data.items) : [];
  const titleId = `wallet-${wallet.id}-title`;
  return (
    <article className="card" data-testid={`wallet-${wallet.asset}`} aria-labelledby={titleId}>
      <h2 id={titleId}>{asset?.name ?? wallet.asset}</h2>
      <p className="balance">
        <span data-testid={`balance-${wallet.asset}`}>{formatMinor(wallet.balance, asset?.scale ?? 0)}</span>{' '}
        <span className="unit">{wallet.asset}</span>
      </p>
      {values.length > 0 && <Sparkline values={values} label={`Balance over the last ${values.length} movements`} />}
      {entries.data && values.length === 0 && <p className="muted small">No movements yet.</p>}
      {entries.failure && <p className="muted small">The balance history could not be loaded.</p>}
    </article>
  );
}

import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useApp } from '../context';
import { useResource } from '../hooks/useResource';
import type { Wallet } from '../../../libs/contract/src';
import { WalletCard } from './WalletCard';

export function WalletsPage() {
  const { session } = useApp();
  const wallets = useResource<Wallet[]>('/wallets');
  return (
    <>
      <PageHeading>Wallets</PageHeading>
      <p className="muted">
        Your user id is <code data-testid="user-id">{session.claims.sub}</code>. An admin needs it to top up your wallet.
      </p>
      <button type="button" className="secondary" onClick={wallets.reload} disabled={wallets.loading}>
        {wallets.loading ? 'Loading…' : 'Refresh'}
      </button>
      {wallets.failure && <ProblemAlert failure={wallets.failure} />}
      {wallets.data?.length === 0 && <p>No wallets yet. A wallet appears with its first movement.</p>}
      {wallets.data && wallets.data.length > 0 && (
        <ul className="cards" data-testid="wallets">
          {wallets.data.map((wallet) => (
            <li key={`${wallet.id}:${wallet.updatedAt}:${wallet.balance}`}>
              <WalletCard wallet={wallet} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

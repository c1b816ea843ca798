import { ProblemAlert } from '../components/ProblemAlert';
import { scaleOf, useApp } from '../context';
import { useResource } from '../hooks/useResource';
import { withQuery } from '../lib/api';
import { formatMinor } from '../lib/money';
import type { Wallet } from '../../../libs/contract/src';

function bySystemWallet(a: Wallet, b: Wallet): number {
  return a.asset.localeCompare(b.asset) || (a.systemCode ?? '').localeCompare(b.systemCode ?? '');
}

export function SystemWallets() {
  const { assets } = useApp();
  const wallets = useResource<Wallet[]>(withQuery('/wallets', { kind: 'SYSTEM' }));
  const system = (wallets.data ?? []).filter((w) => w.kind === 'SYSTEM').sort(bySystemWallet);
  return (
    <section className="panel" aria-labelledby="system-wallets-title">
      <h2 id="system-wallets-title">System wallets</h2>
      <p className="muted">The treasury issues and absorbs funds, so it may be negative; revenue receives spends.</p>
      <button type="button" className="secondary" onClick={wallets.reload} disabled={wallets.loading}>
        {wallets.loading ? 'Loading…' : 'Refresh'}
      </button>
      {wallets.failure && <ProblemAlert failure={wallets.failure} />}
      {wallets.data && system.length === 0 && <p>No system wallets were returned.</p>}
      {system.length > 0 && (
        <div className="table-wrap">
          <table data-testid="system-wallets">
            <thead>
              <tr>
                <th scope="col">Asset</th>
                <th scope="col">Wallet</th>
                <th scope="col" className="num">Balance</th>
              </tr>
            </thead>
            <tbody>
              {system.map((wallet) => (
                <tr key={wallet.id}>
                  <td>{wallet.asset}</td>
                  <td>{wallet.systemCode}</td>
                  <td className="num" data-testid={`system-balance-${wallet.asset}-${wallet.systemCode}`}>
                    {formatMinor(wallet.balance, scaleOf(assets, wallet.asset) ?? 0)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

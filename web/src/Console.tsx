import { useEffect, useMemo, useState, type ComponentType } from 'react';
import { Nav } from './components/Nav';
import { ProblemAlert } from './components/ProblemAlert';
import { AppContext } from './context';
import { useHashRoute } from './hooks/useHashRoute';
import { createApiClient, type ApiFailure } from './lib/api';
import type { Route } from './lib/routes';
import { SESSION_EXPIRED_MESSAGE, type Session } from './lib/session';
import type { Asset } from './lib/types';
import { AdminPage } from './pages/AdminPage';
import { BatchesPage } from './pages/BatchesPage';
import { DemosPage } from './pages/DemosPage';
import { HistoryPage } from './pages/HistoryPage';
import { SendPage } from './pages/SendPage';
import { WalletsPage } from './pages/WalletsPage';

const PAGES: Record<Route, ComponentType> = {
  wallets: WalletsPage,
  send: SendPage,
  history: HistoryPage,
  batches: BatchesPage,
  admin: AdminPage,
  demos: DemosPage,
};

interface ConsoleProps {
  session: Session;
  onSignOut: (message: string | null) => void;
}

/** The signed-in shell: loads the assets once, then shows the page named by the hash route. */
export function Console({ session, onSignOut }: ConsoleProps) {
  const route = useHashRoute();
  const request = useMemo(
    () => createApiClient({ token: session.token, onUnauthenticated: () => onSignOut(SESSION_EXPIRED_MESSAGE) }),
    [session.token, onSignOut],
  );
  const [assets, setAssets] = useState<Asset[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    void request<Asset[]>('/assets').then((result) => {
      if (result.ok) setAssets(result.data);
      else setFailure(result);
    });
  }, [request, attempt]);

  const Page = PAGES[route];
  const isAdmin = session.claims.role === 'admin';
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Wallet console</span>
        <span className="who" data-testid="signed-in-as">
          {session.claims.email}
          {isAdmin && <span className="badge">admin</span>}
        </span>
        <button type="button" className="secondary" onClick={() => onSignOut(null)} data-testid="sign-out">
          Sign out
        </button>
      </header>
      <Nav current={route} isAdmin={isAdmin} />
      <main id="main">
        {assets ? (
          <AppContext.Provider value={{ request, session, assets }}>
            <Page />
          </AppContext.Provider>
        ) : failure ? (
          <>
            <ProblemAlert failure={failure} />
            <button type="button" onClick={() => { setFailure(null); setAttempt((n) => n + 1); }}>Try again</button>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </main>
    </div>
  );
}

import { useMemo, type ComponentType } from 'react';
import { Nav } from './components/Nav';
import { ProblemAlert } from './components/ProblemAlert';
import { AppContext } from './context';
import { useAssets } from './hooks/useAssets';
import { useHashRoute } from './hooks/useHashRoute';
import { createClient, requestVia } from './lib/api';
import type { Route } from './lib/routes';
import { SESSION_EXPIRED_MESSAGE, type Session } from './lib/session';
import { AdminPage } from './pages/AdminPage';
import { BatchesPage } from './pages/BatchesPage';
import { DemosPage } from './pages/DemosPage';
import { EventsPage } from './pages/EventsPage';
import { ExchangePage } from './pages/ExchangePage';
import { HistoryPage } from './pages/HistoryPage';
import { HoldsPage } from './pages/HoldsPage';
import { SendPage } from './pages/SendPage';
import { StatementsPage } from './pages/StatementsPage';
import { WalletsPage } from './pages/WalletsPage';

const PAGES: Record<Route, ComponentType> = {
  wallets: WalletsPage,
  send: SendPage,
  holds: HoldsPage,
  exchange: ExchangePage,
  statements: StatementsPage,
  events: EventsPage,
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
  const client = useMemo(
    () => createClient({ token: session.token, onUnauthenticated: () => onSignOut(SESSION_EXPIRED_MESSAGE) }),
    [session.token, onSignOut],
  );
  const request = useMemo(() => requestVia(client), [client]);
  const { assets, failure, retry } = useAssets(request);
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
      <main>
        {assets && (
          <AppContext.Provider value={{ client, request, session, assets }}>
            <Page />
          </AppContext.Provider>
        )}
        {failure && (
          <>
            <ProblemAlert failure={failure} />
            <button type="button" onClick={retry}>
              Try again
            </button>
          </>
        )}
        {!assets && !failure && <p className="muted">Loading…</p>}
      </main>
    </div>
  );
}

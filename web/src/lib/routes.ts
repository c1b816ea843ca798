export const ROUTES = ['wallets', 'send', 'holds', 'exchange', 'statements', 'events', 'history', 'batches', 'admin', 'demos'] as const;

export type Route = (typeof ROUTES)[number];

export const ROUTE_LABELS: Record<Route, string> = {
  wallets: 'Wallets',
  send: 'Send',
  holds: 'Holds',
  exchange: 'Exchange',
  statements: 'Statements',
  events: 'Events',
  history: 'History',
  batches: 'Batches',
  admin: 'Admin',
  demos: 'Demos',
};

/** "#/history" → "history"; anything unknown falls back to the wallets page. */
export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'wallets';
}

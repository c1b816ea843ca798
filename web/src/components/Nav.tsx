import { ROUTE_LABELS, ROUTES, type Route } from '../lib/routes';

export function Nav({ current, isAdmin }: { current: Route; isAdmin: boolean }) {
  const visible = ROUTES.filter((route) => route !== 'admin' || isAdmin);
  return (
    <nav aria-label="Main" className="nav">
      <ul>
        {visible.map((route) => (
          <li key={route}>
            <a href={`#/${route}`} aria-current={route === current ? 'page' : undefined}>
              {ROUTE_LABELS[route]}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

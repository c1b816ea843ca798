import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useResource } from '../hooks/useResource';
import type { Hold, Page } from '../../../libs/contract/src';
import { HoldCreateForm } from './HoldCreateForm';
import { HoldRow } from './HoldRow';

const HOLDS_SHOWN = 50;

/** Money reserved for someone: create a hold, see the ones you pay and receive, capture or void them. */
export function HoldsPage() {
  const holds = useResource<Page<Hold>>(`/holds?limit=${HOLDS_SHOWN}`);
  return (
    <>
      <PageHeading>Holds</PageHeading>
      <div className="panels">
        <HoldCreateForm onCreated={holds.reload} />
        <section className="panel" aria-labelledby="holds-title">
          <h2 id="holds-title">Your holds</h2>
          <p className="muted">As payer and as recipient, newest first. The recipient captures (all or part) or voids.</p>
          {holds.failure && <ProblemAlert failure={holds.failure} />}
          {holds.data?.items.length === 0 && <p className="muted">No holds yet.</p>}
          <ul className="hold-list" data-testid="holds">
            {holds.data?.items.map((hold) => <HoldRow key={hold.id} hold={hold} onChanged={holds.reload} />)}
          </ul>
        </section>
      </div>
    </>
  );
}

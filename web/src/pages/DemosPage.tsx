import { PageHeading } from '../components/PageHeading';
import { ConcurrencyDemo } from './ConcurrencyDemo';
import { ReplayDemo } from './ReplayDemo';

export function DemosPage() {
  return (
    <>
      <PageHeading>Behaviour demos</PageHeading>
      <p className="muted">These demos move real money from your wallet to the recipient.</p>
      <div className="panels">
        <ReplayDemo />
        <ConcurrencyDemo />
      </div>
    </>
  );
}

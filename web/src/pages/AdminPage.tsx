import { MovementForm } from '../components/MovementForm';
import { PageHeading } from '../components/PageHeading';
import { useApp } from '../context';
import { AccountPanel } from './AccountPanel';
import { ReconciliationPanel } from './ReconciliationPanel';
import { ReversalForm } from './ReversalForm';
import { SystemWallets } from './SystemWallets';
import { WebhooksPanel } from './WebhooksPanel';

export function AdminPage() {
  const { session } = useApp();
  if (session.claims.role !== 'admin') {
    return (
      <>
        <PageHeading>Admin</PageHeading>
        <p>This section is for administrators.</p>
      </>
    );
  }
  return (
    <>
      <PageHeading>Admin</PageHeading>
      <div className="panels">
        <MovementForm
          title="Top up"
          intro="Issue funds from the treasury to a user."
          path="/top-ups"
          recipientField="userId"
          submitLabel="Top up"
          doneLabel="Topped up"
          testId="topup-form"
        />
        <MovementForm
          title="Bonus"
          intro="Give a user a bonus from the treasury."
          path="/bonuses"
          recipientField="userId"
          submitLabel="Pay bonus"
          doneLabel="Paid a bonus of"
          testId="bonus-form"
        />
        <ReversalForm />
        <AccountPanel />
        <WebhooksPanel />
      </div>
      <ReconciliationPanel />
      <SystemWallets />
    </>
  );
}

import { MovementForm } from '../components/MovementForm';
import { PageHeading } from '../components/PageHeading';
import { SplitPaymentForm } from './SplitPaymentForm';

export function SendPage() {
  return (
    <>
      <PageHeading>Send, spend, withdraw</PageHeading>
      <div className="panels">
        <MovementForm
          title="Send money"
          intro="Transfer to another user by their email."
          path="/transfers"
          recipientField="toEmail"
          submitLabel="Send"
          doneLabel="Sent"
          testId="transfer-form"
        />
        <MovementForm
          title="Spend"
          intro="Pay for something in the service."
          path="/spends"
          submitLabel="Spend"
          doneLabel="Spent"
          testId="spend-form"
        />
        <MovementForm
          title="Withdraw"
          intro="Take funds out of your wallet."
          path="/withdrawals"
          submitLabel="Withdraw"
          doneLabel="Withdrew"
          testId="withdraw-form"
        />
        <SplitPaymentForm />
      </div>
    </>
  );
}

import { Countdown } from '../components/Countdown';
import { formatAmount, useApp } from '../context';
import type { Hold } from '../../../libs/contract/src';
import { HoldActions } from './HoldActions';

const STATUS_LABELS: Record<Hold['status'], string> = {
  PENDING: 'Pending',
  CAPTURED: 'Captured',
  VOIDED: 'Voided',
  EXPIRED: 'Expired',
};

/** One hold: who pays, how much, its state, the time left while pending, and the recipient's actions. */
export function HoldRow({ hold, onChanged }: { hold: Hold; onChanged: () => void }) {
  const { assets, session } = useApp();
  const paying = hold.payerUserId === session.claims.sub;
  const pending = hold.status === 'PENDING';
  return (
    <li className="hold" data-testid="hold-row" data-hold-id={hold.id} data-status={hold.status}>
      <div className="hold-summary">
        <strong>{formatAmount(assets, hold.amount, hold.asset)}</strong>
        <span className="badge">{paying ? 'You pay' : 'You receive'}</span>
        <span data-testid="hold-status">{STATUS_LABELS[hold.status]}</span>
        {hold.status === 'CAPTURED' && (
          <span data-testid="hold-captured">captured {formatAmount(assets, hold.capturedAmount, hold.asset)}</span>
        )}
        {pending && (
          <span>
            expires in <Countdown until={hold.expiresAt} testId="hold-countdown" />
          </span>
        )}
      </div>
      {hold.description && <p className="muted hold-description">{hold.description}</p>}
      {pending && !paying && <HoldActions hold={hold} onChanged={onChanged} />}
    </li>
  );
}

import { ProblemAlert } from '../components/ProblemAlert';
import { useResource } from '../hooks/useResource';
import type { Delivery, Page } from '../../../libs/contract/src';

const DELIVERIES_SHOWN = 20;

/** The latest deliveries of one webhook: the event, its state, how many attempts and the last answer. */
export function WebhookDeliveries({ webhookId }: { webhookId: string }) {
  const deliveries = useResource<Page<Delivery>>(`/webhooks/${webhookId}/deliveries?limit=${DELIVERIES_SHOWN}`);
  return (
    <details className="deliveries">
      <summary>Deliveries</summary>
      <button type="button" className="secondary" onClick={deliveries.reload}>
        Refresh deliveries
      </button>
      {deliveries.failure && <ProblemAlert failure={deliveries.failure} />}
      {deliveries.data?.items.length === 0 && <p className="muted">No deliveries yet.</p>}
      <table className="stack-table">
        <thead>
          <tr>
            <th>Event</th>
            <th>Status</th>
            <th>Attempts</th>
            <th>Last answer</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data?.items.map((d) => (
            <tr key={d.eventId} data-testid="delivery-row" data-status={d.status}>
              <td data-label="Event">{d.eventType}</td>
              <td data-label="Status">{d.status}</td>
              <td data-label="Attempts" data-testid="delivery-attempts">
                {d.attempts}
              </td>
              <td data-label="Last answer">{d.lastResponseStatus ?? d.lastError ?? '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

import { useState, type FormEvent } from 'react';
import { TextField } from '../components/Field';
import { ProblemAlert } from '../components/ProblemAlert';
import { useApp } from '../context';
import { useResource } from '../hooks/useResource';
import type { ApiResult } from '../lib/api';
import type { CreatedWebhook, Webhook } from '../../../libs/contract/src';
import { WebhookDeliveries } from './WebhookDeliveries';

/** "transaction.created, hold.created" → the list the API takes; empty means every event ("*"). */
function eventList(text: string): string[] {
  const events = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  return events.length > 0 ? events : ['*'];
}

/** Admins register webhook endpoints (the signing secret is shown once) and watch their deliveries. */
export function WebhooksPanel() {
  const { request } = useApp();
  const webhooks = useResource<Webhook[]>('/webhooks');
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('');
  const [created, setCreated] = useState<ApiResult<CreatedWebhook> | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = await request<CreatedWebhook>('/webhooks', { method: 'POST', body: { url: url.trim(), events: eventList(events) } });
    setCreated(result);
    if (result.ok) webhooks.reload();
  }

  return (
    <section className="panel" aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <form noValidate onSubmit={onSubmit} data-testid="webhook-form">
        <TextField label="Endpoint URL" type="url" value={url} onChange={setUrl} />
        <TextField label="Events" hint="Comma-separated, e.g. transaction.created; empty for all" value={events} onChange={setEvents} />
        <button type="submit">Register</button>
      </form>
      {created && !created.ok && <ProblemAlert failure={created} />}
      {created?.ok && (
        <p className="alert alert-ok" data-testid="webhook-secret-notice">
          Signing secret (shown only now, copy it): <code data-testid="webhook-secret">{created.data.secret}</code>
        </p>
      )}
      {webhooks.failure && <ProblemAlert failure={webhooks.failure} />}
      <ul className="hold-list" data-testid="webhooks">
        {webhooks.data?.map((hook) => (
          <li key={hook.id} className="hold" data-testid="webhook-row">
            <div className="hold-summary">
              <strong className="event-id">{hook.url}</strong>
              <span>{hook.events.join(', ')}</span>
            </div>
            <WebhookDeliveries webhookId={hook.id} />
          </li>
        ))}
      </ul>
    </section>
  );
}

import { PageHeading } from '../components/PageHeading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useEventFeed, EVENTS_SHOWN_MAX } from '../hooks/useEventFeed';

/** What happened to your wallets, holds and batches (everything, for an admin), as it happens. */
export function EventsPage() {
  const { events, failure } = useEventFeed();
  return (
    <>
      <PageHeading>Events</PageHeading>
      <section className="panel" aria-labelledby="events-title">
        <h2 id="events-title">Live feed</h2>
        <p className="muted">Newest first; new events appear within a few seconds. The last {EVENTS_SHOWN_MAX} are kept.</p>
        {failure && <ProblemAlert failure={failure} />}
        {events.length === 0 && !failure && <p className="muted">No events yet.</p>}
        <ul className="hold-list" data-testid="events" aria-live="polite">
          {events.map((event) => (
            <li key={event.id} className="hold" data-testid="event-row" data-type={event.type}>
              <div className="hold-summary">
                <strong>{event.type}</strong>
                <time dateTime={event.createdAt}>{new Date(event.createdAt).toLocaleString()}</time>
                <code className="event-id">{event.id}</code>
              </div>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

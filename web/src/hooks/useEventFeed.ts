import { useEffect, useState } from 'react';
import { useApp } from '../context';
import { ApiProblemError } from '../../../libs/client/src';
import { failureOf, type ApiFailure } from '../lib/api';
import type { Event } from '../../../libs/contract/src';

/** How many events the page keeps (newest first); older ones drop off. */
export const EVENTS_SHOWN_MAX = 100;
const POLL_MS = 2_000;

export interface EventFeed {
  events: Event[];
  failure: ApiFailure | null;
}

/** Follows the caller's event feed from its start with libs/client, while the component is mounted. */
export function useEventFeed(): EventFeed {
  const { client } = useApp();
  const [events, setEvents] = useState<Event[]>([]);
  const [failure, setFailure] = useState<ApiFailure | null>(null);

  useEffect(() => {
    const stop = new AbortController();
    async function follow() {
      for await (const event of client.events.follow({ pollMs: POLL_MS, signal: stop.signal })) {
        if (stop.signal.aborted) return;
        setEvents((shown) => [event, ...shown].slice(0, EVENTS_SHOWN_MAX));
      }
    }
    follow().catch((error: unknown) => {
      if (!(error instanceof ApiProblemError)) throw error;
      if (!stop.signal.aborted) setFailure(failureOf(error));
    });
    return () => stop.abort();
  }, [client]);

  return { events, failure };
}

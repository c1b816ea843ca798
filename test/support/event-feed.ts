import { ApiClient } from './api-client';

export interface FeedEvent {
  id: string;
  type: string;
  createdAt: string;
  data: any;
}

/** The number an event id names: the feed position (ids are opaque to clients; tests may peek). */
export function positionOf(event: FeedEvent): number {
  return Number(event.id.replace(/^evt_/, ''));
}

/** Follows the feed from `after` to its current end, page after page. */
export async function readFeed(api: ApiClient, token: string, query = '', after?: string): Promise<{ events: FeedEvent[]; cursor?: string }> {
  const events: FeedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await api.get(`/api/v1/events?limit=100${query}${cursor === undefined ? '' : `&after=${cursor}`}`, token);
    if (page.status !== 200) throw new Error(`GET /events: ${page.status} ${JSON.stringify(page.body)}`);
    events.push(...page.body.items);
    cursor = page.body.nextCursor ?? cursor;
    if (page.body.items.length < 100) return { events, cursor };
  }
}

/** Polls `check` until it returns something other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

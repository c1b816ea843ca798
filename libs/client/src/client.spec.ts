import { WalletClient } from './client';

function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** A fetch that records the URL and Idempotency-Key of each call and answers with `answer(url, call number)`. */
function recording(answer: (url: string, call: number) => Response) {
  const calls: Array<{ url: string; key: string | undefined }> = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    calls.push({ url: String(input), key: headers['Idempotency-Key'] });
    return answer(String(input), calls.length);
  };
  return { calls, fetch };
}

const noWait = { sleep: async () => undefined };

describe('WalletClient', () => {
  it('iterates every item of a keyset list, asking for the next page only when it gets there', async () => {
    const pages: Record<string, unknown> = {
      '/api/v1/transactions?limit=2': { items: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1' },
      '/api/v1/transactions?limit=2&cursor=c1': { items: [{ id: 'c' }], nextCursor: null },
    };
    const { calls, fetch } = recording((url) => json(pages[url]));
    const client = new WalletClient({ fetch, ...noWait });
    const seen: string[] = [];
    for await (const tx of client.transactions.list({ limit: 2 })) {
      seen.push(tx.id);
      if (seen.length === 1) expect(calls).toHaveLength(1);
    }
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(calls).toHaveLength(2);
  });

  it('gives each intended action its own key and keeps it across its retries', async () => {
    const busy = () => json({ status: 503, code: 'BUSY', title: 'Busy', detail: 'x' }, 503);
    const { calls, fetch } = recording((_url, n) => (n === 1 ? busy() : json({ id: `t${n}` }, 201)));
    let keys = 0;
    const client = new WalletClient({ fetch, ...noWait, newKey: () => `key-${++keys}` });
    await client.transfers.create({ asset: 'USD', amount: 5, toEmail: 'b@example.com' });
    await client.transfers.create({ asset: 'USD', amount: 5, toEmail: 'b@example.com' });
    expect(calls.map((c) => c.key)).toEqual(['key-1', 'key-1', 'key-2']);
  });

  it('sends a key the caller chose, so an action can be resent after the client gave up', async () => {
    const { calls, fetch } = recording(() => json({ id: 'h1' }, 201));
    const client = new WalletClient({ fetch, ...noWait });
    await client.holds.capture('h1', { amount: 5 }, { idempotencyKey: 'capture-h1' });
    expect(calls).toEqual([{ url: '/api/v1/holds/h1/capture', key: 'capture-h1' }]);
  });

  it('follows the event feed from `after`, waiting between polls once it reaches the end', async () => {
    const feed = [
      { items: [{ id: 'evt_2' }, { id: 'evt_3' }], nextCursor: 'evt_3' },
      { items: [], nextCursor: 'evt_3' },
      { items: [{ id: 'evt_4' }], nextCursor: 'evt_4' },
    ];
    const { calls, fetch } = recording((_url, n) => json(feed[n - 1]));
    const waits: number[] = [];
    const client = new WalletClient({
      fetch,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    const seen: string[] = [];
    const pollMs = 5;
    for await (const event of client.events.follow({ after: 'evt_1', pollMs, limit: 2 })) {
      seen.push(event.id);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual(['evt_2', 'evt_3', 'evt_4']);
    expect(calls.map((c) => c.url)).toEqual([
      '/api/v1/events?after=evt_1&limit=2',
      '/api/v1/events?after=evt_3&limit=2',
      '/api/v1/events?after=evt_3&limit=2',
    ]);
    expect(waits).toEqual([pollMs]);
  });
});

import { PoolClient } from 'pg';
import { TestUser } from './support/api-client';
import { eventually, FeedEvent, positionOf, readFeed } from './support/event-feed';
import { startTestApp, TestApp } from './support/test-app';

describe('event feed', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp({ EVENT_RELAY_POLL_MS: '20', BATCH_CHUNK_ROWS: '2' });
    admin = await t.api.adminToken();
  });
  afterAll(() => t.close());

  const feedOf = async (token: string, query = '') => (await readFeed(t.api, token, query)).events;
  const unstamped = async () => (await t.sql.query('SELECT count(*)::int AS n FROM events WHERE position IS NULL')).rows[0].n as number;
  const allStamped = () => eventually(async () => ((await unstamped()) === 0 ? true : undefined), 'the relay to stamp every event');

  describe('who sees what', () => {
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;

    beforeAll(async () => {
      [alice, bob, carol] = await Promise.all([t.api.register('alice'), t.api.register('bob'), t.api.register('carol')]);
      await t.api.fund(admin, alice.id, 'USD', 1_000);
    });

    it('shows a transfer to both parties and to admins, never to anyone else, with the Transaction as data', async () => {
      const sent = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 250, toUserId: bob.id }, alice.token);
      expect(sent.status).toBe(201);
      const [forAlice, forBob, forCarol] = await eventually(async () => {
        const feeds = await Promise.all([alice, bob, carol].map((u) => feedOf(u.token)));
        return feeds[1].length > 0 ? feeds : undefined;
      }, "bob's event");
      const transferEvent = forBob.find((e) => e.data.id === sent.body.id) as FeedEvent;
      expect(transferEvent).toMatchObject({ type: 'transaction.created', data: sent.body });
      expect(transferEvent.id).toMatch(/^evt_\d+$/);
      expect(new Date(transferEvent.createdAt).toISOString()).toBe(transferEvent.createdAt);
      // Alice also sees her top-up; Carol sees nothing at all.
      expect(forAlice.map((e) => e.data.type)).toEqual(['TOP_UP', 'TRANSFER']);
      expect(forCarol).toEqual([]);
      const everything = await feedOf(admin);
      expect(everything.find((e) => e.id === transferEvent.id)).toEqual(transferEvent);
    });

    it('announces hold steps to payer and recipient, and filters by type', async () => {
      const hold = await t.api.post('/api/v1/holds', { asset: 'USD', amount: 100, toUserId: carol.id }, alice.token);
      expect(hold.status).toBe(201);
      const captured = await t.api.post(`/api/v1/holds/${hold.body.id}/capture`, { amount: 60 }, carol.token);
      expect(captured.status).toBe(201);
      const holdEvents = await eventually(async () => {
        const events = await feedOf(carol.token, '&type=hold.captured');
        return events.length === 1 ? events : undefined;
      }, 'hold.captured for carol');
      expect(holdEvents[0].data).toMatchObject({ id: hold.body.id, status: 'CAPTURED', capturedAmount: 60 });
      expect((await feedOf(alice.token, '&type=hold.created')).map((e) => e.data.id)).toEqual([hold.body.id]);
      expect(await feedOf(bob.token, '&type=hold.created')).toEqual([]);
      const adminHolds = await feedOf(admin, '&type=hold.captured');
      expect(adminHolds.map((e) => e.id)).toEqual(holdEvents.map((e) => e.id));
    });

    it('announces a completed batch to its owner with the Batch as GET /batches/:id shows it', async () => {
      const form = new FormData();
      form.append('asset', 'USD');
      form.append('file', new Blob([`recipient,amount\n${bob.email},5\n${carol.email},6\nnobody@example.com,7\n`]), 'payouts.csv');
      const response = await fetch(`${t.api.baseUrl}/api/v1/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.token}`, 'idempotency-key': `batch-${alice.id}` },
        body: form,
      });
      expect(response.status).toBe(202);
      const { id } = (await response.json()) as { id: string };
      const [completed] = await eventually(async () => {
        const events = await feedOf(alice.token, '&type=batch.completed');
        return events.length === 1 ? events : undefined;
      }, 'batch.completed');
      const batch = await t.api.get(`/api/v1/batches/${id}`, alice.token);
      expect(batch.body.status).toBe('COMPLETED_WITH_ERRORS');
      expect(completed.data).toEqual(batch.body);
      // Each paid row is its own transaction.created, seen by its recipient.
      expect((await feedOf(bob.token, '&type=transaction.created')).filter((e) => e.data.batchId === id)).toHaveLength(1);
      expect(await feedOf(bob.token, '&type=batch.completed')).toEqual([]);
    });

    it('pages with after and nextCursor, and keeps nextCursor at the end of the feed', async () => {
      const all = await feedOf(alice.token);
      const first = await t.api.get('/api/v1/events?limit=2', alice.token);
      expect(first.body.items).toEqual(all.slice(0, 2));
      expect(first.body.nextCursor).toBe(all[1].id);
      const second = await t.api.get(`/api/v1/events?limit=2&after=${first.body.nextCursor}`, alice.token);
      expect(second.body.items).toEqual(all.slice(2, 4));
      const end = await t.api.get(`/api/v1/events?after=${all[all.length - 1].id}`, alice.token);
      expect(end.body).toEqual({ items: [], nextCursor: all[all.length - 1].id });
      expect((await t.api.get('/api/v1/events', carol.token)).body.nextCursor).toBe((await feedOf(carol.token)).at(-1)?.id);
    });

    it.each([
      ['after=42', 'a bare number'],
      ['after=evt_-1', 'a negative position'],
      ['after=evt_99999999999999999999', 'an out-of-range position'],
      ['after=WyIxIl0', "another list's cursor"],
      ['type=transfer.made', 'an unknown type'],
      ['limit=0', 'a limit of 0'],
      ['limit=101', 'a limit over 100'],
      ['cursor=abc', 'an unknown parameter'],
    ])('refuses %s (%s) with 400', async (query) => {
      const response = await t.api.get(`/api/v1/events?${query}`, alice.token);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
    });

    it('needs a token', async () => {
      expect((await t.api.get('/api/v1/events')).status).toBe(401);
    });
  });

  describe('gap-free under concurrent, out-of-order commits', () => {
    let users: TestUser[];

    beforeAll(async () => {
      users = await Promise.all(Array.from({ length: 24 }, (_, i) => t.api.register(`gap${i}`)));
      await Promise.all(users.map((u) => t.api.fund(admin, u.id, 'GOLD_COINS', 1_000_000)));
      await allStamped();
    });

    /** An event row inserted in a transaction that stays open until `commit()`: a writer whose commit comes late. */
    async function lateWriter(marker: string): Promise<{ id: number; commit(): Promise<void> }> {
      const client: PoolClient = await t.sql.connect();
      await client.query('BEGIN');
      const { rows } = await client.query(`INSERT INTO events (type, data) VALUES ('transaction.created', json_build_object('marker', $1::text)) RETURNING id`, [
        marker,
      ]);
      return {
        id: Number(rows[0].id),
        commit: async () => {
          await client.query('COMMIT');
          client.release();
        },
      };
    }

    const transfer = (i: number) => {
      const from = users[i % users.length];
      const to = users[(i * 7 + 1) % users.length] === from ? users[(i + 1) % users.length] : users[(i * 7 + 1) % users.length];
      return t.api.post('/api/v1/transfers', { asset: 'GOLD_COINS', amount: 1 + (i % 5), toUserId: to.id }, from.token);
    };

    it('shows an event that commits after later ids were already read, behind them', async () => {
      const { events: before, cursor } = await readFeed(t.api, admin);
      const late = await lateWriter('late');
      const sent = await Promise.all([0, 1, 2].map(transfer));
      expect(sent.map((r) => r.status)).toEqual([201, 201, 201]);
      // The consumer reads past the three transfers, whose ids are all larger than the open one's.
      const seen = await eventually(async () => {
        const page = await readFeed(t.api, admin, '', cursor);
        return page.events.length === 3 ? page : undefined;
      }, 'the three transfers');
      const transferIds = (await t.sql.query('SELECT id FROM events WHERE position > $1', [positionOf(before.at(-1) as FeedEvent)])).rows.map((r) => Number(r.id));
      expect(Math.min(...transferIds)).toBeGreaterThan(late.id);
      await late.commit();
      const after = await eventually(async () => {
        const page = await readFeed(t.api, admin, '', seen.cursor);
        return page.events.length === 1 ? page.events : undefined;
      }, 'the late event');
      expect(after[0].data).toEqual({ marker: 'late' });
      expect(positionOf(after[0])).toBe(positionOf(seen.events[2]) + 1);
    });

    it('lets a consumer following the cursor see every event exactly once while 64 writers commit out of id order', async () => {
      const { cursor: start } = await readFeed(t.api, admin);
      let writing = true;
      const seen: FeedEvent[] = [];
      const consumer = (async () => {
        let cursor = start;
        for (;;) {
          // Writers done and every event stamped before this pass: it reads to the very end.
          const done = !writing && (await unstamped()) === 0;
          const page = await readFeed(t.api, admin, '', cursor);
          seen.push(...page.events);
          cursor = page.cursor;
          if (done && page.events.length === 0) return;
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      let next = 0;
      const transferWriters = Array.from({ length: 64 }, async () => {
        while (next < 1_000) expect((await transfer(next++)).status).toBe(201);
      });
      // Writers that hold their transaction open for a while after inserting: their ids are
      // handed out early and become visible late, after many larger ids.
      let late = 0;
      const lateWriters = Array.from({ length: 8 }, async () => {
        while (next < 1_000) {
          const writer = await lateWriter(`late-${late++}`);
          await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 200));
          await writer.commit();
        }
      });
      await Promise.all([...transferWriters, ...lateWriters]);
      writing = false;
      await consumer;

      const { rows } = await t.sql.query(
        `SELECT id, position FROM events WHERE position > $1 ORDER BY position`,
        [start === undefined ? 0 : positionOf({ id: start } as FeedEvent)],
      );
      // Exactly what SQL holds, once each, in position order, with no gap between positions.
      expect(seen.map(positionOf)).toEqual(rows.map((r) => Number(r.position)));
      expect(new Set(seen.map((e) => e.id)).size).toBe(seen.length);
      expect(seen.map(positionOf)).toEqual(seen.map((_, i) => positionOf(seen[0]) + i));
      expect(seen.filter((e) => e.data.marker !== undefined)).toHaveLength(late);
      // Every committed transfer is announced exactly once.
      const transfers = await t.sql.query(`SELECT id FROM transactions WHERE type = 'TRANSFER'`);
      const announced = seen.filter((e) => e.type === 'transaction.created' && e.data.type === 'TRANSFER').map((e) => e.data.id);
      expect(announced.length).toBeGreaterThanOrEqual(1_000);
      expect(new Set(announced).size).toBe(announced.length);
      const everyTransfer = new Set<string>(transfers.rows.map((r) => r.id));
      const seenBefore = new Set((await feedOf(admin, '&type=transaction.created')).map((e) => e.data.id));
      expect([...everyTransfer].filter((id) => !seenBefore.has(id))).toEqual([]);
      // The trap was really set: ids and positions disagree on order somewhere.
      const inversions = rows.filter((r, i) => i > 0 && Number(r.id) < Number(rows[i - 1].id)).length;
      expect(inversions).toBeGreaterThan(0);
    });
  });
});

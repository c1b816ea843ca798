import { EventsPurge } from '../src/events/events-purge';
import { TestUser } from './support/api-client';
import { eventually, positionOf, readFeed } from './support/event-feed';
import { startTestApp, TestApp } from './support/test-app';

describe('event retention', () => {
  let t: TestApp;
  let admin: string;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    // No webhook dispatcher to speak of: the pending delivery below must stay pending.
    t = await startTestApp({ EVENT_RELAY_POLL_MS: '20', EVENT_RETENTION_DAYS: '30', WEBHOOK_POLL_MS: '60000' });
    admin = await t.api.adminToken();
    [alice, bob] = await Promise.all([t.api.register('alice'), t.api.register('bob')]);
  });
  afterAll(() => t.close());

  const purge = () => t.app.get(EventsPurge).purge();
  const positions = async () => (await t.sql.query('SELECT position FROM events ORDER BY position')).rows.map((r) => Number(r.position));
  const feedPositions = async (token: string, after?: string) => (await readFeed(t.api, token, '', after)).events.map(positionOf);

  async function transfers(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const sent = await t.api.post('/api/v1/transfers', { asset: 'USD', amount: 1, toUserId: bob.id }, alice.token);
      expect(sent.status).toBe(201);
    }
    await eventually(async () => ((await t.sql.query('SELECT 1 FROM events WHERE position IS NULL')).rows.length === 0 ? true : undefined), 'the relay');
  }

  it('deletes only a prefix of old events that every sink has passed, and the feed stays valid', async () => {
    await t.api.fund(admin, alice.id, 'USD', 1_000);
    await transfers(9);
    expect(await positions()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await t.sql.query(`UPDATE events SET created_at = now() - interval '31 days' WHERE position <= 6`);
    // A webhook still owes position 3 a delivery; a broker sink has published up to 4.
    const { rows } = await t.sql.query(`INSERT INTO webhooks (url, events, secret) VALUES ('https://example.com/h', '{*}', 'whsec_AAAA') RETURNING id`);
    await t.sql.query(`INSERT INTO webhook_deliveries (event_position, webhook_id, next_attempt_at) VALUES (3, $1, now() + interval '1 day')`, [rows[0].id]);
    await t.sql.query(`INSERT INTO event_sink_cursors (sink, position) VALUES ('test-sink', 4)`);

    expect(await purge()).toBe(2);
    expect(await positions()).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    await t.sql.query(`UPDATE webhook_deliveries SET status = 'SUCCEEDED', next_attempt_at = NULL`);
    expect(await purge()).toBe(2);
    expect(await positions()).toEqual([5, 6, 7, 8, 9, 10]);
    // The delivery went with its event.
    expect((await t.sql.query('SELECT count(*)::int AS n FROM webhook_deliveries')).rows[0].n).toBe(0);
    await t.sql.query(`DELETE FROM event_sink_cursors WHERE sink = 'test-sink'`);
    expect(await purge()).toBe(2);
    expect(await positions()).toEqual([7, 8, 9, 10]);
    expect(await purge()).toBe(0);
    expect((await t.sql.query('SELECT count(*)::int AS n FROM event_users WHERE position <= 6')).rows[0].n).toBe(0);

    // Readers: from the start, from a purged position, from a kept one; users and admins alike.
    expect(await feedPositions(admin)).toEqual([7, 8, 9, 10]);
    expect(await feedPositions(admin, 'evt_2')).toEqual([7, 8, 9, 10]);
    expect(await feedPositions(alice.token, 'evt_8')).toEqual([9, 10]);
    expect(await feedPositions(bob.token)).toEqual([7, 8, 9, 10]);
    // Positions are never handed out again, even once old ones are gone.
    await transfers(1);
    expect(await feedPositions(admin, 'evt_10')).toEqual([11]);
  });

  it('stops at the first event it must keep: old events behind it wait', async () => {
    // Position 11 is recent; an event stamped after it but written long ago (a late commit) stays behind it.
    await t.sql.query(`UPDATE events SET created_at = now() - interval '40 days' WHERE position <> 11`);
    await transfers(1);
    await t.sql.query(`UPDATE events SET created_at = now() - interval '40 days' WHERE position = 12`);
    expect(await purge()).toBe(4);
    expect(await positions()).toEqual([11, 12]);
  });
});
